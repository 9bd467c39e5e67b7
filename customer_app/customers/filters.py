"""The customers list's group and tag filters, looked up through the member and tag indexes, and the yes/no filters
other packages add (customers.list_extras, e.g. "With open balance"), each served by its own index.

Tags are stored as typed and matched ignoring case, through their case-folded `tag_key` and its index.
A filter is applied as `id IN (its customers)` while it selects few rows (they drive the query), and as an `EXISTS`
probe of the primary key when it selects many (the sort index drives and a page fills after a few rows). A filter's ids
(when few) are read once per session until it writes or its transaction ends (a page load asks several times).
"""

from dataclasses import dataclass
from typing import Any

from sqlalchemy import ARRAY, ColumnElement, Integer, any_, bindparam, event
from sqlalchemy.orm import Session as SASession
from sqlmodel import Session, col, func, select

from customer_app.core.normalize import clean_text
from customer_app.customers import list_extras
from customer_app.customers.models import Customer, CustomerGroupMember, CustomerTag

TAG_MAX = 50  # the longest tag that can be stored
_MEMO = "customers.filter_ids"


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


def conditions(listing: ListFilter, *, session: Session, small: int, listed: bool = False) -> list[ColumnElement[bool]]:
    """WHERE conditions on `customer` for the filter; a filter selecting at most `small` rows drives the query.

    `listed` (PostgreSQL): such a filter's ids, read once, are sent as a list the customers are looked up by
    (`id = ANY(:ids)`), which leaves the planner no way in but an index by id.
    A building block of customers.queries, whose callers checked their actor.
    """
    found = []
    for key, customer_id, criterion in _parts(listing):
        rows = select(customer_id).where(criterion)
        ids = _ids_if_few(session, key, rows, small)
        if ids is None:
            found.append(rows.where(customer_id == col(Customer.id)).exists())
        elif listed:
            found.append(col(Customer.id) == any_(bindparam(None, list(ids), type_=ARRAY(Integer))))
        else:
            found.append(col(Customer.id).in_(rows))
    return found


def driving(listing: ListFilter, *, session: Session, small: int) -> tuple[int, ...] | None:
    """The ids of the filter's part selecting the fewest customers, when one selects at most `small` (reading those
    customers is then cheaper than walking a sort index); None when none does. PostgreSQL only: on SQLite the ids are
    not read (its plans in customers.search_plans choose their own driver)."""
    few = [
        ids
        for key, customer_id, criterion in _parts(listing)
        if (ids := _ids_if_few(session, key, select(customer_id).where(criterion), small)) is not None
    ]
    return min(few, key=len) if few else None


def _parts(listing: ListFilter) -> list[tuple[tuple, Any, Any]]:
    """Each part of the filter: a key naming it, its table's customer id column and the criterion selecting rows."""
    parts: list[tuple[tuple, Any, Any]] = []
    if listing.group_id is not None:
        member = col(CustomerGroupMember.customer_id)
        parts.append((("group", listing.group_id), member, col(CustomerGroupMember.group_id) == listing.group_id))
    if listing.tag_key is not None:
        parts.append(
            (("tag", listing.tag_key), col(CustomerTag.customer_id), col(CustomerTag.tag_key) == listing.tag_key)
        )
    for key in listing.flags:
        added = list_extras.flag(key)
        parts.append((("flag", key), added.customer_id, added.criterion))
    return parts


def _ids_if_few(session: Session, key: tuple, rows, small: int) -> tuple[int, ...] | None:
    """The customer ids `rows` selects when they are at most `small`, else None (remembered under `key`).

    One row either way: PostgreSQL sends them as one array, SQLite (whose plans need only the answer) their count.
    """
    memo = session.info.setdefault(_MEMO, {})
    if (key, small) not in memo:
        first = rows.limit(small + 1).subquery()
        if session.get_bind().dialect.name == "postgresql":
            found = tuple(session.exec(select(func.array_agg(first.c[0]))).one() or ())
            memo[key, small] = found if len(found) <= small else None
        else:
            count = session.exec(select(func.count()).select_from(first)).one()
            memo[key, small] = () if count <= small else None
    return memo[key, small]


@event.listens_for(SASession, "after_flush")
@event.listens_for(SASession, "after_transaction_end")
def _forget(session: SASession, *_args: object) -> None:
    session.info.pop(_MEMO, None)
