"""Time the customers list on a million customers, on SQLite and PostgreSQL, each figure against the same SQL bare.

The service layer (`list_customers`, `count_tabs` on a `sqlmodel.Session`) is timed next to the same SQL without
the ORM, alternating the two so drift hits both: page load, searches, sorts and deep pages. On SQLite the bare SQL
is written by hand and run with `sqlite3`; on PostgreSQL it is the very statements the service sent (recorded on
its first call) replayed with `psycopg`. Then SQLite's candidate search plans in bare SQL, or PostgreSQL's
EXPLAIN (ANALYZE, BUFFERS) of each probe.

    python bench/bench_list.py [--database sqlite|postgresql|both] [--count N] [--reps 40] [--no-plans]

SQLite's database is built once at data/bench_1m.db, PostgreSQL's in the database `bench` (BENCH_POSTGRES_URL) by
COPY, then VACUUM ANALYZE (a few minutes each), and reused. `--database` defaults to both when PostgreSQL answers.
To time a proposed version of the query module: BENCH_QUERIES=/path/to/customer_queries.py python bench/bench_list.py
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import sqlite3
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

# Run from a checkout without installing the project.
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import psycopg
from sqlalchemy import Engine, event, make_url
from sqlmodel import Session

from customer_app.core.db import make_engine
from customer_app.core.permissions import Actor, Role
from customer_app.settings import PROJECT_ROOT

BENCH_DIR = PROJECT_ROOT / "data"

COUNT = 1_000_000  # customers (--count changes it)
TARGET_MS = 50.0
BUDGET_S = 2.5  # per operation: slow operations get fewer repetitions (never fewer than MIN_REPS)
MIN_REPS = 5
TABS = ("individual", "institution", "trash")
ACTOR = Actor(id=0, email="bench@example.com", name="Bench", role=Role.ADMIN)  # the services check who reads


def _load_queries():
    """The query module under test: the project's, or the file named by BENCH_QUERIES."""
    name = "customer_app.customers.queries"
    path = os.environ.get("BENCH_QUERIES")
    if path:
        spec = importlib.util.spec_from_file_location(name, path)
        if spec is None or spec.loader is None:
            raise SystemExit(f"BENCH_QUERIES: {path} is not a Python file")
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
        return module
    return importlib.import_module(name)


def _plans_of(queries):
    """Where the query module keeps its SQLite plans: customers.search_plans, or itself (one-file versions)."""
    if hasattr(queries, "CANDIDATE_LIMIT"):
        return queries
    return getattr(queries, "search_plans", None)


Q = _load_queries()
P = _plans_of(Q)
PLANNED = P is not None  # the module picks its own SQLite plans
ListQuery = Q.ListQuery

# --- bare SQL: the same statements the service sends, written by hand -------------------------------------------

TAB_SQL = {
    "individual": "customer.kind = ? AND customer.deleted_at IS NULL",
    "institution": "customer.kind = ? AND customer.deleted_at IS NULL",
    "trash": "customer.deleted_at IS NOT NULL",
}
SORT_SQL = {key: attribute.expression.name for key, attribute in Q.SORT_COLUMNS.items()}
FTS_IN = "customer.id IN (SELECT rowid FROM customer_fts WHERE customer_fts MATCH ?)"
CROSS = "customer_fts CROSS JOIN customer ON customer.id = customer_fts.rowid"


def phrase(term: str) -> str:
    return '"' + term.replace('"', '""') + '"'


def tab_params(tab: str) -> list[object]:
    return [] if tab == "trash" else [tab]


def order_sql(sort: str, direction: str) -> str:
    d = "DESC" if direction == "desc" else "ASC"
    return f"customer.{SORT_SQL[sort]} {d}, customer.id {d}"


def probe(conn: sqlite3.Connection, term: str, limit: int) -> int:
    sql = "SELECT count(*) FROM (SELECT 1 FROM customer_fts WHERE customer_fts MATCH ? LIMIT ?)"
    return conn.execute(sql, (phrase(term), limit)).fetchone()[0]


