"""What the customer page reads itself: how many records the overview counts on each tab (one statement)."""

from dataclasses import dataclass, field

from sqlalchemy import ColumnElement
from sqlmodel import Session, col, func, select

from customer_app.core.columns import utcnow
from customer_app.core.permissions import Actor, require
from customer_app.records.activities import ACTIVITIES_SHOWN
from customer_app.records.models import (
    CONTACT_CHANNELS,
    TICKET_STATUSES,
    Activity,
    CustomerAddress,
    CustomerContact,
    CustomerNote,
    Ticket,
)
from customer_app.records.notes import NOTES_SHOWN
from customer_app.records.tickets import TICKETS_SHOWN


@dataclass
class OverviewCounts:
    """What each tab lists of one customer, counted as the tab would list it."""

    contacts: int = 0
    addresses: int = 0
    notes: int = 0
    upcoming: int = 0
    tickets: dict[str, int] = field(default_factory=dict)  # by the Tickets tab's filter: "all" or a status


def _count(model, customer_id: int, *where: ColumnElement[bool]):
    return select(func.count()).select_from(model).where(col(model.customer_id) == customer_id, *where)


def overview_counts(customer_id: int, *, actor: Actor, session: Session) -> OverviewCounts:
    """A customer's contacts, addresses, notes, upcoming activities and tickets, capped where the tabs cap them."""
    require(actor, "customer.view")
    ticket_filters = {"all": []} | {status: [col(Ticket.status) == status] for status in TICKET_STATUSES}
    counts = [
        _count(CustomerContact, customer_id, col(CustomerContact.channel).in_(list(CONTACT_CHANNELS))),
        _count(CustomerAddress, customer_id),
        _count(CustomerNote, customer_id),
        _count(Activity, customer_id, col(Activity.starts_at) >= utcnow()),
        *(_count(Ticket, customer_id, *where) for where in ticket_filters.values()),
    ]
    contacts, addresses, notes, upcoming, *tickets = session.exec(select(*(c.scalar_subquery() for c in counts))).one()
    return OverviewCounts(
        contacts=contacts,
        addresses=addresses,
        notes=min(notes, NOTES_SHOWN),
        upcoming=min(upcoming, ACTIVITIES_SHOWN),
        tickets={key: min(n, TICKETS_SHOWN) for key, n in zip(ticket_filters, tickets, strict=True)},
    )
