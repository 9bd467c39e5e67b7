"""Read customers a page at a time: tabs, substring search, allow-listed sorting, counts.

On SQLite this module picks the query plans itself (bench/bench_list.py measures them on a million customers).
SQLite's planner cannot know how many rows an FTS5 MATCH returns, so `id IN (SELECT rowid FROM customer_fts ...)
ORDER BY ... LIMIT 25` either walks the whole sort index (0.2-0.5 s for a rare term when the database has no
ANALYZE statistics) or reads and sorts every candidate (0.1-0.5 s for a common term once it has). Instead a capped
look at the trigram index decides:

* few candidates (at most CANDIDATE_LIMIT): read those rows, then sort them; `CROSS JOIN` makes SQLite start from
  the trigram index whatever its statistics say. Reading a candidate costs 1.5-2 microseconds.
* many: test the first WALK_LIMIT rows of the sort column's index; a common term fills a page within a few hundred
  rows. Only when it does not (its matches sort late, or are rare in this tab) are all the candidates read.

Counting visits every row counted (about 0.1 microsecond each: 60 ms for 666,000 customers), so on SQLite counts
are remembered per connection until the database changes, and `count_tabs` counts a broad search only among its
first CANDIDATE_LIMIT candidates.

Group and tag filters (customer_filters) are candidate sources like the trigram index: the source with the fewest
candidates drives, the others are tested per row, and the same walk / read-and-sort choice applies.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

from sqlalchemy import ColumnElement, and_, case, func, literal, text, tuple_
from sqlmodel import Session, col, select

from customer_app.core.normalize import fold
from customer_app.customers import filters as customer_filters
from customer_app.customers.filters import ListFilter, Source, clean_tag
from customer_app.customers.models import Customer, CustomerKind

TABS = ("individual", "institution", "trash")
SORT_COLUMNS = {
    "name": Customer.sort_name,
    "email": Customer.email_key,
    "phone": Customer.phone,
    "company": Customer.company_key,
    "created": Customer.created_at,
    "deleted": Customer.deleted_at,
}
DEFAULT_SORT = {"individual": ("name", "asc"), "institution": ("name", "asc"), "trash": ("deleted", "desc")}
_PHONE_LIKE = re.compile(r"^[+(\d][\d\s().\-/]*$")

CANDIDATE_LIMIT = 5_000  # trigram candidates read and sorted (or counted) directly; ~10 ms
WALK_LIMIT = 1_000  # rows of the sort index tested when a search has more candidates; ~2 ms
_REMEMBERED = 64  # values remembered per connection

# Fixed SQL for the SQLite plans: only these allow-listed fragments are ever put into it.
_TAB_SQL = {
    "individual": "customer.kind = 'individual' AND customer.deleted_at IS NULL",
    "institution": "customer.kind = 'institution' AND customer.deleted_at IS NULL",
    "trash": "customer.deleted_at IS NOT NULL",
}
_SORT_SQL = {key: f"customer.{attribute.expression.name}" for key, attribute in SORT_COLUMNS.items()}
_MATCH = "customer_fts MATCH :phrase"

T = TypeVar("T")


@dataclass(frozen=True)
class ListQuery:
    """What a viewer asked to see; every field is checked against an allow-list."""

    tab: str = "individual"
    search: str = ""
    sort: str = "name"
    direction: str = "asc"
    page: int = 1
    page_size: int = 25
    group_id: int | None = None  # only customers in this group
    tag: str = ""  # only customers with this tag, ignoring case ("" for any)

    def checked(self, page_sizes: tuple[int, ...]) -> "ListQuery":
        """The same query with anything unknown replaced by a safe default."""
        tab = self.tab if self.tab in TABS else "individual"
        sort, direction = self.sort, self.direction
        if sort not in SORT_COLUMNS or (sort == "deleted" and tab != "trash"):
            sort, direction = DEFAULT_SORT[tab]
        direction = direction if direction in ("asc", "desc") else "asc"
        size = self.page_size if self.page_size in page_sizes else page_sizes[0]
        group = self.group_id if type(self.group_id) is int and self.group_id > 0 else None
        page = max(1, int(self.page))
        return ListQuery(tab, self.search[:100], sort, direction, page, size, group, clean_tag(self.tag))

    def resolved(self) -> ListFilter:
        """The query's group and tag filter."""
        return customer_filters.resolve(self.group_id, self.tag)


