"""Replies on tickets: one thread per ticket, written by staff on the customer page or by the customer in the portal."""

from sqlmodel import Session, col, select

from customer_app.core import audit
from customer_app.core.columns import utcnow
from customer_app.core.permissions import Actor, require
from customer_app.customers.customers import get_customer
from customer_app.errors import NotFoundError, ValidationError
from customer_app.records.models import REPLY_MAX_CHARS, Ticket, TicketReply
from customer_app.records.tickets import active_customer


def _checked(body: str) -> str:
    text = (body or "").strip()
    if not text:
        raise ValidationError({"reply": "Write a reply first."})
    if len(text) > REPLY_MAX_CHARS:
        raise ValidationError({"reply": f"Keep a reply under {REPLY_MAX_CHARS:,} characters."})
    return text


def write_reply(ticket: Ticket, body: str, *, author_name: str, from_customer: bool, session: Session) -> TicketReply:
    """Add a reply to a ticket of an active customer, for a caller that already checked who asks (staff through
    `add_reply`, the portal through its own scope); it writes no audit record and leaves the status alone."""
    text = _checked(body)
    active_customer(ticket.customer_id, session=session)
    reply = TicketReply(ticket_id=ticket.id, body=text, author_name=author_name[:200], from_customer=from_customer)
    ticket.updated_at = utcnow()
    session.add_all([reply, ticket])
    session.flush()
    return reply


def add_reply(ticket_id: int, body: str, *, actor: Actor, session: Session) -> TicketReply:
    """Reply to a ticket as staff; the text is stored as typed (shown as text, never as HTML)."""
    require(actor, "customer.edit")
    ticket = session.get(Ticket, ticket_id)
    if ticket is None:
        raise NotFoundError("This ticket does not exist any more.")
    get_customer(ticket.customer_id, actor=actor, session=session)
    reply = write_reply(ticket, body, author_name=actor.name, from_customer=False, session=session)
    audit.record(
        session,
        actor=actor,
        action="ticket_reply",
        entity_type="customer",
        entity_id=ticket.customer_id,
        summary=f"Replied to ticket “{ticket.subject}”"[:300],
    )
    return reply


def replies_of(ticket_ids: list[int], *, session: Session) -> dict[int, list[TicketReply]]:
    """Each ticket's replies, oldest first, for a caller that already checked who asks (see `ticket_replies`)."""
    thread: dict[int, list[TicketReply]] = {ticket_id: [] for ticket_id in ticket_ids}
    query = select(TicketReply).where(col(TicketReply.ticket_id).in_(ticket_ids)).order_by(col(TicketReply.id))
    for reply in session.exec(query):
        thread[reply.ticket_id].append(reply)
    return thread


def ticket_replies(ticket_ids: list[int], *, actor: Actor, session: Session) -> dict[int, list[TicketReply]]:
    """Each ticket's replies, oldest first, for staff who may view customers."""
    require(actor, "customer.view")
    return replies_of(ticket_ids, session=session)
