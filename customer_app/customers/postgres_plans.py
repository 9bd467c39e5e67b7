"""PostgreSQL query plans for the customers list, chosen here rather than left to the planner's guess.

bench/bench_list.py measures them on a million customers. Given `search_text LIKE '%zoe%' ORDER BY sort_name
LIMIT 25`, the planner expects matches everywhere and walks the name index, filtering 625,000 rows (1.9 s) when the
matches all sort late. As on SQLite (customers.search_plans), a capped look at the trigram index decides:

* few candidates (at most CANDIDATE_LIMIT): read them through the trigram index, then sort (a MATERIALIZED CTE keeps
  the planner from turning that back into a walk of the sort index);
* many: test the first WALK_LIMIT rows of the sort column's index; a common term fills a page within a few hundred.
  Only when it does not are all the candidates read, then sorted.

Deep pages skip their offset in the sort index alone (an index-only scan: no customer row is read for the rows
skipped), then read the page's 25 rows by id.

These are building blocks of customers.queries, which checks the actor and builds the WHERE conditions.
"""

from collections.abc import Hashable, Iterator, Sequence
from contextlib import contextmanager

from sqlalchemy import ColumnElement, and_, case, event, func, literal, tablesample
from sqlalchemy.orm import Session as SASession
from sqlalchemy.orm import aliased
from sqlalchemy.sql.util import ClauseAdapter
from sqlmodel import Session, col, select

from customer_app.customers.models import Customer

CANDIDATE_LIMIT = 1_000  # candidates read then sorted, or counted exactly: ~5 ms (each is a heap page read)
WALK_LIMIT = 1_000  # rows of the sort index tested when a search has more candidates: ~2 ms
DEEP_OFFSET = 1_000  # from this offset on, skip rows in the index alone
_MEMO = "customers.first_matches"
SAMPLE_ROWS = 10_000  # customers sampled to estimate a broad count: 1% of a million, ±5% at 49,000 matches


@contextmanager
def bitmap_scans(session: Session) -> Iterator[None]:
    """Statements in the block read through bitmap index scans (the trigram index), never a walk of a sort index.

    For reading every candidate of a search: the planner, expecting matches everywhere, would walk the sort index
    and filter (625,170 rows for "zoe", 1.9 s). The settings are the transaction's and are put back.
    (Capped probes are left to the planner: for a term in every row a sequential scan stops after a few pages,
    where the index would list a million candidates first.)
    """
    connection = session.connection()
    before = connection.exec_driver_sql(
        "SELECT current_setting('enable_seqscan'), current_setting('enable_indexscan')"
    ).one()
    connection.exec_driver_sql(
        "SELECT set_config('enable_seqscan', 'off', true), set_config('enable_indexscan', 'off', true)"
    )
    try:
        yield
    finally:
        connection.exec_driver_sql(
            "SELECT set_config('enable_seqscan', %(seq)s, true), set_config('enable_indexscan', %(index)s, true)",
            {"seq": before[0], "index": before[1]},
        )


def first_matches(session: Session, where: Sequence[ColumnElement[bool]], key: Hashable) -> dict[str, int]:
    """How many of the first CANDIDATE_LIMIT + 1 customers matching `where` (conditions on any tab) are in each tab.

    A page load's list and counts both ask; the answer is remembered under `key` until the session writes or its
    transaction ends.
    """
    memo = session.info.setdefault(_MEMO, {})
    if (key, CANDIDATE_LIMIT) not in memo:
        tab_of = case((col(Customer.deleted_at).is_(None), col(Customer.kind)), else_=literal("trash"))
        first = select(tab_of.label("tab")).where(*where).limit(CANDIDATE_LIMIT + 1).subquery()
        found = session.exec(select(first.c.tab, func.count()).group_by(first.c.tab)).all()
        memo[key, CANDIDATE_LIMIT] = dict(found)
    return memo[key, CANDIDATE_LIMIT]


@event.listens_for(SASession, "after_flush")
@event.listens_for(SASession, "after_transaction_end")
def _forget(session: SASession, *_args: object) -> None:
    session.info.pop(_MEMO, None)


def order_by(entity, sort_key: str, descending: bool) -> tuple[ColumnElement, ColumnElement]:
    """ORDER BY an allow-listed column of `entity` (Customer or an alias of it), then id, both the same way."""
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
    hits = select(Customer).where(*tab_where, match).cte("hit").prefix_with("MATERIALIZED")
    hit = aliased(Customer, hits)
    page = select(hit).order_by(*order_by(hit, sort_key, descending)).offset(offset).limit(limit)
    with bitmap_scans(session):
        return list(session.exec(page).all())


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