def search_term(raw: str) -> str:
    """The folded form of what was typed; phone-like input becomes its digits."""
    term = " ".join(raw.split())
    if _PHONE_LIKE.match(term) and sum(ch.isdigit() for ch in term) >= 3:
        return re.sub(r"\D", "", term)
    return fold(term)


def tab_filter(
    tab: str, search: str, session: Session, *, group_id: int | None = None, tag: str = ""
) -> list[ColumnElement[bool]]:
    """WHERE conditions selecting a tab's customers that match the search and the group and tag filters."""
    return _where(tab, search, customer_filters.resolve(group_id, tag), session)


def _where(tab: str | None, search: str, listing: ListFilter, session: Session) -> list[ColumnElement[bool]]:
    if tab is None:  # every tab
        conditions = []
    elif tab == "trash":
        conditions = [col(Customer.deleted_at).is_not(None)]
    else:
        conditions = [col(Customer.kind) == CustomerKind(tab).value, col(Customer.deleted_at).is_(None)]
    term = search_term(search)
    if term:
        conditions.append(_matches(term, _dialect(session)))
    return conditions + customer_filters.conditions(listing, session=session, small=CANDIDATE_LIMIT)


def _matches(term: str, dialect: str) -> ColumnElement[bool]:
    if len(term) < 3:
        # Too short for a trigram index: match the start of the name, which the name index serves.
        if dialect == "sqlite":
            # A range rather than LIKE, which SQLite cannot serve from an index on a case-sensitive column.
            return and_(col(Customer.sort_name) >= term, col(Customer.sort_name) < term + "\U0010ffff")
        return col(Customer.sort_name).startswith(term, autoescape=True)
    if dialect == "sqlite":
        ids = text("SELECT rowid FROM customer_fts WHERE customer_fts MATCH :phrase").bindparams(phrase=_phrase(term))
        return col(Customer.id).in_(ids.columns(rowid=Customer.id.type))
    return col(Customer.search_text).contains(term, autoescape=True)


def list_customers(query: ListQuery, *, session: Session) -> list[Customer]:
    """One page of customers for the query (already checked)."""
    term, listing = search_term(query.search), query.resolved()
    if _dialect(session) == "sqlite" and _planned(term, listing):
        return _sqlite_page(query, _plan(term, listing), session)
    sort_column = col(SORT_COLUMNS[query.sort])
    order = sort_column.desc() if query.direction == "desc" else sort_column.asc()
    tiebreak = col(Customer.id).desc() if query.direction == "desc" else col(Customer.id).asc()
    statement = (
        select(Customer)
        .where(*_where(query.tab, query.search, listing, session))
        .order_by(order, tiebreak)
        .offset((query.page - 1) * query.page_size)
        .limit(query.page_size)
    )
    return list(session.exec(statement).all())


def neighbours(query: ListQuery, customer: Customer, *, session: Session) -> tuple[int | None, int | None]:
    """The customers just before and after this one in the list's tab, search, filters and sort (None at either end).

    Each side is one index seek on (sort value, id). Customers without a value (no e-mail, phone or company) sit
    where the database lists them: first on SQLite, last on PostgreSQL, in id order.
    """
    key, ident = col(SORT_COLUMNS[query.sort]), col(Customer.id)
    value = getattr(customer, SORT_COLUMNS[query.sort].key)
    conditions = _where(query.tab, query.search, query.resolved(), session)
    nulls_low = _dialect(session) == "sqlite"

    def first(*where: ColumnElement[bool], descending: bool) -> int | None:
        order = (key.desc(), ident.desc()) if descending else (key.asc(), ident.asc())
        return session.exec(select(Customer.id).where(*conditions, *where).order_by(*order).limit(1)).first()

    def step(up: bool) -> int | None:
        """The nearest customer above (`up`) or below this one, in the order ascending sorts list them."""
        if value is None:
            found = first(key.is_(None), ident > customer.id if up else ident < customer.id, descending=not up)
            spills = up == nulls_low  # past the last empty value into the valued ones
        else:
            here = tuple_(literal(value, key.type), literal(customer.id))
            found = first(tuple_(key, ident) > here if up else tuple_(key, ident) < here, descending=not up)
            spills = up != nulls_low  # past the last value into the empty ones
        if found is not None or not spills:
            return found
        return first(key.is_not(None) if value is None else key.is_(None), descending=not up)

    ascending = query.direction == "asc"
    return step(not ascending), step(ascending)


