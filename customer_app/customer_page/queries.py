"""What the customer page reads itself, one statement each: the groups and tags its header shows, and how many
records the Overview counts on each tab."""

from dataclasses import dataclass, field

from sqlalchemy import ColumnElement, bindparam, literal, union_all
from sqlmodel import Session, col, func, select

from customer_app.core.columns import utcnow
from customer_app.core.permissions import Actor, require
from customer_app.customers.models import CustomerGroup, CustomerGroupMember, CustomerTag
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

TICKET_FILTERS = ("all", *TICKET_STATUSES)  # what the Tickets tab can show
_CUSTOMER, _NOW = bindparam("customer_id"), bindparam("now")


@dataclass
class HeaderLabels:
    """The groups a customer is in and its tags, each by name."""

    groups: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)


@dataclass
class OverviewCounts:
    """What each tab lists of one customer, counted as the tab would list it."""

    contacts: int = 0
    addresses: int = 0
    notes: int = 0
    upcoming: int = 0
    tickets: dict[str, int] = field(default_factory=dict)  # by the Tickets tab's filter: "all" or a status


def _count(model, *where: ColumnElement[bool]):
    return select(func.count()).select_from(model).where(col(model.customer_id) == _CUSTOMER, *where).scalar_subquery()


# Both statements are built once: composing them costs more than the database takes to run them.
_LABELS = union_all(
    select(literal("group").label("kind"), col(CustomerGroup.name).label("label"))
    .join(CustomerGroupMember, col(CustomerGroupMember.group_id) == col(CustomerGroup.id))
    .where(col(CustomerGroupMember.customer_id) == _CUSTOMER),
    select(literal("tag"), col(CustomerTag.tag)).where(col(CustomerTag.customer_id) == _CUSTOMER),
).order_by("kind", "label")
_COUNTS = select(
    _count(CustomerContact, col(CustomerContact.channel).in_(list(CONTACT_CHANNELS))),
    _count(CustomerAddress),
    _count(CustomerNote),
    _count(Activity, col(Activity.starts_at) >= _NOW),
    *(_count(Ticket, *([] if key == "all" else [col(Ticket.status) == key])) for key in TICKET_FILTERS),
)


def header_labels(customer_id: int, *, actor: Actor, session: Session) -> HeaderLabels:
    """A customer's groups and tags, each in name order."""
    require(actor, "customer.view")
    labels = HeaderLabels()
    for kind, label in session.execute(_LABELS, params={"customer_id": customer_id}):
        (labels.groups if kind == "group" else labels.tags).append(label)
    return labels


def overview_counts(customer_id: int, *, actor: Actor, session: Session) -> OverviewCounts:
    """A customer's contacts, addresses, notes, upcoming activities and tickets, capped where the tabs cap them."""
    require(actor, "customer.view")
    row = session.exec(_COUNTS, params={"customer_id": customer_id, "now": utcnow()}).one()
    contacts, addresses, notes, upcoming, *tickets = row
    return OverviewCounts(
        contacts=contacts,
        addresses=addresses,
        notes=min(notes, NOTES_SHOWN),
        upcoming=min(upcoming, ACTIVITIES_SHOWN),
        tickets={key: min(n, TICKETS_SHOWN) for key, n in zip(TICKET_FILTERS, tickets, strict=True)},
    )
