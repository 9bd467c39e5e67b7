"""PostgreSQL query plans for the customers list, chosen here rather than left to the planner's guess.

bench/bench_list.py measures them on a million customers. Given `search_text LIKE '%zoe%' ORDER BY sort_name
LIMIT 25`, the planner expects matches everywhere and walks the name index, filtering 625,000 rows (1.9 s) when the
matches all sort late. As on SQLite (customers.search_plans), a capped look at the trigram index decides:

* few candidates (at most CANDIDATE_LIMIT): read them through the trigram index, then sort (a MATERIALIZED CTE keeps
  the planner from turning that back into a walk of the sort index; the search alone inside it, so that no other
  index can serve it; only the candidates' ids, tabs and sort keys kept, then the page's rows read by id);
* many: test the first WALK_LIMIT rows of the sort column's index; a common term fills a page within a few hundred.
  Only when it does not are all the candidates read, then sorted, as above. That costs a table page read a
  candidate ("zoe": 20,600, ~100 ms when they come from the operating system's cache, ~55 ms from shared buffers).

A filter (group, tag, added filter) selecting few customers (customers.filters) drives instead: its ids are read once
and sent as a list, those customers are looked up by primary key and listed in order, every tab at once, which gives
the page (then read by id) and the tabs' exact counts from one read. Left to itself the planner walks the name index
testing each row against the tag (12,500 rows for a tag on 3,334 customers; every row of the tab when the tagged all
sort late), and counts each tab apart.

Deep pages skip their offset in the sort index alone (an index-only scan: no customer row is read for the rows
skipped), then read the page's 25 rows by id. Skipping still costs each row skipped (the last of 26,667 pages of
Individuals: 666,000 index entries, ~105 ms), so customers.queries reads a page nearer the end from the end.

These are building blocks of customers.queries, which checks the actor and builds the WHERE conditions.
"""

from collections.abc import Hashable, Iterator, Sequence
from contextlib import contextmanager

from sqlalchemy import ColumnElement, and_, case, event, func, literal, tablesample
from sqlalchemy.dialects.postgresql import aggregate_order_by
from sqlalchemy.orm import Session as SASession
from sqlalchemy.sql.util import ClauseAdapter
from sqlmodel import Session, col, select

from customer_app.customers.models import Customer

CANDIDATE_LIMIT = 1_000  # candidates read then sorted, or counted exactly: ~5 ms (each is a heap page read)
WALK_LIMIT = 1_000  # rows of the sort index tested when a search has more candidates: ~2 ms
DEEP_OFFSET = 1_000  # from this offset on, skip rows in the index alone
_MEMO = "customers.postgres_plans"  # first matches and filtered listings, until a write or the transaction ends
_TAB_OF = case((col(Customer.deleted_at).is_(None), col(Customer.kind)), else_=literal("trash"))
SAMPLE_ROWS = 10_000  # customers sampled to estimate a broad count: 1% of a million, ±5% at 49,000 matches


@contextmanager
def bitmap_scans(session: Session) -> Iterator[None]:
    """Statements in the block read through bitmap index scans (the trigram index), never a walk of a sort index.

    For reading every candidate of a search: the planner, expecting matches everywhere, would walk the sort index
    and filter (625,170 rows for "zoe", 1.9 s). The settings are the transaction's and are put back.
    (Capped probes are left to the planner: for a term in every row a sequential scan stops after a few pages,
    where the index would list a million candidates first.)
    """
    with _settings(session, enable_seqscan="off", enable_indexscan="off"):
        yield


@contextmanager
def index_scans(session: Session) -> Iterator[None]:
    """Statements in the block read through index scans: customers listed by id are looked up by primary key, never
    by a scan of the table or a walk of a sort index."""
    with _settings(session, enable_seqscan="off", enable_bitmapscan="off"):
        yield