def count_customers(tab: str, search: str, *, session: Session, group_id: int | None = None, tag: str = "") -> int:
    """How many customers a tab shows for a search and filters (exact; on SQLite remembered until data changes)."""
    term, listing = search_term(search), customer_filters.resolve(group_id, tag)
    if _dialect(session) != "sqlite":
        statement = select(func.count()).select_from(Customer).where(*_where(tab, search, listing, session))
        return session.exec(statement).one()
    if not term and not listing.active:
        return _remembered(session, ("tabs",), lambda: _tab_sizes(session))[tab]
    if _planned(term, listing):
        plan = _plan(term, listing)
        return _remembered(session, ("tabs", term, listing), lambda: _planned_counts(session, plan))[0][tab]
    statement = select(func.count()).select_from(Customer).where(*_where(tab, search, listing, session))
    return _remembered(session, (tab, term), lambda: session.exec(statement).one())


def count_tabs(
    search: str, *, session: Session, group_id: int | None = None, tag: str = ""
) -> tuple[dict[str, int], bool]:
    """Every tab's count for a search and filters, and whether the counts are exact.

    On SQLite a search or filter with more than CANDIDATE_LIMIT candidates (in its narrowest source) is counted among
    its first CANDIDATE_LIMIT candidates only, so each count is a lower bound, to be shown as "5,000+". Counting every
    candidate costs 1.5-2 microseconds each per tab: 60-100 ms for "son" (49,000 candidates), 0.4 s for a term in
    every row.
    """
    term, listing = search_term(search), customer_filters.resolve(group_id, tag)
    if _dialect(session) == "sqlite" and _planned(term, listing):
        plan = _plan(term, listing)
        return _remembered(
            session, ("tabs", CANDIDATE_LIMIT, term, listing), lambda: _planned_counts(session, plan, CANDIDATE_LIMIT)
        )
    if _dialect(session) != "sqlite" and (term or listing.active):  # one pass over the matches, not one per tab
        tab_of = case((col(Customer.deleted_at).is_(None), col(Customer.kind)), else_="trash")
        statement = select(tab_of, func.count()).where(*_where(None, search, listing, session)).group_by(tab_of)
        found = dict(session.exec(statement).all())
        return {tab: found.get(tab, 0) for tab in TABS}, True
    counts = {tab: count_customers(tab, search, session=session, group_id=group_id, tag=tag) for tab in TABS}
    return counts, True


# --- SQLite plans ---------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Plan:
    """Where a SQLite plan can find candidates (search and filters) and their parameters."""

    sources: tuple[Source, ...]
    params: tuple[tuple[str, object], ...]
    filtered: bool  # a group or tag filter is among the sources

    def others(self, driver: Source) -> str:
        """Per-row tests of every source but the driving one."""
        return " AND ".join(s.probe for s in self.sources if s is not driver) or "1"


def _planned(term: str, listing: ListFilter) -> bool:
    """Whether SQLite gets a chosen plan: a trigram search, or filters without a search.

    A name prefix (a search under three characters) is left to the planner: it walks the name index.
    """
    return len(term) >= 3 or (listing.active and not term)


def _plan(term: str, listing: ListFilter) -> _Plan:
    found, params = customer_filters.sources(listing)
    if len(term) >= 3:
        fts = Source(
            f"SELECT customer_fts.rowid AS id FROM customer_fts WHERE {_MATCH}",
            "instr(customer.search_text, :term) > 0",
        )
        found, params = [fts, *found], params | {"phrase": _phrase(term), "term": term}
    return _Plan(tuple(found), tuple(params.items()), listing.active)


def _driver(session: Session, plan: _Plan) -> tuple[Source, int]:
    """The source with the fewest candidates, and how many (counted up to CANDIDATE_LIMIT + 1).

    With a filter, when every source has more, they are counted once more up to ten times as far (a group or tag
    count reads one index), so a group of 300,000 does not drive where a tag on 10,000 customers would do.
    """
    drivers, cap = list(plan.sources), CANDIDATE_LIMIT
    while True:
        params = dict(plan.params) | {"limit": cap + 1}
        counted = [(_scalar(session, f"SELECT count(*) FROM ({s.ids} LIMIT :limit)", **params), s) for s in drivers]
        least = min(n for n, _ in counted)
        if least <= cap or not plan.filtered or cap > CANDIDATE_LIMIT:
            return next(s for n, s in counted if n == least), least
        cap *= 10


