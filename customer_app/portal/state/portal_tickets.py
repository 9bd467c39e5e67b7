"""The portal's dashboard and tickets: the customer's tickets with their threads, a new ticket, a reply; both pages
follow changes staff make (a reply, a status, access taken back) while they are open."""

from dataclasses import dataclass, field

import reflex as rx
from sqlmodel import Session

from customer_app.core.db import session_scope
from customer_app.core.i18n import format_datetime
from customer_app.core.live import hub
from customer_app.portal import tickets
from customer_app.portal.scope import PortalScope
from customer_app.portal.state.portal import PortalState, portal_act, portal_scope_or_refusal
from customer_app.records.models import TICKET_STATUSES, Ticket, TicketReply, TicketStatusChange

PORTAL_PAGE = "#portal"  # what a portal page subscribes under: its own writes do not wake it


@dataclass
class ReplyRow:
    """One message of a ticket's thread, or a change of its status (`status` set, no body)."""

    author: str = ""
    at: str = ""
    body: str = ""
    from_customer: bool = False
    status: str = ""


@dataclass
class PortalTicketRow:
    """One ticket as the customer sees it."""

    id: str = ""
    subject: str = ""
    description: str = ""
    status: str = ""
    opened: str = ""
    thread: list[ReplyRow] = field(default_factory=list)


def _row(ticket: Ticket, replies: list[TicketReply], changes: list[TicketStatusChange], lang: str) -> PortalTicketRow:
    """A ticket with its thread (replies and status changes in time order), written the reader's way."""
    events = [
        (r.created_at, ReplyRow(r.author_name, format_datetime(r.created_at, lang), r.body, r.from_customer))
        for r in replies
    ]
    events += [(c.at, ReplyRow(c.changed_by_name, format_datetime(c.at, lang), status=c.to_status)) for c in changes]
    return PortalTicketRow(
        id=str(ticket.id),
        subject=ticket.subject,
        description=ticket.description,
        status=ticket.status,
        opened=f"{ticket.created_by_name} · {format_datetime(ticket.created_at, lang)}",
        thread=[row for _, row in sorted(events, key=lambda event: event[0])],
    )


class PortalTicketsState(rx.State):
    """The customer's tickets in one browser tab."""

    rows: list[PortalTicketRow] = []
    open_tickets: int = 0
    status_filter: str = "all"
    errors: dict[str, str] = {}
    reply_errors: dict[str, str] = {}
    form_key: int = 0
    loaded: bool = False
    welcome: str = ""  # the dashboard's greeting, in the tab's language

    @rx.event
    async def on_load(self):
        """Read the customer's tickets (the dashboard shows the open ones)."""
        return await self._load()

    async def _load(self):
        scope, refusal = await portal_scope_or_refusal(self, None)
        if scope is None:
            return refusal
        portal = await self.get_state(PortalState)
        self.welcome = portal._t("Welcome, {name}", name=scope.name or scope.email)
        self.rows, self.open_tickets = [], 0
        if tickets.SECTION in scope.sections:
            with session_scope() as session:
                self._read(scope, session)
        self.loaded = True
        return None

    def _read(self, scope: PortalScope, session: Session) -> None:
        status = self.status_filter if self.status_filter in TICKET_STATUSES else ""
        found = tickets.my_tickets(status, scope=scope, session=session)
        thread = tickets.threads(found, scope=scope, session=session)
        changes = tickets.status_changes(found, scope=scope, session=session)
        self.rows = [_row(ticket, thread[ticket.id], changes[ticket.id], scope.language) for ticket in found]
        self.open_tickets = tickets.open_count(scope=scope, session=session)

    @rx.event
    async def set_status_filter(self, value: str):
        """Show all tickets, or those with one status."""
        self.status_filter = value if value in TICKET_STATUSES else "all"
        return await self._load()

    @rx.event
    async def open_ticket(self, form: dict):
        """Open a ticket with the subject and description typed."""

        def work(scope: PortalScope, session: Session) -> None:
            tickets.open_ticket(
                str(form.get("subject", "")), str(form.get("description", "")), scope=scope, session=session
            )

        done, event = await portal_act(self, tickets.SECTION, work, errors="errors")
        if not done:
            return event
        self.form_key += 1
        await self._announce()
        await self._load()
        return rx.toast.success((await self.get_state(PortalState))._t("Your ticket was sent."))

    @rx.event
    async def reply(self, ticket_id: str, form: dict):
        """Add a reply to one of the customer's tickets."""

        def work(scope: PortalScope, session: Session) -> None:
            number = int(ticket_id) if str(ticket_id).isdigit() else 0
            tickets.reply(number, str(form.get("reply", "")), scope=scope, session=session)

        done, event = await portal_act(self, tickets.SECTION, work, errors="errors")
        # The reply box's error shows under the ticket it was typed in.
        self.reply_errors = {str(ticket_id): self.errors.get("reply", "")} if self.errors else {}
        self.errors = {}
        if not done:
            return event
        self.form_key += 1
        await self._announce()
        return await self._load()

    async def _announce(self) -> None:
        """Wake the staff pages of this customer (and the account's other portal tabs)."""
        portal = await self.get_state(PortalState)
        if portal.customer_id:
            await hub.announce(self.router.session.client_token + PORTAL_PAGE, int(portal.customer_id))

    @rx.event(background=True)
    async def watch_changes(self):
        """Re-read the page whenever staff change this customer, until the page goes away; a session that ended
        meanwhile (access taken back) is sent to sign in."""
        async with self:
            token = self.router.session.client_token
            scope, _ = await portal_scope_or_refusal(self, None)
        if scope is None:
            return None
        async with hub.subscribe(token + PORTAL_PAGE, scope.customer_id) as subscriber:
            while hub.is_current(subscriber):
                await subscriber.wake.wait()
                subscriber.wake.clear()
                async with hub.slots(), self:
                    refused = await self._load()
                if refused is not None:
                    return refused
        return None