@contextmanager
def _settings(session: Session, **wanted: str) -> Iterator[None]:
    """Planner settings for the block, the transaction's own, put back afterwards (names from the callers above)."""
    connection = session.connection()
    names = list(wanted)
    current = ", ".join(f"current_setting('{name}')" for name in names)
    before = dict(zip(names, connection.exec_driver_sql(f"SELECT {current}").one(), strict=True))

    def put(values: dict[str, str]) -> None:
        calls = ", ".join(f"set_config('{name}', %({name})s, true)" for name in names)
        connection.exec_driver_sql(f"SELECT {calls}", values)

    put(wanted)
    try:
        yield
    finally:
        put(before)


def first_matches(session: Session, where: Sequence[ColumnElement[bool]], key: Hashable) -> dict[str, int]:
    """How many of the first CANDIDATE_LIMIT + 1 customers matching `where` (conditions on any tab) are in each tab.

    A page load's list and counts both ask; the answer is remembered under `key` until the session writes or its
    transaction ends.
    """
    memo = session.info.setdefault(_MEMO, {})
    if (key, CANDIDATE_LIMIT) not in memo:
        first = select(_TAB_OF.label("tab")).where(*where).limit(CANDIDATE_LIMIT + 1).subquery()
        found = session.exec(select(first.c.tab, func.count()).group_by(first.c.tab)).all()
        memo[key, CANDIDATE_LIMIT] = dict(found)
    return memo[key, CANDIDATE_LIMIT]


@event.listens_for(SASession, "after_flush")
@event.listens_for(SASession, "after_transaction_end")
def _forget(session: SASession, *_args: object) -> None:
    session.info.pop(_MEMO, None)


def order_by(entity, sort_key: str, descending: bool) -> tuple[ColumnElement, ColumnElement]:
    """ORDER BY an allow-listed column of `entity` (Customer, an alias of it or a CTE's columns), then id, both the same
    way."""
    key, ident = getattr(entity, sort_key), entity.id
    return (key.desc(), ident.desc()) if descending else (key.asc(), ident.asc())


def search_page(
    session: Session,
    *,
    many: bool,
    tab_where: Sequence[ColumnElement[bool]],
    match: ColumnElement[bool],
    sort_key: str,
    descending: bool,
    offset: int,
    limit: int,
) -> list[Customer]:
    """One page of a tab's customers matching a trigram search, by an allow-listed column and then id; `many`: the
    search has more than CANDIDATE_LIMIT candidates."""
    order = order_by(Customer, sort_key, descending)
    if many and offset + limit <= WALK_LIMIT:
        walked = select(Customer.id).where(*tab_where).order_by(*order).limit(WALK_LIMIT).subquery()
        page = (
            select(Customer)
            .join(walked, col(Customer.id) == walked.c.id)
            .where(match)
            .order_by(*order)
            .offset(offset)
            .limit(limit)
        )
        rows = list(session.exec(page).all())
        if len(rows) == limit or _tab_rows(session, tab_where, WALK_LIMIT) < WALK_LIMIT:
            return rows  # a full page, or every row of the tab was tested
    return candidates_page(
        session,
        tab_where=tab_where,
        match=match,
        sort_key=sort_key,
        descending=descending,
        offset=offset,
        limit=limit,
    )


def candidates_page(
    session: Session,
    *,
    tab_where: Sequence[ColumnElement[bool]],
    match: ColumnElement[bool],
    sort_key: str,
    descending: bool,
    offset: int,
    limit: int,
) -> list[Customer]:
    """A page of a tab's customers matching a trigram search, every candidate read then sorted: the candidates' ids,
    tab columns and sort keys only (the search alone in the CTE, so only the trigram index can serve it), the tab and
    filter conditions tested on those, then the page's rows read by id."""
    key = getattr(Customer, sort_key)
    hits = (
        select(Customer.id, Customer.kind, Customer.deleted_at, key).where(match).cte("hit").prefix_with("MATERIALIZED")
    )
    adapt = ClauseAdapter(hits).traverse
    page = (
        select(hits.c.id)
        .where(*[adapt(condition) for condition in tab_where])
        .order_by(*order_by(hits.c, sort_key, descending))
        .offset(offset)
        .limit(limit)
    )
    rows = select(Customer).where(col(Customer.id).in_(page)).order_by(*order_by(Customer, sort_key, descending))
    with bitmap_scans(session):
        return list(session.exec(rows).all())