def _sqlite_page(query: ListQuery, plan: _Plan, session: Session) -> list[Customer]:
    direction = "DESC" if query.direction == "desc" else "ASC"
    order = f"{_SORT_SQL[query.sort]} {direction}, customer.id {direction}"
    where = _TAB_SQL[query.tab]
    params = dict(plan.params) | {"limit": query.page_size, "offset": (query.page - 1) * query.page_size}
    driver, candidates = _driver(session, plan)
    if not candidates:
        return []
    # With filters, a longer walk (~20 ms) still costs less than reading and sorting many candidates (~3 us each).
    walks = (WALK_LIMIT, 10 * WALK_LIMIT) if plan.filtered else (WALK_LIMIT,)
    for walk in walks if candidates > CANDIDATE_LIMIT else ():
        if query.page * query.page_size > walk:
            continue
        walked = _customers(
            session,
            f"SELECT customer.* FROM (SELECT id FROM customer WHERE {where} ORDER BY {order} LIMIT :walk) AS walked "
            f"CROSS JOIN customer ON customer.id = walked.id WHERE {plan.others(None)} "
            f"ORDER BY {order} LIMIT :limit OFFSET :offset",
            walk=walk,
            **params,
        )
        tab_rows = f"SELECT count(*) FROM (SELECT 1 FROM customer WHERE {where} LIMIT :walk)"
        if len(walked) == query.page_size or _scalar(session, tab_rows, walk=walk) < walk:
            return walked  # a full page, or every row of the tab was tested
    return _customers(
        session,
        f"SELECT customer.* FROM ({driver.ids}) AS hit CROSS JOIN customer ON customer.id = hit.id "
        f"WHERE {where} AND {plan.others(driver)} ORDER BY {order} LIMIT :limit OFFSET :offset",
        **params,
    )


def _planned_counts(session: Session, plan: _Plan, bound: int | None = None) -> tuple[dict[str, int], bool]:
    """Every tab's count in one pass over the driving candidates; only the first `bound` of them when more."""
    driver, candidates = _driver(session, plan)
    exact = bound is None or candidates <= bound
    sql = (
        "SELECT CASE WHEN customer.deleted_at IS NULL THEN customer.kind ELSE 'trash' END, count(*) "
        f"FROM ({driver.ids}{'' if exact else ' LIMIT :bound'}) AS hit CROSS JOIN customer ON customer.id = hit.id "
        f"WHERE {plan.others(driver)} GROUP BY 1"
    )
    found = dict(session.exec(text(sql), params=dict(plan.params) | {"bound": bound}).all()) if candidates else {}
    return {tab: found.get(tab, 0) for tab in TABS}, exact


def _tab_sizes(session: Session) -> dict[str, int]:
    """Customers in each tab, in one statement (one snapshot).

    Individuals, the big tab, are not walked: every customer has one row in the search index's
    `customer_fts_docsize` table, which SQLite counts a page at a time (3 ms for a million rows).
    """
    sql = (
        "SELECT (SELECT count(*) FROM customer_fts_docsize), "
        f"(SELECT count(*) FROM customer WHERE {_TAB_SQL['trash']}), "
        f"(SELECT count(*) FROM customer WHERE {_TAB_SQL['institution']})"
    )
    everyone, trash, institutions = session.exec(text(sql)).one()
    return {"individual": everyone - trash - institutions, "institution": institutions, "trash": trash}


def _remembered(session: Session, key: tuple, compute: Callable[[], T]) -> T:
    """A value remembered on this SQLite connection until any connection changes the database.

    `data_version` changes when another connection commits, `total_changes()` when this one writes; nothing is
    remembered inside a transaction that has written (it could still roll back).
    """
    connection = session.connection().connection
    if connection.dbapi_connection.in_transaction:
        return compute()
    stamp = tuple(session.exec(text("SELECT data_version, total_changes() FROM pragma_data_version")).one())
    memory = connection.info.setdefault("customer_queries", {})
    if memory.get("stamp") != stamp or len(memory) > _REMEMBERED:
        memory.clear()
        memory["stamp"] = stamp
    if key not in memory:
        memory[key] = compute()
    return memory[key]


def _customers(session: Session, sql: str, **params: object) -> list[Customer]:
    return list(session.exec(select(Customer).from_statement(text(sql)), params=params).scalars().all())


def _scalar(session: Session, sql: str, **params: object) -> int:
    return session.exec(text(sql), params=params).scalar_one()


def _phrase(term: str) -> str:
    return '"' + term.replace('"', '""') + '"'


def _dialect(session: Session) -> str:
    return session.get_bind().dialect.name
