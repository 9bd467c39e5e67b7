"""SQLite query plans for the customers list: which index drives a search or filter, and remembered counts.

bench/bench_list.py measures them on a million customers. SQLite's planner cannot know how many rows an FTS5 MATCH
returns, so `id IN (SELECT rowid FROM customer_fts ...) ORDER BY ... LIMIT 25` either walks the whole sort index
(0.2-0.5 s for a rare term when the database has no ANALYZE statistics) or reads and sorts every candidate
(0.1-0.5 s for a common term once it has). Instead a capped look at the trigram index decides:

* few candidates (at most CANDIDATE_LIMIT): read those rows, then sort them; `CROSS JOIN` makes SQLite start from
  the trigram index whatever its statistics say. Reading a candidate costs 1.5-2 microseconds.
* many: test the first WALK_LIMIT rows of the sort column's index; a common term fills a page within a few hundred
  rows. Only when it does not (its matches sort late, or are rare in this tab) are all the candidates read.

Counting visits every row counted (about 0.1 microsecond each: 60 ms for 666,000 customers), so the tabs' sizes are
kept by triggers (customer_tab_count), counts of a search or filter are remembered per connection until the database
changes, and a broad search is counted among its first SAMPLE candidates, then scaled up to all of them.

Group and tag filters (customer_filters) are candidate sources like the trigram index: the source with the fewest
candidates drives, the others are tested per row, and the same walk / read-and-sort choice applies.

These are building blocks of customers.queries, which checks the actor before calling them.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

from sqlalchemy import Integer, TextualSelect, text
from sqlalchemy.orm import InstrumentedAttribute
from sqlmodel import Session, select

from customer_app.core.db import READ_ONLY
from customer_app.customers import filters as customer_filters
from customer_app.customers.filters import ListFilter, Source
from customer_app.customers.models import Customer

CANDIDATE_LIMIT = 5_000  # trigram candidates read and sorted (or counted) directly; ~10 ms
WALK_LIMIT = 1_000  # rows of the sort index tested when a search has more candidates; ~2 ms
SAMPLE = 1_000  # a broad search's count: its tabs counted among this many candidates, then scaled up (~2 ms)
_REMEMBERED = 64  # values remembered per connection
TRIGRAM = 3  # the shortest search a trigram index serves; shorter ones match the start of names

# Fixed SQL: only these allow-listed fragments and model column names are ever put into it.
_TAB_SQL = {
    "individual": "customer.kind = 'individual' AND customer.deleted_at IS NULL",
    "institution": "customer.kind = 'institution' AND customer.deleted_at IS NULL",
    "trash": "customer.deleted_at IS NOT NULL",
}
_MATCH = "customer_fts MATCH :phrase"

T = TypeVar("T")


@dataclass(frozen=True)
class Plan:
    """Where a SQLite plan can find candidates (search and filters) and their parameters."""

    sources: tuple[Source, ...]
    params: tuple[tuple[str, object], ...]
    filtered: bool  # a group or tag filter is among the sources

    def others(self, driver: Source | None) -> str:
        """Per-row tests of every source but the driving one."""
        return " AND ".join(s.probe for s in self.sources if s is not driver) or "1"


def planned(term: str, listing: ListFilter) -> bool:
    """Whether SQLite gets a chosen plan: a trigram search, or filters without a search.

    A name prefix (a search under three characters) is left to the planner: it walks the name index.
    """
    return len(term) >= TRIGRAM or (listing.active and not term)


def plan_for(term: str, listing: ListFilter) -> Plan:
    """The candidate sources of a search term (already folded) and filters."""
    found, params = customer_filters.sources(listing)
    if len(term) >= TRIGRAM:
        fts = Source(
            f"SELECT customer_fts.rowid AS id FROM customer_fts WHERE {_MATCH}",
            "instr(customer.search_text, :term) > 0",
        )
        found, params = [fts, *found], params | {"phrase": _phrase(term), "term": term}
    return Plan(tuple(found), tuple(params.items()), listing.active)


def page_of(
    plan: Plan,
    *,
    tab: str,
    sort_column: InstrumentedAttribute,
    descending: bool,
    page: int,
    page_size: int,
    session: Session,
) -> list[Customer]:
    """One page of a tab's customers found through the plan, sorted by an allow-listed column and then id."""
    direction = "DESC" if descending else "ASC"
    order = f"customer.{sort_column.expression.name} {direction}, customer.id {direction}"
    where = _TAB_SQL[tab]
    params = dict(plan.params) | {"limit": page_size, "offset": (page - 1) * page_size}
    driver, candidates = _driver(session, plan)
    if not candidates:
        return []
    # With filters, a longer walk (~20 ms) still costs less than reading and sorting many candidates (~3 us each).
    walks = (WALK_LIMIT, 10 * WALK_LIMIT) if plan.filtered else (WALK_LIMIT,)
    for walk in walks if candidates > CANDIDATE_LIMIT else ():
        if page * page_size > walk:
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
        if len(walked) == page_size or _scalar(session, tab_rows, walk=walk) < walk:
            return walked  # a full page, or every row of the tab was tested
    # Sorting ids and keys, then reading the page's rows, beats sorting whole rows: SQLite copies every column of
    # each candidate into its sorter (20,603 candidates of "zoe": 32 ms instead of 50 ms).
    return _customers(
        session,
        f"SELECT customer.* FROM (SELECT customer.id AS id FROM ({driver.ids}) AS hit "
        f"CROSS JOIN customer ON customer.id = hit.id WHERE {where} AND {plan.others(driver)} "
        f"ORDER BY {order} LIMIT :limit OFFSET :offset) AS page CROSS JOIN customer ON customer.id = page.id "
        f"ORDER BY {order}",
        **params,
    )


