"""The Tickets tab of the customer page: the list with a status filter, and the pop-up to open or edit one."""

from dataclasses import dataclass, field

import reflex as rx
from sqlmodel import Session

from customer_app.core.permissions import Actor
from customer_app.customers.models import Customer
from customer_app.records import tickets
from customer_app.records.models import TICKET_PRIORITIES, TICKET_STATUSES, Ticket, TicketStatusChange
from customer_app.records.state.record_tab import RecordTabMixin
from customer_app.ui.formatting import when


@dataclass
class TicketRow:
    """One ticket as the tab shows it."""

    id: str = ""
    subject: str = ""
    description: str = ""
    priority: str = ""
    priority_label: str = ""
    status: str = ""
    status_label: str = ""
    opened: str = ""
    history: list[str] = field(default_factory=list)


def ticket_row(ticket: Ticket, changes: list[TicketStatusChange]) -> TicketRow:
    return TicketRow(
        id=str(ticket.id),
        subject=ticket.subject,
        description=ticket.description,
        priority=ticket.priority,
        priority_label=TICKET_PRIORITIES.get(ticket.priority, ticket.priority),
        status=ticket.status,
        status_label=TICKET_STATUSES.get(ticket.status, ticket.status),
        opened=f"Opened by {ticket.created_by_name or 'someone'} on {when(ticket.created_at)}",
        history=[
            f"{TICKET_STATUSES.get(c.to_status, c.to_status)} · {c.changed_by_name or 'someone'} · {when(c.at)}"
            for c in changes
        ],
    )


class CustomerTicketsState(RecordTabMixin, rx.State):
    """One customer's tickets in one browser tab."""

    rows: list[TicketRow] = []
    status_filter: str = "all"

    def _load_for(self, customer: Customer, actor: Actor, session: Session) -> None:
        """Read the customer's tickets with the chosen status."""
        self.customer_id = customer.id
        status = self.status_filter if self.status_filter in TICKET_STATUSES else ""
        found = tickets.list_tickets(customer.id, status, actor=actor, session=session)
        history = tickets.status_history([t.id for t in found], actor=actor, session=session)
        self.rows = [ticket_row(t, history[t.id]) for t in found]

    @rx.event
    async def set_status_filter(self, value: str):
        """Show all tickets, or those with one status."""
        self.status_filter = value if value in TICKET_STATUSES else "all"
        _, event = await self._reload()
        return event

    @rx.event
    def open_new(self):
        self._open_form(0, {"subject": "", "description": "", "priority": "normal", "status": "new"})

    @rx.event
    def open_edit(self, ticket_id: str):
        row = next((r for r in self.rows if r.id == ticket_id), None)
        if row is None:
            return
        values = {
            "subject": row.subject,
            "description": row.description,
            "priority": row.priority,
            "status": row.status,
        }
        self._open_form(int(row.id), values)

    @rx.event
    async def save(self, form: dict):
        """Open or update the ticket; field errors stay in the pop-up."""
        values = {name: str(form.get(name, "")) for name in ("subject", "description", "priority", "status")}

        def work(actor, session):
            self.values = values  # what the pop-up shows again; kept only for someone allowed to save
            if self.editing_id:
                tickets.update_ticket(self.editing_id, **values, actor=actor, session=session)
            else:
                tickets.create_ticket(
                    self.customer_id, **{k: v for k, v in values.items() if k != "status"}, actor=actor, session=session
                )

        done, event = await self._write(work)
        if not done:
            return event
        self.form_open = False
        return rx.toast.success("Ticket saved.")