def materialise_sql(tab: str, order: str) -> str:
    where = f"customer_fts MATCH ? AND {TAB_SQL[tab]}"
    return f"SELECT customer.* FROM {CROSS} WHERE {where} ORDER BY {order} LIMIT ? OFFSET ?"


def walk_sql(tab: str, order: str) -> str:
    return (
        f"SELECT customer.* FROM (SELECT id FROM customer WHERE {TAB_SQL[tab]} ORDER BY {order} LIMIT ?) AS walked "
        "CROSS JOIN customer ON customer.id = walked.id WHERE instr(customer.search_text, ?) > 0 "
        f"ORDER BY {order} LIMIT ? OFFSET ?"
    )


# --- service calls, as the page makes them ---------------------------------------------------------------------


def service_counts(session: Session, search: str) -> dict[str, int]:
    """The tab counts a page shows: one pass when the module offers it, else one count per tab."""
    if hasattr(Q, "count_tabs"):
        return Q.count_tabs(search, actor=ACTOR, session=session)[0]
    return {tab: Q.count_customers(tab, search, actor=ACTOR, session=session) for tab in TABS}


# --- timing ------------------------------------------------------------------------------------------------------


@dataclass
class Result:
    name: str
    service: list[float]
    bare: list[float]
    target: bool

    @property
    def median(self) -> float:
        return statistics.median(self.service)

    @property
    def p95(self) -> float:
        return percentile(self.service, 95)

    @property
    def bare_median(self) -> float:
        return statistics.median(self.bare)


def percentile(samples: list[float], pct: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(pct / 100 * (len(ordered) - 1)))]


class Bench:
    """Times service calls against their bare SQL on one database."""

    def __init__(self, engine: Engine, conn: Any, toucher: Any, reps: int) -> None:
        self.engine, self.conn, self.toucher, self.reps = engine, conn, toucher, reps
        self.postgres = engine.dialect.name == "postgresql"
        self.results: list[Result] = []
        self._recording: list[tuple[str, Any]] | None = None
        event.listen(engine, "before_cursor_execute", self._record)

    @classmethod
    def sqlite(cls, path: Path, reps: int, mmap: int = 0) -> Bench:
        engine = make_engine(f"sqlite:///{path}")
        conn = sqlite3.connect(path)
        conn.execute("PRAGMA journal_mode=WAL")
        if mmap:  # what the app would get from `PRAGMA mmap_size` in customer_app/core/db.py
            event.listen(engine, "connect", lambda dbapi, _record: dbapi.execute(f"PRAGMA mmap_size={mmap}"))
            conn.execute(f"PRAGMA mmap_size={mmap}")
        return cls(engine, conn, sqlite3.connect(path, isolation_level=None), reps)

    @classmethod
    def postgresql(cls, url: str, reps: int) -> Bench:
        conninfo = make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)
        return cls(make_engine(url), psycopg.connect(conninfo), psycopg.connect(conninfo, autocommit=True), reps)

    def _record(self, _conn, _cursor, statement, parameters, _context, _executemany) -> None:
        if self._recording is not None:
            self._recording.append((statement, parameters))

    def recorded(self, service: Callable[[Session], object]) -> list[tuple[str, Any]]:
        """The statements one call of `service` sends."""
        self._recording = []
        try:
            with Session(self.engine) as session:
                service(session)
            return self._recording
        finally:
            self._recording = None

    def replay(self, statements: list[tuple[str, Any]]) -> Callable[[Any], object]:
        """Bare SQL: the recorded statements sent again through the driver, in one transaction like the session's."""

        def bare(conn: Any) -> list[tuple]:
            rows: list[tuple] = []
            cursor = conn.cursor()
            for statement, parameters in statements:
                cursor.execute(statement, parameters)
                rows = cursor.fetchall() if cursor.description else []
            cursor.close()
            conn.rollback()
            return rows

        return bare

    def touch(self) -> None:
        """Commit a change from another connection, so nothing remembered from before can be reused.

        (Setting a column to its own value would not do: SQLite writes nothing when a row is unchanged.)
        """
        self.toucher.execute("UPDATE customer SET version = -version WHERE id = 1")

    def run(
        self,
        name: str,
        service: Callable[[Session], object],
        bare: Callable[[Any], object] | None,
        *,
        target: bool,
        after_write: bool = False,
    ) -> None:
        """Time `service` (a fresh session per call, like the page) and `bare`, alternating; print as it goes.

        Without `bare`, the bare SQL is the service's own statements, recorded once and replayed.
        """
        if bare is None:
            bare = self.replay(self.recorded(service))

        def call_service() -> tuple[float, object]:
            if after_write:
                self.touch()
            started = time.perf_counter()
            with Session(self.engine) as session:
                value = service(session)
            return (time.perf_counter() - started) * 1000, value

        def call_bare() -> tuple[float, object]:
            if after_write:
                self.touch()
            started = time.perf_counter()
            value = bare(self.conn)
            return (time.perf_counter() - started) * 1000, value

        first_ms, _ = call_service()  # warm-up, which also sizes the run
        call_bare()
        call_service()
        call_bare()
        reps = max(MIN_REPS, min(self.reps, int(BUDGET_S * 1000 / max(first_ms, 0.01) / 2)))
        service_ms, bare_ms = [], []
        for _ in range(reps):
            service_ms.append(call_service()[0])
            bare_ms.append(call_bare()[0])
        result = Result(name, service_ms, bare_ms, target)
        self.results.append(result)
        print_row(result, len(service_ms))


