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
"""

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

from sqlalchemy import ColumnElement, and_, func, text
from sqlmodel import Session, col, select

from customer_app.models.customer import Customer, CustomerKind
from customer_app.services.normalize import fold

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
_CANDIDATES = "customer_fts CROSS JOIN customer ON customer.id = customer_fts.rowid"  # the index first, then rows

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

    def checked(self, page_sizes: tuple[int, ...]) -> "ListQuery":
        """The same query with anything unknown replaced by a safe default."""
        tab = self.tab if self.tab in TABS else "individual"
        sort, direction = self.sort, self.direction
        if sort not in SORT_COLUMNS or (sort == "deleted" and tab != "trash"):
            sort, direction = DEFAULT_SORT[tab]
        direction = direction if direction in ("asc", "desc") else "asc"
        size = self.page_size if self.page_size in page_sizes else page_sizes[0]
        return ListQuery(tab, self.search[:100], sort, direction, max(1, int(self.page)), size)


def search_term(raw: str) -> str:
    """The folded form of what was typed; phone-like input becomes its digits."""
    term = " ".join(raw.split())
    if _PHONE_LIKE.match(term) and sum(ch.isdigit() for ch in term) >= 3:
        return re.sub(r"\D", "", term)
    return fold(term)


def tab_filter(tab: str, search: str, session: Session) -> list[ColumnElement[bool]]:
    """WHERE conditions selecting a tab's customers that match the search."""
    if tab == "trash":
        conditions = [col(Customer.deleted_at).is_not(None)]
    else:
        conditions = [col(Customer.kind) == CustomerKind(tab).value, col(Customer.deleted_at).is_(None)]
    term = search_term(search)
    if term:
        conditions.append(_matches(term, _dialect(session)))
    return conditions


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
    term = search_term(query.search)
    if len(term) >= 3 and _dialect(session) == "sqlite":
        return _sqlite_search_page(query, term, session)
    sort_column = col(SORT_COLUMNS[query.sort])
    order = sort_column.desc() if query.direction == "desc" else sort_column.asc()
    tiebreak = col(Customer.id).desc() if query.direction == "desc" else col(Customer.id).asc()
    statement = (
        select(Customer)
        .where(*tab_filter(query.tab, query.search, session))
        .order_by(order, tiebreak)
        .offset((query.page - 1) * query.page_size)
        .limit(query.page_size)
    )
    return list(session.exec(statement).all())


def neighbours(query: ListQuery, customer: Customer, *, session: Session) -> tuple[int | None, int | None]:
    """The customers just before and after this one in the list's tab, search and sort (None at either end).

    Empty e-mails, phones and companies count as "" (SQLite lists them first; PostgreSQL lists them last, so there
    the walk visits them in a different place than the list shows them).
    """
    column = col(SORT_COLUMNS[query.sort])
    key = func.coalesce(column, "") if query.sort in ("email", "phone", "company") else column
    value = getattr(customer, SORT_COLUMNS[query.sort].key)
    value = "" if value is None and query.sort in ("email", "phone", "company") else value
    if value is None:  # a column the customer has no value in and that cannot be compared: no walk
        return None, None
    conditions = tab_filter(query.tab, query.search, session)
    after = (key > value) | ((key == value) & (col(Customer.id) > customer.id))
    before = (key < value) | ((key == value) & (col(Customer.id) < customer.id))
    ascending = query.direction == "asc"
    forward, backward = (after, before) if ascending else (before, after)
    up = (key.asc(), col(Customer.id).asc())
    down = (key.desc(), col(Customer.id).desc())
    following = session.exec(
        select(Customer.id).where(*conditions, forward).order_by(*(up if ascending else down)).limit(1)
    ).first()
    preceding = session.exec(
        select(Customer.id).where(*conditions, backward).order_by(*(down if ascending else up)).limit(1)
    ).first()
    return preceding, following


