"""The customers list's group and tag filters, looked up through the member and tag indexes.

Tags are stored as typed and matched ignoring case, but the tag index `(tag, customer_id)` is case-sensitive. So a
tag filter first finds the spellings of the tag in use: a loose index scan (one seek per distinct tag) over the
ranges that can hold them (each case variant of the tag, or of its first letters when it has many; SQLite and
PostgreSQL with a bytewise collation order text by bytes), compared with `casefold()` here. The list then looks up
`tag IN (spellings)`.

A filter is applied as `id IN (its customers)` while it selects few rows (they drive the query), and as an `EXISTS`
probe of the primary key when it selects many (the sort index drives and a page fills after a few rows).
"""

from dataclasses import dataclass
from itertools import product

from sqlalchemy import ColumnElement, false, text
from sqlmodel import Session, col, func, select

from customer_app.models.customer import Customer
from customer_app.models.customer_records import CustomerGroupMember, CustomerTag
from customer_app.services.normalize import clean_text

TAG_MAX = 50  # the longest tag that can be stored
_VARIANTS = 16  # case variants of a tag (or of its start) looked up one by one
_TOP = "\U0010ffff"  # sorts after any text that could follow a prefix

_DISTINCT_TAGS = """
WITH RECURSIVE spelled(tag) AS (
    SELECT (SELECT tag FROM customer_tag WHERE tag >= :low {below} ORDER BY tag LIMIT 1)
    UNION ALL
    SELECT (SELECT tag FROM customer_tag WHERE tag > spelled.tag {below} ORDER BY tag LIMIT 1)
    FROM spelled WHERE spelled.tag IS NOT NULL
)
SELECT tag FROM spelled WHERE tag IS NOT NULL
"""


@dataclass(frozen=True)
class ListFilter:
    """Group and tag filters, the tag resolved to its stored spellings."""

    group_id: int | None = None
    tags: tuple[str, ...] | None = None  # None: no tag filter; (): a tag no customer has

    @property
    def active(self) -> bool:
        """Whether any filter is set."""
        return self.group_id is not None or self.tags is not None


@dataclass(frozen=True)
class Source:
    """Customers one condition selects, in SQL: `ids` lists their ids, `probe` tests one `customer` row."""

    ids: str
    probe: str


def clean_tag(tag: str) -> str:
    """A typed tag as stored tags are compared with it: trimmed, inner spaces single, at most TAG_MAX long."""
    return (clean_text(tag) or "")[:TAG_MAX]


def resolve(group_id: int | None, tag: str, *, session: Session) -> ListFilter:
    """The filter for a group id and a typed tag ("" for none)."""
    tag = clean_tag(tag)
    return ListFilter(group_id, tag_spellings(tag, session=session) if tag else None)


def tag_spellings(tag: str, *, session: Session) -> tuple[str, ...]:
    """How the tag is spelled on customers, ignoring case (e.g. "VIP" finds "vip" and "Vip")."""
    wanted = tag.casefold()
    found = set()
    for low, high in _ranges(tag) if _bytewise(session) else [("", None)]:
        below = "AND tag <= :high" if high is not None else ""
        rows = session.exec(text(_DISTINCT_TAGS.format(below=below)), params={"low": low, "high": high}).all()
        found.update(stored for (stored,) in rows if stored.casefold() == wanted)
    return tuple(sorted(found))


def _ranges(tag: str) -> list[tuple[str, str]]:
    """Ranges of the tag index holding every case variant of the tag (at most _VARIANTS of them).

    A tag with few variants is looked up spelling by spelling; a longer one by each variant of its start.
    """
    variants, count = [], 1
    for char in tag:
        forms = {char, char.lower(), char.upper(), char.title(), char.casefold()}
        if count * len(forms) > _VARIANTS:
            return [(start, start + _TOP) for start in _joined(variants)]
        variants.append(forms)
        count *= len(forms)
    return [(spelling, spelling) for spelling in _joined(variants)]


def _joined(variants: list[set[str]]) -> set[str]:
    return {"".join(parts) for parts in product(*variants)}


def _bytewise(session: Session) -> bool:
    """Whether the database orders text by bytes (code points), so a prefix bounds a range of the index."""
    if session.get_bind().dialect.name == "sqlite":
        return True
    info = session.connection().connection.info
    if "bytewise" not in info:  # any linguistic collation puts "a" before "B"
        info["bytewise"] = bool(session.exec(text("SELECT 'B' < 'a'")).scalar_one())
    return info["bytewise"]


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
    if listing.tags is not None:
        names = [f"tag_{n}" for n in range(len(listing.tags))]
        params |= dict(zip(names, listing.tags, strict=True))
        tagged = f"FROM customer_tag AS ct WHERE ct.tag IN ({', '.join(':' + n for n in names) or 'NULL'})"
        found.append(
            Source(
                f"SELECT DISTINCT ct.customer_id AS id {tagged}",  # a customer's own tags never repeat ignoring case
                f"EXISTS (SELECT 1 {tagged} AND ct.customer_id = customer.id)",
            )
        )
    return found, params


def conditions(listing: ListFilter, *, session: Session, small: int) -> list[ColumnElement[bool]]:
    """WHERE conditions on `customer` for the filter; a filter selecting at most `small` rows drives the query."""
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
    if listing.tags == ():
        found.append(false())
    elif listing.tags is not None:
        found.append(_condition(col(CustomerTag.customer_id), col(CustomerTag.tag).in_(listing.tags), session, small))
    return found


def _condition(customer_id, criterion, session: Session, small: int) -> ColumnElement[bool]:
    rows = select(customer_id).where(criterion)
    if session.exec(select(func.count()).select_from(rows.limit(small + 1).subquery())).one() <= small:
        return col(Customer.id).in_(rows)
    return rows.where(customer_id == col(Customer.id)).exists()
