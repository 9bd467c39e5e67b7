"""The customers list's group and tag filters, looked up through the member and tag indexes, and the yes/no filters
other packages add (customers.list_extras, e.g. "With open balance"), each served by its own index.

Tags are stored as typed and matched ignoring case, through their case-folded `tag_key` and its index.
A filter is applied as `id IN (its customers)` while it selects few rows (they drive the query), and as an `EXISTS`
probe of the primary key when it selects many (the sort index drives and a page fills after a few rows).
"""

from dataclasses import dataclass

from sqlalchemy import ColumnElement
from sqlmodel import Session, col, func, select

from customer_app.core.normalize import clean_text
from customer_app.customers import list_extras
from customer_app.customers.models import Customer, CustomerGroupMember, CustomerTag

TAG_MAX = 50  # the longest tag that can be stored


@dataclass(frozen=True)
class ListFilter:
    """Group and tag filters, the tag as its case-folded key, and the added yes/no filters that are on."""

    group_id: int | None = None
    tag_key: str | None = None  # None: no tag filter
    flags: tuple[str, ...] = ()  # keys of list_extras flags

    @property
    def active(self) -> bool:
        """Whether any filter is set."""
        return self.group_id is not None or self.tag_key is not None or bool(self.flags)


@dataclass(frozen=True)
class Source:
    """Customers one condition selects, in SQL: `ids` lists their ids, `probe` tests one `customer` row."""

    ids: str
    probe: str


def clean_tag(tag: str) -> str:
    """A typed tag as stored tags are compared with it: trimmed, inner spaces single, at most TAG_MAX long."""
    return (clean_text(tag) or "")[:TAG_MAX]


def resolve(group_id: int | None, tag: str, flags: tuple[str, ...] = ()) -> ListFilter:
    """The filter for a group id, a typed tag ("" for none) and the keys of added filters (unknown ones dropped)."""
    return ListFilter(group_id, clean_tag(tag).casefold() or None, list_extras.known_flags(flags))


def sources(listing: ListFilter) -> tuple[list[Source], dict[str, object]]:
    """The filter as SQL sources for the SQLite plans, with their parameters."""
    found, params = [], {}
    if listing.group_id is not None:
        params["group_id"] = listing.group_id
        member = "FROM customer_group_member AS gm WHERE gm.group_id = :group_id"
        found.append(
            Source(
                f"SELECT gm.customer_id AS id {member}", f"EXISTS (SELECT 1 {member} AND gm.customer_id = customer.id)"
            )
        )
    if listing.tag_key is not None:
        params["tag_key"] = listing.tag_key
        tagged = "FROM customer_tag AS ct WHERE ct.tag_key = :tag_key"
        found.append(
            Source(
                f"SELECT ct.customer_id AS id {tagged}",  # a customer's own tags never repeat ignoring case
                f"EXISTS (SELECT 1 {tagged} AND ct.customer_id = customer.id)",
            )
        )
    found.extend(Source(list_extras.flag(key).ids_sql, list_extras.flag(key).probe_sql) for key in listing.flags)
    return found, params


def conditions(listing: ListFilter, *, session: Session, small: int) -> list[ColumnElement[bool]]:
    """WHERE conditions on `customer` for the filter; a filter selecting at most `small` rows drives the query.

    A building block of customers.queries, whose callers checked their actor.
    """
    found = []
    if listing.group_id is not None:
        found.append(
            _condition(
                col(CustomerGroupMember.customer_id),
                col(CustomerGroupMember.group_id) == listing.group_id,
                session,
                small,
            )
        )
    if listing.tag_key is not None:
        found.append(
            _condition(col(CustomerTag.customer_id), col(CustomerTag.tag_key) == listing.tag_key, session, small)
        )
    for key in listing.flags:
        added = list_extras.flag(key)
        found.append(_condition(added.customer_id, added.criterion, session, small))
    return found


def _condition(customer_id, criterion, session: Session, small: int) -> ColumnElement[bool]:
    rows = select(customer_id).where(criterion)
    if session.exec(select(func.count()).select_from(rows.limit(small + 1).subquery())).one() <= small:
        return col(Customer.id).in_(rows)
    return rows.where(customer_id == col(Customer.id)).exists()
