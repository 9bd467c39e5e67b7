"""The Tickets tab of the customer page: the list with a status filter, each ticket's thread of replies with a box to
reply, and the pop-up to open or edit one."""

from dataclasses import dataclass, field, replace

import reflex as rx
from sqlmodel import Session

from customer_app.core.permissions import Actor
from customer_app.customers.models import Customer
from customer_app.records import ticket_replies, tickets
from customer_app.records.models import TICKET_PRIORITIES, TICKET_STATUSES, Ticket, TicketReply, TicketStatusChange
from customer_app.records.state.record_tab import RecordTabMixin
from customer_app.ui.formatting import when
from customer_app.ui.parsing import ID_CHARS, parse_ids


@dataclass
class ReplyRow:
    """One reply in a ticket's thread (the body is rendered as text, never as HTML)."""

    body: str = ""
    author: str = ""
    when: str = ""
    from_customer: bool = False


def reply_row(reply: TicketReply) -> ReplyRow:
    return ReplyRow(
        body=reply.body,
        author=reply.author_name or "Someone",
        when=when(reply.created_at),
        from_customer=reply.from_customer,
    )


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
    from_customer: bool = False
    history: list[str] = field(default_factory=list)
    replies: list[ReplyRow] = field(default_factory=list)
    reply_box: str = ""  # the reply form's key: a new one empties the box after this tab sent a reply


def ticket_row(
    ticket: Ticket, changes: list[TicketStatusChange], replies: list[TicketReply], sent: int = 0
) -> TicketRow:
    return TicketRow(
        id=str(ticket.id),
        subject=ticket.subject,
        description=ticket.description,
        priority=ticket.priority,
        priority_label=TICKET_PRIORITIES.get(ticket.priority, ticket.priority),
        status=ticket.status,
        status_label=TICKET_STATUSES.get(ticket.status, ticket.status),
        opened=f"Opened by {ticket.created_by_name or 'someone'} on {when(ticket.created_at)}",
        from_customer=ticket.from_customer,
        history=[
            f"{TICKET_STATUSES.get(c.to_status, c.to_status)} · {c.changed_by_name or 'someone'} · {when(c.at)}"
            for c in changes
        ],
        replies=[reply_row(r) for r in replies],
        reply_box=f"{ticket.id}-{sent}",
    )


class CustomerTicketsState(RecordTabMixin, rx.State):
    """One customer's tickets in one browser tab."""

    rows: list[TicketRow] = []
    status_filter: str = "all"
    reply_errors: dict[str, str] = {}  # by ticket id: what is wrong with the reply typed under it
    _sent: dict[int, int] = {}  # replies this tab sent, by ticket: only that ticket's box is emptied

    def _load_for(self, customer: Customer, actor: Actor, session: Session) -> None:
        """Read the customer's tickets with the chosen status."""
        self.customer_id = customer.id
        status = self.status_filter if self.status_filter in TICKET_STATUSES else ""
        found = tickets.list_tickets(customer.id, status, actor=actor, session=session)
        ids = [t.id for t in found]
        history = tickets.status_history(ids, actor=actor, session=session)
        thread = ticket_replies.ticket_replies(ids, actor=actor, session=session)
        self.rows = [ticket_row(t, history[t.id], thread[t.id], self._sent.get(t.id, 0)) for t in found]

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

    @rx.event
    async def reply(self, form: dict):
        """Add the reply typed under a ticket to its thread; everyone viewing this customer sees it appear."""
        key, body = str(form.get("ticket_id", ""))[:ID_CHARS], str(form.get("reply", ""))
        ticket = next(iter(parse_ids(key)), 0)
        done, event = await self._write(
            lambda actor, session: ticket_replies.add_reply(ticket, body, actor=actor, session=session),
            errors="reply_errors",
        )
        if "reply" in self.reply_errors:  # the service names the field; the tab shows it under this ticket's box
            self.reply_errors = {key: self.reply_errors["reply"]}
        if done:  # only now: a box is emptied only once its reply is saved
            self._sent = self._sent | {ticket: self._sent.get(ticket, 0) + 1}
            box = f"{ticket}-{self._sent[ticket]}"
            self.rows = [replace(r, reply_box=box) if r.id == str(ticket) else r for r in self.rows]
        return event
