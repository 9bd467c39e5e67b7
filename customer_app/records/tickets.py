"""Tickets on a customer: subject, description, priority and status, each status change kept in its history."""

from sqlmodel import Session, col, select

from customer_app.core import audit
from customer_app.core.columns import utcnow
from customer_app.core.normalize import clean_text
from customer_app.core.permissions import Actor, require
from customer_app.customers.customers import get_customer
from customer_app.customers.models import Customer
from customer_app.errors import NotFoundError, ValidationError
from customer_app.records.models import TICKET_PRIORITIES, TICKET_STATUSES, Ticket, TicketStatusChange

TICKETS_SHOWN = 200
MAX_SUBJECT = 200
MAX_DESCRIPTION = 10_000
GONE = "This customer does not exist any more; it may have been deleted."


def _checked(subject: str, description: str, priority: str, status: str) -> tuple[str, str]:
    errors = {}
    title = clean_text(subject) or ""
    if not title:
        errors["subject"] = "Give the ticket a subject."
    elif len(title) > MAX_SUBJECT:
        errors["subject"] = f"Keep the subject under {MAX_SUBJECT} characters."
    text = (description or "").strip()
    if len(text) > MAX_DESCRIPTION:
        errors["description"] = f"Keep the description under {MAX_DESCRIPTION:,} characters."
    if priority not in TICKET_PRIORITIES:
        errors["priority"] = "Choose a priority from the list."
    if status not in TICKET_STATUSES:
        errors["status"] = "Choose a status from the list."
    if errors:
        raise ValidationError(errors)
    return title, text


def active_customer(customer_id: int, *, session: Session) -> Customer:
    """The customer a ticket write is for, refused once it is in Trash or gone (the caller checked who asks)."""
    customer = session.get(Customer, customer_id)
    if customer is None or customer.deleted_at is not None:
        raise NotFoundError(GONE)
    return customer


def open_ticket(
    customer_id: int,
    subject: str,
    description: str,
    priority: str,
    *,
    author_name: str,
    from_customer: bool,
    session: Session,
) -> Ticket:
    """Open a ticket (status New) on an active customer, for a caller that already checked who asks (staff through
    `create_ticket`, the portal through its own scope); it writes no audit record."""
    title, text = _checked(subject, description, priority, "new")
    customer = active_customer(customer_id, session=session)
    author = author_name[:200]
    ticket = Ticket(
        customer_id=customer.id,
        subject=title,
        description=text,
        priority=priority,
        created_by_name=author,
        from_customer=from_customer,
    )
    session.add(ticket)
    session.flush()
    session.add(TicketStatusChange(ticket_id=ticket.id, to_status="new", changed_by_name=author))
    return ticket


def create_ticket(
    customer_id: int, subject: str, description: str, priority: str, *, actor: Actor, session: Session
) -> Ticket:
    """Open a ticket (status New) on an active customer as staff."""
    require(actor, "customer.edit")
    customer = get_customer(customer_id, actor=actor, session=session)
    ticket = open_ticket(
        customer.id, subject, description, priority, author_name=actor.name, from_customer=False, session=session
    )
    audit.record(
        session,
        actor=actor,
        action="ticket_add",
        entity_type="customer",
        entity_id=customer.id,
        summary=f"Opened ticket “{ticket.subject}”"[:300],
    )
    return ticket


def update_ticket(
    ticket_id: int, subject: str, description: str, priority: str, status: str, *, actor: Actor, session: Session
) -> Ticket:
    """Save a ticket's new values; a new status is added to its history."""
    require(actor, "customer.edit")
    title, text = _checked(subject, description, priority, status)
    ticket = session.get(Ticket, ticket_id)
    if ticket is None:
        raise NotFoundError("This ticket does not exist any more.")
    before = {"subject": ticket.subject, "description": ticket.description, "priority": ticket.priority}
    before["status"] = ticket.status
    if status != ticket.status:
        session.add(
            TicketStatusChange(
                ticket_id=ticket.id, from_status=ticket.status, to_status=status, changed_by_name=actor.name
            )
        )
    ticket.subject, ticket.description, ticket.priority, ticket.status = title, text, priority, status
    ticket.updated_at = utcnow()
    session.add(ticket)
    session.flush()
    after = {"subject": title, "description": text, "priority": priority, "status": status}
    audit.record(
        session,
        actor=actor,
        action="ticket_update",
        entity_type="customer",
        entity_id=ticket.customer_id,
        summary=f"Updated ticket “{title}”"[:300],
        changes=audit.field_changes(before, after),
    )
    return ticket


def list_tickets(customer_id: int, status: str = "", *, actor: Actor, session: Session) -> list[Ticket]:
    """A customer's tickets, newest first; only those with `status` when one is given."""
    require(actor, "customer.view")
    query = select(Ticket).where(col(Ticket.customer_id) == customer_id)
    if status in TICKET_STATUSES:
        query = query.where(col(Ticket.status) == status)
    newest_first = (col(Ticket.created_at).desc(), col(Ticket.id).desc())
    return list(session.exec(query.order_by(*newest_first).limit(TICKETS_SHOWN)).all())


def status_history(ticket_ids: list[int], *, actor: Actor, session: Session) -> dict[int, list[TicketStatusChange]]:
    """Each ticket's status changes, oldest first."""
    require(actor, "customer.view")
    return changes_of(ticket_ids, session=session)


def changes_of(ticket_ids: list[int], *, session: Session) -> dict[int, list[TicketStatusChange]]:
    """Each ticket's status changes, oldest first, for a caller that already checked who asks (the portal)."""
    history: dict[int, list[TicketStatusChange]] = {ticket_id: [] for ticket_id in ticket_ids}
    query = select(TicketStatusChange).where(col(TicketStatusChange.ticket_id).in_(ticket_ids))
    for change in session.exec(query.order_by(col(TicketStatusChange.id))):
        history[change.ticket_id].append(change)
    return history
