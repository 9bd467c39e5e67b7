"""Tickets from the customer's side: their own customer's tickets only, with the thread staff see too."""

from sqlmodel import Session, col, func, select

from customer_app.core import audit
from customer_app.errors import NotFoundError
from customer_app.portal.scope import PortalScope
from customer_app.records import ticket_replies, tickets
from customer_app.records.models import TICKET_STATUSES, Ticket, TicketReply, TicketStatusChange

SECTION = "tickets"
OPEN_STATUSES = ("new", "in_progress")
SHOWN = 100


def my_tickets(status: str, *, scope: PortalScope, session: Session) -> list[Ticket]:
    """The customer's tickets, newest first; only those with `status` when one is given."""
    scope.require(SECTION)
    query = select(Ticket).where(col(Ticket.customer_id) == scope.customer_id)
    if status in TICKET_STATUSES:
        query = query.where(col(Ticket.status) == status)
    return list(session.exec(query.order_by(col(Ticket.created_at).desc(), col(Ticket.id).desc()).limit(SHOWN)))


def open_count(*, scope: PortalScope, session: Session) -> int:
    """How many of the customer's tickets are not solved or cancelled yet."""
    scope.require(SECTION)
    where = (col(Ticket.customer_id) == scope.customer_id, col(Ticket.status).in_(OPEN_STATUSES))
    return session.exec(select(func.count()).select_from(Ticket).where(*where)).one()


def threads(found: list[Ticket], *, scope: PortalScope, session: Session) -> dict[int, list[TicketReply]]:
    """The replies of tickets `my_tickets` gave, oldest first."""
    scope.require(SECTION)
    return ticket_replies.replies_of([t.id for t in found if t.customer_id == scope.customer_id], session=session)


def status_changes(found: list[Ticket], *, scope: PortalScope, session: Session) -> dict[int, list[TicketStatusChange]]:
    """The status changes of tickets `my_tickets` gave, after the opening one, oldest first."""
    scope.require(SECTION)
    history = tickets.changes_of([t.id for t in found if t.customer_id == scope.customer_id], session=session)
    return {ticket_id: [c for c in changes if c.from_status] for ticket_id, changes in history.items()}


def open_ticket(subject: str, description: str, *, scope: PortalScope, session: Session) -> Ticket:
    """Open a ticket for the customer, marked as coming from the portal."""
    scope.require(SECTION)
    ticket = tickets.open_ticket(
        scope.customer_id, subject, description, "normal", author_name=scope.name, from_customer=True, session=session
    )
    _audit(scope, session, "portal_ticket_add", f"Opened ticket “{ticket.subject}” in the portal")
    return ticket


def reply(ticket_id: int, body: str, *, scope: PortalScope, session: Session) -> TicketReply:
    """Add the customer's reply to one of their own tickets (another customer's ticket does not exist for them)."""
    scope.require(SECTION)
    ticket = session.get(Ticket, ticket_id)
    if ticket is None or ticket.customer_id != scope.customer_id:
        raise NotFoundError("This ticket does not exist.")
    answer = ticket_replies.write_reply(ticket, body, author_name=scope.name, from_customer=True, session=session)
    _audit(scope, session, "portal_ticket_reply", f"Replied to ticket “{ticket.subject}” in the portal")
    return answer


def _audit(scope: PortalScope, session: Session, action: str, summary: str) -> None:
    audit.record(
        session,
        actor=None,
        actor_email=scope.email,
        address=scope.address,
        action=action,
        entity_type="customer",
        entity_id=scope.customer_id,
        summary=summary[:300],
    )