def filtered_page(
    session: Session,
    *,
    where: Sequence[ColumnElement[bool]],
    key: Hashable,
    tab: str,
    sort_key: str,
    descending: bool,
    offset: int,
    limit: int,
) -> list[Customer]:
    """A page of a tab's customers among those a small filter selects (`where`: conditions on any tab, the filter
    `listed`): every tab's matches are listed in order once (remembered under `key` with their counts for
    `filtered_counts`), then the page's rows read by id."""
    ids = _filtered(session, where, key, sort_key, descending).get(tab, [])[offset : offset + limit]
    if not ids:
        return []
    rows = select(Customer).where(col(Customer.id).in_(ids)).order_by(*order_by(Customer, sort_key, descending))
    return list(session.exec(rows).all())


def filtered_counts(session: Session, where: Sequence[ColumnElement[bool]], key: Hashable) -> dict[str, int]:
    """Every tab's customers among those a small filter selects, exact: remembered from the page's listing, or
    counted by id."""
    memo = session.info.setdefault(_MEMO, {})
    if ("counts", key) not in memo:
        with index_scans(session):
            memo["counts", key] = dict(
                session.exec(select(_TAB_OF, func.count()).where(*where).group_by(_TAB_OF)).all()
            )
    return memo["counts", key]


def _filtered(
    session: Session, where: Sequence[ColumnElement[bool]], key: Hashable, sort_key: str, descending: bool
) -> dict[str, list[int]]:
    """Each tab's ids among the customers `where` selects, in list order (one array a tab, not a row a customer)."""
    memo = session.info.setdefault(_MEMO, {})
    if ("listed", key, sort_key, descending) not in memo:
        ids = func.array_agg(aggregate_order_by(col(Customer.id), *order_by(Customer, sort_key, descending)))
        with index_scans(session):
            listed = dict(session.exec(select(_TAB_OF, ids).where(*where).group_by(_TAB_OF)).all())
        memo["listed", key, sort_key, descending] = listed
        memo["counts", key] = {tab: len(found) for tab, found in listed.items()}
    return memo["listed", key, sort_key, descending]


def deep_page(
    session: Session, *, where: Sequence[ColumnElement[bool]], order: Sequence[ColumnElement], offset: int, limit: int
) -> list[Customer]:
    """A page far down a list: its ids found in the sort index alone (index-only), then their rows."""
    ids = select(Customer.id).where(*where).order_by(*order).offset(offset).limit(limit)
    return list(session.exec(select(Customer).where(col(Customer.id).in_(ids)).order_by(*order)).all())


def sampled_counts(session: Session, where: Sequence[ColumnElement[bool]], everyone: int) -> dict[str, int]:
    """Every tab's matches of `where` (conditions on any tab) estimated from a sample of about SAMPLE_ROWS customers.

    The planner's own estimates for `LIKE '%son%'` were off by 1.5-2x on the demo million; a block sample is not
    (a few percent at 50,000 matches) and reads ~1% of the table. Always the same blocks (REPEATABLE), so the
    figure does not change from one page load to the next.
    """
    percent = min(100.0, 100.0 * SAMPLE_ROWS / max(everyone, 1))
    table = Customer.metadata.tables[Customer.__tablename__]
    sample = tablesample(table, func.system(percent), name="sampled", seed=literal(7))
    adapt = ClauseAdapter(sample).traverse
    tab_of = case((sample.c.deleted_at.is_(None), sample.c.kind), else_=literal("trash"))
    matched = func.count().filter(and_(*[adapt(condition) for condition in where]))
    rows = session.execute(select(tab_of, matched, func.count()).select_from(sample).group_by(tab_of)).all()
    sampled = sum(row[2] for row in rows)
    return {tab: round(hits * everyone / sampled) for tab, hits, _ in rows} if sampled else {}


def _tab_rows(session: Session, tab_where: Sequence[ColumnElement[bool]], cap: int) -> int:
    found = select(Customer.id).where(*tab_where).limit(cap).subquery()
    return session.exec(select(func.count()).select_from(found)).one()