def count_customers(tab: str, search: str, *, session: Session) -> int:
    """How many customers a tab shows for a search (exact; on SQLite remembered until the database changes)."""
    term = search_term(search)
    if _dialect(session) != "sqlite":
        return session.exec(select(func.count()).select_from(Customer).where(*tab_filter(tab, search, session))).one()
    if not term:
        return _remembered(session, ("tabs",), lambda: _tab_sizes(session))[tab]
    if len(term) >= 3:
        sql = f"SELECT count(*) FROM {_CANDIDATES} WHERE {_MATCH} AND {_TAB_SQL[tab]}"
        return _remembered(session, (tab, term), lambda: _scalar(session, sql, phrase=_phrase(term)))
    statement = select(func.count()).select_from(Customer).where(*tab_filter(tab, search, session))
    return _remembered(session, (tab, term), lambda: session.exec(statement).one())


def count_tabs(search: str, *, session: Session) -> tuple[dict[str, int], bool]:
    """Every tab's count for a search, and whether the counts are exact.

    On SQLite a search with more than CANDIDATE_LIMIT trigram candidates is counted among its first CANDIDATE_LIMIT
    candidates only, so each count is a lower bound, to be shown as "5,000+". Counting every candidate costs 1.5-2
    microseconds each per tab: 60-100 ms for "son" (49,000 candidates), 0.4 s for a term in every row.
    """
    term = search_term(search)
    if len(term) < 3 or _dialect(session) != "sqlite" or _candidates(session, term) <= CANDIDATE_LIMIT:
        return {tab: count_customers(tab, search, session=session) for tab in TABS}, True
    sql = (
        "SELECT CASE WHEN customer.deleted_at IS NULL THEN customer.kind ELSE 'trash' END, count(*) "
        f"FROM (SELECT rowid AS id FROM customer_fts WHERE {_MATCH} LIMIT :limit) AS hit "
        "CROSS JOIN customer ON customer.id = hit.id GROUP BY 1"
    )
    found = dict(session.exec(text(sql), params={"phrase": _phrase(term), "limit": CANDIDATE_LIMIT}).all())
    return {tab: found.get(tab, 0) for tab in TABS}, False


# --- SQLite plans ---------------------------------------------------------------------------------------------------


def _sqlite_search_page(query: ListQuery, term: str, session: Session) -> list[Customer]:
    direction = "DESC" if query.direction == "desc" else "ASC"
    order = f"{_SORT_SQL[query.sort]} {direction}, customer.id {direction}"
    where = _TAB_SQL[query.tab]
    page = {"limit": query.page_size, "offset": (query.page - 1) * query.page_size}
    if _candidates(session, term) > CANDIDATE_LIMIT and query.page * query.page_size <= WALK_LIMIT:
        walked = _customers(
            session,
            f"SELECT customer.* FROM (SELECT id FROM customer WHERE {where} ORDER BY {order} LIMIT :walk) AS walked "
            f"CROSS JOIN customer ON customer.id = walked.id WHERE instr(customer.search_text, :term) > 0 "
            f"ORDER BY {order} LIMIT :limit OFFSET :offset",
            walk=WALK_LIMIT,
            term=term,
            **page,
        )
        tab_rows = f"SELECT count(*) FROM (SELECT 1 FROM customer WHERE {where} LIMIT :walk)"
        if len(walked) == query.page_size or _scalar(session, tab_rows, walk=WALK_LIMIT) < WALK_LIMIT:
            return walked  # a full page, or every row of the tab was tested
    return _customers(
        session,
        f"SELECT customer.* FROM {_CANDIDATES} WHERE {_MATCH} AND {where} ORDER BY {order} LIMIT :limit OFFSET :offset",
        phrase=_phrase(term),
        **page,
    )


def _candidates(session: Session, term: str) -> int:
    """How many rows the trigram index finds for the term, counted up to CANDIDATE_LIMIT + 1."""
    sql = f"SELECT count(*) FROM (SELECT 1 FROM customer_fts WHERE {_MATCH} LIMIT :limit)"
    return _scalar(session, sql, phrase=_phrase(term), limit=CANDIDATE_LIMIT + 1)


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