def print_header() -> None:
    print(f"\n{'operation':<44} {'median ms':>10} {'p95 ms':>9} {'bare med':>9} {'ratio':>7}  {'p95<50ms':<8} {'n':>3}")
    print("-" * 98)


def print_row(r: Result, n: int) -> None:
    verdict = ("yes" if r.p95 < TARGET_MS else "NO") if r.target else "-"
    ratio = r.median / r.bare_median if r.bare_median > 0 else float("inf")
    print(
        f"{r.name:<44} {r.median:>10.2f} {r.p95:>9.2f} {r.bare_median:>9.2f} {ratio:>6.2f}x  {verdict:<8} {n:>3}",
        flush=True,
    )


# --- the benchmark -----------------------------------------------------------------------------------------------


SEARCHES = [
    ("4711@", "rare e-mail fragment"),
    ("son", "common trigram"),
    ("an", "2-letter prefix"),
    ("415 555", "phone digits"),
    ("zoe", "accent-folded name"),
]
SORTS = [("email", "desc"), ("created", "desc"), ("company", "asc")]


def main_table(b: Bench) -> None:
    page = ListQuery(tab="individual", sort="name", direction="asc", page=1, page_size=25)

    def fetch(session: Session, q=page) -> tuple[list, dict]:
        return Q.list_customers(q, actor=ACTOR, session=session), service_counts(session, q.search)

    print("\n(a) page load: Individuals by name, page 1 of 25, plus the three tab counts")
    print("    ('after a write': another connection commits a change before each call, so no remembered count is used)")
    print_header()
    b.run(
        "page load: list_customers",
        lambda s: Q.list_customers(page, actor=ACTOR, session=s),
        None,
        target=True,
    )
    b.run(
        "page load: count_customers(individual)",
        lambda s: Q.count_customers("individual", "", actor=ACTOR, session=s),
        None,
        target=False,
    )
    b.run(
        "page load: tab counts",
        lambda s: service_counts(s, ""),
        None,
        target=False,
    )
    b.run(
        "page load: tab counts, after a write",
        lambda s: service_counts(s, ""),
        None,
        target=False,
        after_write=True,
    )
    b.run("page load: list + counts", fetch, None, target=True)
    b.run("page load: list + counts, after a write", fetch, None, target=True, after_write=True)

    print("\n(b) search in Individuals (each timed after a write, so no count is remembered)")
    print_header()
    for typed, label in SEARCHES:
        q = ListQuery(tab="individual", search=typed, page=1, page_size=25)
        with Session(b.engine) as session:
            exact = Q.count_tabs(typed, actor=ACTOR, session=session)[1] if hasattr(Q, "count_tabs") else True
        exact = not exact if isinstance(exact, frozenset) else exact  # the tabs estimated, or whether all are exact
        b.run(
            f"search {typed!r} ({label}): list",
            lambda s, q=q: Q.list_customers(q, actor=ACTOR, session=s),
            None,
            target=False,
            after_write=True,
        )
        b.run(
            f"search {typed!r}: counts" + ("" if exact else " (estimates)"),
            lambda s, q=q: service_counts(s, q.search),
            None,
            target=False,
            after_write=True,
        )
        b.run(
            f"search {typed!r}: list + counts",
            lambda s, q=q: fetch(s, q),
            None,
            target=True,
            after_write=True,
        )

    print("\n(c) sort Individuals, page 1 (the page also shows the tab counts: see (a))")
    print_header()
    for sort, direction in SORTS:
        q = ListQuery(tab="individual", sort=sort, direction=direction, page=1, page_size=25)
        b.run(
            f"sort {sort} {direction}: list",
            lambda s, q=q: Q.list_customers(q, actor=ACTOR, session=s),
            None,
            target=False,
        )
        b.run(
            f"sort {sort} {direction}: list + counts",
            lambda s, q=q: fetch(s, q),
            None,
            target=True,
        )

    with Session(b.engine) as session:
        last = -(-Q.count_customers("individual", "", actor=ACTOR, session=session) // 25)
    print(f"\n(d) deep pages: Individuals by name, page 2000 (OFFSET 49,975), the middle and the last ({last:,})")
    print_header()
    for label, number in (("page 2000", 2000), ("middle page", last // 2), ("last page", last)):
        deep = ListQuery(tab="individual", page=number, page_size=25)
        b.run(
            f"{label}: list",
            lambda s, q=deep: Q.list_customers(q, actor=ACTOR, session=s),
            None,
            target=False,
        )
        b.run(f"{label}: list + counts", lambda s, q=deep: fetch(s, q), None, target=True)
    if hasattr(Q, "shown_page"):  # Next from the middle page: read from its last row, not by skipping rows
        middle = ListQuery(tab="individual", page=last // 2, page_size=25)
        with Session(b.engine) as session:
            shown = Q.shown_page(middle, Q.list_customers(middle, actor=ACTOR, session=session))
        after = ListQuery(tab="individual", page=last // 2 + 1, page_size=25)
        b.run(
            "Next from the middle: list",
            lambda s: Q.list_customers(after, actor=ACTOR, session=s, shown=shown),
            None,
            target=False,
        )
        b.run(
            "Next from the middle: list + counts",
            lambda s: (Q.list_customers(after, actor=ACTOR, session=s, shown=shown), service_counts(s, "")),
            None,
            target=True,
        )


# The probes, each a page of 25 rows plus the tab counts, in the summary of both databases.
PROBES = {
    "first page": "page load: list + counts",
    "first page after a write": "page load: list + counts, after a write",
    "sort by e-mail desc": "sort email desc: list + counts",
    "page 2,000": "page 2000: list + counts",
    "middle page": "middle page: list + counts",
    "last page": "last page: list + counts",
    "Next from the middle": "Next from the middle: list + counts",
    "search 'son'": "search 'son': list + counts",
    "search 'an'": "search 'an': list + counts",
    "search 'zoe'": "search 'zoe': list + counts",
}


def summary(benches: dict[str, Bench]) -> None:
    """The probes side by side: median / p95 ms and the ratio to the bare SQL, per database."""
    print(f"\nSummary ({COUNT:,} customers; median / p95 ms; ratio = service median / bare median)")
    head = f"{'probe':<28}" + "".join(f"{name:>30}" for name in benches)
    print(head)
    print("-" * len(head))
    for probe_name, result_name in PROBES.items():
        cells = []
        for bench in benches.values():
            found = next((r for r in bench.results if r.name.startswith(result_name)), None)
            ratio = found and (found.median / found.bare_median if found.bare_median > 0 else float("inf"))
            cells.append(f"{found.median:.1f} / {found.p95:.1f} ({ratio:.2f}x)" if found else "-")
        print(f"{probe_name:<28}" + "".join(f"{c:>30}" for c in cells))


def explain_postgres(b: Bench) -> None:
    """EXPLAIN (ANALYZE, BUFFERS) of every statement the service sends for each probe: plan top, time, buffers."""
    queries = {
        "first page": ListQuery(),
        "sort by e-mail desc": ListQuery(sort="email", direction="desc"),
        "page 2,000": ListQuery(page=2000),
        "search 'son'": ListQuery(search="son"),
        "search 'an'": ListQuery(search="an"),
        "search 'zoe'": ListQuery(search="zoe"),
    }
    print("\nEXPLAIN (ANALYZE, BUFFERS) of each statement a probe sends (list, then counts)")
    for label, q in queries.items():
        print(f"  {label}")
        statements = b.recorded(
            lambda s, q=q: (Q.list_customers(q, actor=ACTOR, session=s), service_counts(s, q.search))
        )
        with b.conn.cursor() as cursor:
            for statement, parameters in statements:
                if not statement.lstrip().upper().startswith(("SELECT", "WITH")):
                    continue
                cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + statement, parameters)
                lines = [row[0] for row in cursor.fetchall()]
                nodes = [line.strip() for line in lines if "->" in line or not line.startswith(" ")][:4]
                timing = next((line for line in lines if line.startswith("Execution Time")), "")
                print(f"    {timing:<28} {' | '.join(n.split('  (')[0] for n in nodes)}")
        b.conn.rollback()


# --- search plans in bare SQL ----------------------------------------------------------------------------------


PLAN_TERMS = ["4711@", "415555", "zoe", "son", "exa"]
PLAN_BUDGET_S = 1.5


def time_bare(conn: sqlite3.Connection, sql: str, params: list[object]) -> tuple[float, float, object]:
    """Median and p95 ms of one bare statement, within PLAN_BUDGET_S (at least 3 runs)."""
    started = time.perf_counter()
    value = conn.execute(sql, params).fetchall()
    first = time.perf_counter() - started
    runs = max(3, min(20, int(PLAN_BUDGET_S / max(first, 1e-5))))
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        conn.execute(sql, params).fetchall()
        samples.append((time.perf_counter() - started) * 1000)
    return statistics.median(samples), percentile(samples, 95), value


def plans(b: Bench, explain: bool) -> None:
    conn = b.conn
    limit = getattr(Q, "CANDIDATE_LIMIT", 5000)
    walk = getattr(Q, "WALK_LIMIT", 1000)
    order = order_sql("name", "asc")
    shapes = {
        "candidates (capped probe)": (
            "SELECT count(*) FROM (SELECT 1 FROM customer_fts WHERE customer_fts MATCH ? LIMIT ?)",
            lambda t, tab: [phrase(t), limit + 1],
        ),
        "list: id IN (MATCH) [current]": (
            f"SELECT customer.* FROM customer WHERE {TAB_SQL['individual']} AND {FTS_IN} ORDER BY {order} LIMIT 25",
            lambda t, tab: [tab, phrase(t)],
        ),
        "list: materialise (CROSS JOIN)": (
            materialise_sql("individual", order),
            lambda t, tab: [phrase(t), tab, 25, 0],
        ),
        f"list: walk name index, {walk} rows": (walk_sql("individual", order), lambda t, tab: [tab, walk, t, 25, 0]),
        "count: id IN (MATCH) [current]": (
            f"SELECT count(*) FROM customer WHERE {TAB_SQL['individual']} AND {FTS_IN}",
            lambda t, tab: [tab, phrase(t)],
        ),
        "count: CROSS JOIN, exact": (
            f"SELECT count(*) FROM {CROSS} WHERE customer_fts MATCH ? AND {TAB_SQL['individual']}",
            lambda t, tab: [phrase(t), tab],
        ),
        f"count: all tabs among first {limit:,} candidates": (
            "SELECT CASE WHEN customer.deleted_at IS NULL THEN customer.kind ELSE 'trash' END, count(*) "
            "FROM (SELECT rowid AS id FROM customer_fts WHERE customer_fts MATCH ? LIMIT ?) AS hit "
            "CROSS JOIN customer ON customer.id = hit.id GROUP BY 1",
            lambda t, tab: [phrase(t), limit],
        ),
    }
    print(
        "\nSearch plans in bare SQL (Individuals, by name, page 1; median / p95 ms; tab 'institution' for the last"
        " two terms shows a term that is common elsewhere but absent here)"
    )
    cases = [(t, "individual") for t in PLAN_TERMS] + [("son", "institution"), ("zoe", "institution")]
    header = f"{'shape':<46}" + "".join(f"{t + ('/inst' if tab == 'institution' else ''):>13}" for t, tab in cases)
    print(header)
    print("-" * len(header))
    for label, (sql, params) in shapes.items():
        cells = []
        for term, tab in cases:
            median, p95, _ = time_bare(conn, sql, params(term, tab))
            cells.append(f"{median:.1f}/{p95:.1f}")
        print(f"{label:<46}" + "".join(f"{c:>13}" for c in cells), flush=True)
    counts = [probe(conn, t, COUNT + 1) for t, _ in cases[: len(PLAN_TERMS)]]
    print("candidates: " + ", ".join(f"{t} {n:,}" for t, n in zip(PLAN_TERMS, counts, strict=True)))
    if explain:
        print("\nEXPLAIN QUERY PLAN")
        for label, (sql, params) in shapes.items():
            plan = [row[3] for row in conn.execute("EXPLAIN QUERY PLAN " + sql, params("son", "individual"))]
            print(f"  {label:<46} {' | '.join(plan)}")
        for tab in ("individual", "trash"):
            plan = [
                row[3]
                for row in conn.execute(
                    f"EXPLAIN QUERY PLAN SELECT count(*) FROM customer WHERE {TAB_SQL[tab]}", tab_params(tab)
                )
            ]
            print(f"  {'count: tab ' + tab:<46} {' | '.join(plan)}")


def main() -> None:
    global COUNT
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", choices=("sqlite", "postgresql", "both"), help="default: both when reachable")
    parser.add_argument("--count", type=int, default=COUNT, help="customers in the benchmark databases")
    parser.add_argument("--reps", type=int, default=40, help="repetitions per operation (fewer for slow ones)")
    parser.add_argument("--no-plans", action="store_true", help="skip the search plans and EXPLAIN sections")
    parser.add_argument("--mmap", type=int, default=0, help="SQLite: PRAGMA mmap_size for every connection")
    args = parser.parse_args()
    COUNT = args.count

    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from _bench_db import ensure, ensure_postgres, postgres_reachable

    started = time.perf_counter()
    databases = args.database or ("both" if postgres_reachable() else "sqlite")
    module = os.environ.get("BENCH_QUERIES") or Q.__file__
    print(f"query module {module}; target p95 < {TARGET_MS:.0f} ms")
    print("ratio = service median / bare median: the bare SQL is the same statements through the driver, no ORM")
    benches: dict[str, Bench] = {}
    if databases in ("sqlite", "both"):
        path = ensure(COUNT) if COUNT == 1_000_000 else ensure(COUNT, BENCH_DIR / f"bench_{COUNT}.db")
        print(f"\n=== SQLite {sqlite3.sqlite_version}; mmap_size {args.mmap} ===")
        benches["SQLite"] = b = Bench.sqlite(path, args.reps, args.mmap)
        main_table(b)
        if not args.no_plans:
            plans(b, explain=True)
    if databases in ("postgresql", "both"):
        url = ensure_postgres(COUNT)
        b = Bench.postgresql(url, args.reps)
        print(f"\n=== {b.conn.execute('SELECT version()').fetchone()[0].split(' on ')[0]} ===")
        b.conn.rollback()
        benches["PostgreSQL"] = b
        main_table(b)
        if not args.no_plans:
            explain_postgres(b)
    summary(benches)
    for name, b in benches.items():
        missed = [r.name for r in b.results if r.target and r.p95 >= TARGET_MS]
        print(
            f"{name}: {len(missed)} of {sum(r.target for r in b.results)} targeted operations miss p95 < "
            f"{TARGET_MS:.0f} ms" + (": " + "; ".join(missed) if missed else "")
        )
    print(f"Total {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