def planned_counts(session: Session, plan: Plan) -> tuple[dict[str, int], bool]:
    """Every tab's count in one pass over the driving candidates (exact)."""
    driver, candidates = _driver(session, plan)
    return (_tab_counts(session, plan, driver, None) if candidates else dict.fromkeys(_TAB_SQL, 0)), True


def _tab_counts(session: Session, plan: Plan, driver: Source, first: int | None) -> dict[str, int]:
    """Every tab's count among the driver's candidates, or only its `first` ones."""
    sql = (
        "SELECT CASE WHEN customer.deleted_at IS NULL THEN customer.kind ELSE 'trash' END, count(*) "
        f"FROM ({driver.ids}{'' if first is None else ' LIMIT :first'}) AS hit "
        f"CROSS JOIN customer ON customer.id = hit.id WHERE {plan.others(driver)} GROUP BY 1"
    )
    found = dict(session.execute(text(sql), params=dict(plan.params) | {"first": first}).all())
    return {tab: found.get(tab, 0) for tab in _TAB_SQL}


def estimated_counts(session: Session, plan: Plan, bound: int) -> tuple[dict[str, int], bool]:
    """Every tab's count, exact when the plan has at most `bound` candidates; else the counts among its first
    SAMPLE candidates scaled up to all of them (counted in the driving index alone: ~1 ms for 49,000)."""
    driver, candidates = _driver(session, plan)
    if candidates <= bound:
        return _tab_counts(session, plan, driver, None), True
    sample = _tab_counts(session, plan, driver, SAMPLE)
    everyone = _scalar(session, f"SELECT count(*) FROM ({driver.ids})", **dict(plan.params))
    return {tab: round(n * everyone / min(SAMPLE, everyone)) for tab, n in sample.items()}, False


def remembered(session: Session, key: tuple, compute: Callable[[], T]) -> T:
    """A value remembered on this SQLite connection until any connection changes the database.

    `data_version` changes when another connection commits, `total_changes()` when this one writes; nothing is
    remembered inside a transaction that may write (it could still roll back). A read-only one (`db.read_scope`)
    keeps its stamp while it lasts, as it keeps what it sees.
    """
    connection = session.connection().connection
    if connection.dbapi_connection is None:  # never: the session has just checked the connection out
        raise RuntimeError("the session's database connection is closed")
    if connection.dbapi_connection.in_transaction and not session.info.get(READ_ONLY):
        return compute()
    stamp = tuple(session.execute(text("SELECT data_version, total_changes() FROM pragma_data_version")).one())
    memory = connection.info.setdefault("customer_queries", {})
    if memory.get("stamp") != stamp or len(memory) > _REMEMBERED:
        memory.clear()
        memory["stamp"] = stamp
    if key not in memory:
        memory[key] = compute()
    return memory[key]


def fts_ids(term: str) -> TextualSelect:
    """Ids of the customers whose search text holds a folded term of three or more characters (the trigram index)."""
    return (
        text(f"SELECT rowid FROM customer_fts WHERE {_MATCH}").bindparams(phrase=_phrase(term)).columns(rowid=Integer)
    )


def _phrase(term: str) -> str:
    """A term as one FTS5 phrase, its quotes doubled."""
    return '"' + term.replace('"', '""') + '"'


def _driver(session: Session, plan: Plan) -> tuple[Source, int]:
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


def _customers(session: Session, sql: str, **params: object) -> list[Customer]:
    return list(session.execute(select(Customer).from_statement(text(sql)), params=params).scalars().all())


def _scalar(session: Session, sql: str, **params: object) -> int:
    return session.execute(text(sql), params=params).scalar_one()
