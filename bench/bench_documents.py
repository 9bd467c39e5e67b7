"""Time a customer's Sales and Invoices tabs and the customers list's "With open balance" filter on 1,000,000
customers with 5,000,000 documents, each figure against the same SQL run through bare sqlite3 in the same run.

    python bench/bench_documents.py [--customers 1000000] [--documents 5000000] [--reps 40]

The database (data/bench_documents_<customers>_<documents>.db) is built once and reused: the customers as
bench/_bench_db.py makes them, then the documents with their lines, payments with their allocations, and the kept
balances, by bulk inserts in one transaction with the secondary indexes made afterwards; the load time is printed.
Some customers have many documents (HEAVY_DOCS each), most a few. The services are timed with a fresh session per
call, as the pages make them, alternating with the bare SQL so drift hits both.
"""

from __future__ import annotations

import argparse
import importlib.util
import random
import sqlite3
import statistics
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any, LiteralString, cast

import psycopg
from psycopg import sql
from sqlalchemy import make_url, text

# Run from a checkout without installing the project.
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import _bench_db
from _replay import bare_connection, record, replay
from sqlmodel import Session

from customer_app.commerce import balances, documents, open_balances
from customer_app.core.db import make_engine
from customer_app.core.permissions import Actor, Role
from customer_app.customers import list_extras
from customer_app.customers.queries import ListQuery, count_tabs, list_customers
from customer_app.settings import PROJECT_ROOT

ACTOR = Actor(id=0, email="bench@example.com", name="Bench", role=Role.ADMIN)  # the services check who reads
HEAVY, HEAVY_DOCS = 20, 2_500  # customers with many documents, and how many each
CHUNK = 50_000
TAB_TARGET_MS, LIST_TARGET_MS = 50.0, 100.0
BUDGET_S = 3.0  # per probe: slow probes get fewer repetitions (never fewer than MIN_REPS)
MIN_REPS = 5
# The indexes made after the rows are in (the unique numbers' index stays: numbers are inserted in order).
LATE_INDEXES = (
    "ix_sales_document_customer",
    "ix_sales_document_line_document",
    "ix_payment_customer",
    "ix_payment_allocation_document",
)
KINDS = (("invoice", 60), ("estimate", 15), ("sales_order", 10), ("sales_receipt", 10), ("credit_note", 5))
PREFIX = {"invoice": "INV", "estimate": "EST", "sales_order": "SO", "sales_receipt": "SR", "credit_note": "CN"}
DOCUMENT_SQL = (
    "INSERT INTO sales_document (id, customer_id, kind, status, number, currency, language, issue_date, due_date, "
    "billing_address, shipping_address, destination_country, customer_tax_class_id, prices_include_tax, "
    "round_per_line, net_minor, tax_minor, gross_minor, source_id, created_by_name, created_at, updated_at, "
    "issued_at) VALUES (?, ?, ?, ?, ?, ?, 'en', ?, ?, ?, ?, 'DE', NULL, 0, 0, ?, ?, ?, NULL, 'Bench', ?, ?, ?)"
)
LINE_SQL = (
    "INSERT INTO sales_document_line (document_id, position, description, quantity, unit_price, discount_percent, "
    "item_tax_class_id, tax_rate, net_minor, tax_minor, gross_minor) VALUES (?, ?, ?, '1', ?, '0', NULL, '19', ?, ?, ?)"
)
PAYMENT_SQL = (
    "INSERT INTO payment (id, customer_id, kind, paid_on, method, amount_minor, currency, reference, "
    "created_by_name, created_at) VALUES (?, ?, ?, ?, 'bank_transfer', ?, ?, '', 'Bench', ?)"
)
ALLOCATION_SQL = "INSERT INTO payment_allocation (payment_id, document_id, amount_minor) VALUES (?, ?, ?)"
# PostgreSQL's COPY takes every value of a row, the constants above included.
DOCUMENT_COPY: LiteralString = (
    "COPY sales_document (id, customer_id, kind, status, number, currency, language, issue_date, due_date, "
    "billing_address, shipping_address, destination_country, customer_tax_class_id, prices_include_tax, "
    "round_per_line, net_minor, tax_minor, gross_minor, source_id, created_by_name, created_at, updated_at, "
    "issued_at) FROM STDIN"
)
LINE_COPY: LiteralString = (
    "COPY sales_document_line (document_id, position, description, quantity, unit_price, discount_percent, "
    "item_tax_class_id, tax_rate, net_minor, tax_minor, gross_minor) FROM STDIN"
)
PAYMENT_COPY: LiteralString = (
    "COPY payment (id, customer_id, kind, paid_on, method, amount_minor, currency, reference, created_by_name, "
    "created_at) FROM STDIN"
)
ALLOCATION_COPY: LiteralString = "COPY payment_allocation (payment_id, document_id, amount_minor) FROM STDIN"


# --- loading ---------------------------------------------------------------------------------------------------


def _backfill_sql() -> str:
    """The migration's statement that fills customer_balance from the documents and payments."""
    path = next((PROJECT_ROOT / "alembic" / "versions").glob("*_d0e1f2a3b4c5_customer_balances.py"))
    spec = importlib.util.spec_from_file_location("customer_balances_migration", path)
    if spec is None or spec.loader is None:
        raise SystemExit(f"cannot read {path}")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.BACKFILL


def _stamp(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%d %H:%M:%S.%f")


class Loader:
    """Makes the rows of the documents, lines, payments and allocations, numbered as they go."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.document_id = self.payment_id = 0
        self.numbers: Counter[str] = Counter()
        self.documents: list[tuple] = []
        self.lines: list[tuple] = []
        self.payments: list[tuple] = []
        self.allocations: list[tuple] = []
        self.start = datetime(2024, 1, 1, tzinfo=UTC)
        self.kinds = [kind for kind, weight in KINDS for _ in range(weight)]

    def customer(self, customer_id: int, count: int, mixed: bool) -> None:
        """`count` documents of one customer, oldest first; `mixed`: every seventh in dollars."""
        rng = self.rng
        moments = sorted(self.start + timedelta(minutes=rng.randrange(1_000_000)) for _ in range(count))
        for n, moment in enumerate(moments):
            currency = "USD" if (customer_id % 10 == 0) != (mixed and n % 7 == 3) else "EUR"
            self.document(customer_id, rng.choice(self.kinds), currency, moment)

    def document(self, customer_id: int, kind: str, currency: str, moment: datetime) -> None:
        rng = self.rng
        self.document_id += 1
        ident, draft = self.document_id, rng.random() < 0.05
        status = "draft" if draft else ("cancelled" if kind == "invoice" and rng.random() < 0.02 else "issued")
        number = None
        if not draft:
            self.numbers[kind] += 1
            number = f"{PREFIX[kind]}-{self.numbers[kind]:08d}"
        gross = net_total = 0
        sign = -1 if kind == "credit_note" else 1
        for position in range(rng.choice((1, 1, 2))):
            net = sign * rng.randrange(1_000, 200_000)
            tax = net * 19 // 100
            gross, net_total = gross + net + tax, net_total + net
            self.lines.append((ident, position, "Consulting", f"{abs(net) / 100:.2f}", net, tax, net + tax))
        day = moment.date()
        due = (day + timedelta(days=14)).isoformat() if kind == "invoice" else None
        issued = None if draft else _stamp(moment)
        self.documents.append(
            (ident, customer_id, kind, status, number, currency, None if draft else day.isoformat(), due,
             "Main Street 1\n10115 Berlin", "Main Street 1\n10115 Berlin", net_total, gross - net_total, gross,
             _stamp(moment), _stamp(moment), issued)
        )  # fmt: skip
        if status == "issued" and kind in ("invoice", "sales_receipt"):
            self.settle(customer_id, ident, kind, currency=currency, gross=gross, day=day)

    def settle(self, customer_id: int, document_id: int, kind: str, *, currency: str, gross: int, day: date) -> None:
        """Paid in full (receipts always; 55 % of invoices), in part (15 %) or not yet; a few refunded in part."""
        roll = 0.0 if kind == "sales_receipt" else self.rng.random()
        if roll >= 0.70:
            return
        amount = gross if roll < 0.55 else gross // 2
        self.pay(customer_id, document_id, "payment", currency=currency, amount=amount, day=day)
        if roll < 0.01:
            later = day + timedelta(days=3)
            self.pay(customer_id, document_id, "refund", currency=currency, amount=amount // 4, day=later)

    def pay(self, customer_id: int, document_id: int, kind: str, *, currency: str, amount: int, day: date) -> None:
        self.payment_id += 1
        stamp = _stamp(datetime(day.year, day.month, day.day, 12, tzinfo=UTC))
        self.payments.append((self.payment_id, customer_id, kind, day.isoformat(), amount, currency, stamp))
        self.allocations.append((self.payment_id, document_id, amount))

    def flush(self, write: Callable[[list[tuple], list[tuple], list[tuple], list[tuple]], None], force: bool = False):
        """Hand the rows made so far to `write` (documents, lines, payments, allocations) once there are enough."""
        if len(self.documents) < CHUNK and not force:
            return
        write(self.documents, self.lines, self.payments, self.allocations)
        for rows in (self.documents, self.lines, self.payments, self.allocations):
            rows.clear()


def sqlite_writer(conn: sqlite3.Connection) -> Callable[[list[tuple], list[tuple], list[tuple], list[tuple]], None]:
    """Bulk inserts of a chunk of rows into SQLite."""

    def write(documents: list[tuple], lines: list[tuple], payments: list[tuple], allocations: list[tuple]) -> None:
        conn.executemany(DOCUMENT_SQL, documents)
        conn.executemany(LINE_SQL, lines)
        conn.executemany(PAYMENT_SQL, payments)
        conn.executemany(ALLOCATION_SQL, allocations)

    return write


def postgres_writer(conn: psycopg.Connection) -> Callable[[list[tuple], list[tuple], list[tuple], list[tuple]], None]:
    """COPY of a chunk of rows into PostgreSQL, the constants SQLite's statements spell out filled in."""

    def write(documents: list[tuple], lines: list[tuple], payments: list[tuple], allocations: list[tuple]) -> None:
        with conn.cursor().copy(DOCUMENT_COPY) as copy:
            for d in documents:
                copy.write_row((*d[:6], "en", *d[6:10], "DE", None, False, False, *d[10:13], None, "Bench", *d[13:]))
        with conn.cursor().copy(LINE_COPY) as copy:
            for line in lines:
                copy.write_row((*line[:3], "1", line[3], "0", None, "19", *line[4:]))
        with conn.cursor().copy(PAYMENT_COPY) as copy:
            for pay in payments:
                copy.write_row((*pay[:4], "bank_transfer", pay[4], pay[5], "", "Bench", pay[6]))
        with conn.cursor().copy(ALLOCATION_COPY) as copy:
            for row in allocations:
                copy.write_row(row)

    return write


def document_counts(customer_ids: list[int], total: int, rng: random.Random) -> tuple[list[int], Counter[int]]:
    """The customers with many documents, and how many documents each customer gets (adding up to `total`)."""
    heavy_count = min(HEAVY, len(customer_ids) // 2, total // (2 * HEAVY_DOCS))
    step = max(1, len(customer_ids) // max(heavy_count, 1))
    heavy = customer_ids[step // 2 :: step][:heavy_count]
    counts: Counter[int] = Counter(dict.fromkeys(heavy, HEAVY_DOCS))
    others = [customer_id for customer_id in customer_ids if customer_id not in counts]
    counts.update(others[rng.randrange(len(others))] for _ in range(total - heavy_count * HEAVY_DOCS))
    return heavy, counts


def generate(conn, total: int, write) -> None:
    """Make `total` documents for the database's active customers and hand them to `write`: the same seed, so the
    same rows on either database (`conn`: a sqlite3 or psycopg connection, both answer `execute`)."""
    rng = random.Random(20261204)
    customer_ids = [row[0] for row in conn.execute("SELECT id FROM customer WHERE deleted_at IS NULL ORDER BY id")]
    heavy, counts = document_counts(customer_ids, total, rng)
    loader, heavy_set = Loader(rng), set(heavy)
    for customer_id in sorted(counts):
        loader.customer(customer_id, counts[customer_id], customer_id in heavy_set)
        loader.flush(write)
    loader.flush(write, force=True)


def load(path: Path, total: int) -> None:
    """Replace the database's documents, payments and balances with `total` generated documents."""
    started = time.perf_counter()
    conn = sqlite3.connect(path, isolation_level=None)
    for pragma in ("cache_size=-1000000", "temp_store=MEMORY", "synchronous=OFF", "foreign_keys=OFF"):
        conn.execute(f"PRAGMA {pragma}")
    late = [row[0] for row in conn.execute("SELECT sql FROM sqlite_master WHERE type = 'index' AND name IN "
                                          f"({', '.join('?' * len(LATE_INDEXES))})", LATE_INDEXES)]  # fmt: skip
    conn.execute("BEGIN")
    for table in ("customer_balance", "payment_allocation", "payment", "sales_document_line", "sales_document"):
        conn.execute(f"DELETE FROM {table}")
    for name in LATE_INDEXES:
        conn.execute(f"DROP INDEX IF EXISTS {name}")
    generate(conn, total, sqlite_writer(conn))
    rows_in = time.perf_counter()
    for statement in late:
        conn.execute(statement)
    indexed = time.perf_counter()
    conn.execute(_backfill_sql())
    conn.execute("COMMIT")
    conn.execute("ANALYZE")
    done = time.perf_counter()
    lines, payments, owing = (
        conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
        for table in ("sales_document_line", "payment", "(SELECT DISTINCT customer_id FROM customer_balance)")
    )
    conn.close()
    report_load(total, (lines, payments, owing), (started, rows_in, indexed, done))


def report_load(total: int, counts: tuple[int, int, int], marks: tuple[float, float, float, float]) -> None:
    """Print what a load made and where its time went (`marks`: started, rows in, indexed, done)."""
    lines, payments, owing = counts
    started, rows_in, indexed, done = marks
    print(
        f"Loaded {total:,} documents, {lines:,} lines, {payments:,} payments and allocations in {done - started:.0f} s "
        f"(rows {rows_in - started:.0f} s, {(total + lines + 2 * payments) / (rows_in - started):,.0f} rows/s; "
        f"indexes {indexed - rows_in:.0f} s; balances and ANALYZE {done - indexed:.0f} s); "
        f"{owing:,} customers owe something"
    )


def load_postgres(url: str, total: int) -> None:
    """Replace the PostgreSQL database's documents, payments and balances with `total` generated documents, by COPY.

    As on SQLite, the same rows (same seed) with the secondary indexes made afterwards; the foreign keys' checks are
    off meanwhile (the rows are made consistent), then VACUUM ANALYZE gives the planner statistics and the
    visibility map.
    """
    started = time.perf_counter()
    with psycopg.connect(_bench_db.conninfo(url)) as conn:
        conn.execute("SET TimeZone = 'UTC'")  # the loader's time stamps are UTC without a zone
        conn.execute("SET session_replication_role = replica")  # no foreign-key triggers while loading
        conn.execute(
            "TRUNCATE customer_balance, payment_allocation, payment, sales_document_line, sales_document "
            "RESTART IDENTITY CASCADE"
        )
        late = conn.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = current_schema() AND indexname = ANY(%s)",
            (list(LATE_INDEXES),),
        ).fetchall()
        for name, _ in late:
            conn.execute(sql.SQL("DROP INDEX {}").format(sql.Identifier(name)))
        generate(conn, total, postgres_writer(conn))
        rows_in = time.perf_counter()
        conn.execute("SET maintenance_work_mem = '512MB'")
        for _, definition in late:
            conn.execute(cast("LiteralString", definition))  # read back from pg_indexes a moment ago
        # Statistics first: without them the balances' statement picks a plan that scans the allocations per invoice.
        conn.execute("ANALYZE sales_document, sales_document_line, payment, payment_allocation")
        indexed = time.perf_counter()
        conn.execute(cast("LiteralString", _backfill_sql()))
        for table in ("sales_document", "payment"):
            conn.execute(
                sql.SQL("SELECT setval(pg_get_serial_sequence({}, 'id'), (SELECT max(id) FROM {}))").format(
                    sql.Literal(table), sql.Identifier(table)
                )
            )
        conn.commit()
    with psycopg.connect(_bench_db.conninfo(url), autocommit=True) as conn:
        conn.execute("VACUUM ANALYZE")
        done = time.perf_counter()
        lines, payments, owing = (
            conn.execute(sql.SQL("SELECT count(*) FROM {}").format(sql.SQL(table))).fetchone()[0]
            for table in ("sales_document_line", "payment", "(SELECT DISTINCT customer_id FROM customer_balance) AS c")
        )
    report_load(total, (lines, payments, owing), (started, rows_in, indexed, done))


def ensure(customers: int, total: int) -> Path:
    """The benchmark database with `customers` customers and `total` documents, built when missing or different."""
    path = _bench_db.ensure(customers, PROJECT_ROOT / "data" / f"bench_documents_{customers}_{total}.db")
    with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as conn:
        present = conn.execute("SELECT count(*) FROM sales_document").fetchone()[0]
    if present != total:
        print(f"Loading {total:,} documents (with lines, payments and balances) by bulk inserts...")
        load(path, total)
    else:
        print(f"Reusing its {total:,} documents")
    return path


def ensure_postgres(customers: int, total: int) -> str:
    """The PostgreSQL database with `customers` customers and `total` documents, loaded when missing or different.

    A database of its own next to bench/_bench_db.py's (`bench_documents`, or `bench_documents_<customers>`).
    """
    name = "bench_documents" if customers == 1_000_000 else f"bench_documents_{customers}"
    url = _bench_db.ensure_postgres(customers, str(make_url(_bench_db.PG_URL).set(database=name)))
    with psycopg.connect(_bench_db.conninfo(url)) as conn:
        present = conn.execute("SELECT count(*) FROM sales_document").fetchone()[0]
    if present != total:
        print(f"Loading {total:,} documents (with lines, payments and balances) by COPY...")
        load_postgres(url, total)
    else:
        print(f"Reusing its {total:,} documents")
    return url


# --- timing ----------------------------------------------------------------------------------------------------


def percentile(samples: list[float], pct: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(pct / 100 * (len(ordered) - 1)))]


class Bench:
    """Alternates a service call (fresh session) and its bare SQL, and prints median, p95 and their ratio.

    On SQLite the bare SQL is written by hand (the probes' functions below) and its result checked against the
    service's; on PostgreSQL it is the very statements the service sent on its first call, replayed through psycopg.
    """

    def __init__(self, url: str, reps: int) -> None:
        self.engine = make_engine(url)
        self.postgres = self.engine.dialect.name == "postgresql"
        if self.postgres:
            self.conn: Any = bare_connection(self.engine)
            self.toucher: Any = psycopg.connect(_bench_db.conninfo(url), autocommit=True)
        else:
            self.conn = sqlite3.connect(self.engine.url.database or "")
            self.toucher = sqlite3.connect(self.engine.url.database or "", isolation_level=None)
        self.reps = reps
        self.over: list[str] = []

    def touch(self) -> None:
        """Commit a change from another connection, so no count remembered from before is reused."""
        self.toucher.execute("UPDATE customer SET version = -version WHERE id = 1")

    def run(
        self,
        name: str,
        service: Callable[[Session], object],
        bare: Callable[[sqlite3.Connection], object],
        *,
        target: float,
        same: Callable[[object, object], bool],
        after_write: bool = False,
    ) -> None:
        def timed(call: Callable[[], object]) -> tuple[float, object]:
            if after_write:
                self.touch()
            started = time.perf_counter()
            value = call()
            return (time.perf_counter() - started) * 1000, value

        def via_service() -> object:
            with Session(self.engine) as session:
                return service(session)

        if self.postgres:
            statements = record(self.engine, service)
            bare_call: Callable[[], object] = lambda: replay(self.conn, statements)  # noqa: E731
        else:
            bare_call = lambda: bare(self.conn)  # noqa: E731
        first_ms, first = timed(via_service)
        if not self.postgres and not same(first, bare(self.conn)):
            raise AssertionError(f"{name}: the service and the bare SQL disagree")
        timed(bare_call)
        reps = max(MIN_REPS, min(self.reps, int(BUDGET_S * 1000 / max(first_ms, 0.01) / 2)))
        service_ms, bare_ms = [], []
        for _ in range(reps):
            service_ms.append(timed(via_service)[0])
            bare_ms.append(timed(bare_call)[0])
        median, p95, bare_median = statistics.median(service_ms), percentile(service_ms, 95), statistics.median(bare_ms)
        verdict = "yes" if p95 < target else "NO"
        if p95 >= target:
            self.over.append(name)
        ratio = median / bare_median if bare_median > 0 else float("inf")
        print(
            f"{name:<52} {median:>9.2f} {p95:>9.2f} {bare_median:>9.2f} {percentile(bare_ms, 95):>9.2f} "
            f"{ratio:>6.2f}x  {verdict:<3} (<{target:.0f}) {reps:>3}",
            flush=True,
        )


def header() -> None:
    print(f"\n{'probe':<52} {'median ms':>9} {'p95 ms':>9} {'bare med':>9} {'bare p95':>9} {'ratio':>7}  target   n")
    print("-" * 120)


# --- the probes' bare SQL: the statements the services send, by hand -------------------------------------------


def bare_sales(conn: sqlite3.Connection, customer_id: int) -> list[int]:
    sql = "SELECT * FROM sales_document WHERE customer_id = ? ORDER BY created_at DESC, id DESC LIMIT ?"  # documents_of
    return [row[0] for row in conn.execute(sql, (customer_id, documents.SHOWN))]


def bare_invoices(conn: sqlite3.Connection, customer_id: int) -> list[int]:
    """The customer's newest open invoices (the filter in SQL, as the service sends it: what credit notes took back
    and payments paid off the gross), then their payments and their credit notes."""
    conn.execute("SELECT * FROM customer WHERE id = ? AND deleted_at IS NULL", (customer_id,)).fetchone()
    crediting = ", ".join(f"'{status}'" for status in balances.CREDITING)
    credited = (
        "SELECT coalesce(-sum(c.gross_minor), 0) FROM sales_document AS c WHERE c.source_id = sales_document.id "
        f"AND c.kind = 'credit_note' AND c.status IN ({crediting})"
    )
    received = (
        "SELECT coalesce(sum(a.amount_minor), 0) FROM payment_allocation AS a JOIN payment AS p ON p.id = a.payment_id "
        "WHERE a.document_id = sales_document.id AND p.kind = 'payment'"
    )
    ids = [
        row[0]
        for row in conn.execute(
            "SELECT * FROM sales_document WHERE customer_id = ? AND kind = 'invoice' AND status != 'draft' "
            f"AND status != 'cancelled' AND gross_minor - ({credited}) - ({received}) > 0 "
            "ORDER BY issue_date DESC, id DESC LIMIT ?",
            (customer_id, balances.SHOWN),
        )
    ]
    marks = ", ".join("?" * len(ids))
    conn.execute(
        "SELECT a.document_id, p.kind, sum(a.amount_minor) FROM payment_allocation AS a JOIN payment AS p "
        f"ON p.id = a.payment_id WHERE a.document_id IN ({marks}) GROUP BY 1, 2",
        ids,
    ).fetchall()
    conn.execute(
        f"SELECT source_id, sum(gross_minor) FROM sales_document WHERE source_id IN ({marks}) "
        f"AND kind = 'credit_note' AND status IN ({crediting}) GROUP BY source_id",
        ids,
    ).fetchall()
    return ids


def bare_open_page(conn: sqlite3.Connection) -> list[int]:
    """The first page of Individuals with an open balance by name, the plan customers.search_plans picks, with the
    page's balances and the bounded tab counts."""
    ids_sql = list_extras.flag(open_balances.KEY).ids_sql
    probe = list_extras.flag(open_balances.KEY).probe_sql
    tab = "customer.kind = 'individual' AND customer.deleted_at IS NULL"
    order = "customer.sort_name ASC, customer.id ASC"
    conn.execute(f"SELECT count(*) FROM ({ids_sql} LIMIT 5001)").fetchone()
    conn.execute(f"SELECT count(*) FROM ({ids_sql} LIMIT 50001)").fetchone()
    cursor = conn.execute(
        f"SELECT customer.* FROM (SELECT id FROM customer WHERE {tab} ORDER BY {order} LIMIT 1000) AS walked "
        f"CROSS JOIN customer ON customer.id = walked.id WHERE {probe} ORDER BY {order} LIMIT 25 OFFSET 0"
    )
    at = [column[0] for column in cursor.description].index("id")
    ids = [row[at] for row in cursor.fetchall()]
    conn.execute(
        f"SELECT * FROM customer_balance WHERE customer_id IN ({', '.join('?' * len(ids))}) ORDER BY customer_id, "
        "currency",
        ids,
    ).fetchall()
    conn.execute(f"SELECT count(*) FROM ({ids_sql} LIMIT 5001)").fetchone()
    conn.execute(f"SELECT count(*) FROM ({ids_sql} LIMIT 50001)").fetchone()
    conn.execute(
        "SELECT CASE WHEN customer.deleted_at IS NULL THEN customer.kind ELSE 'trash' END, count(*) "
        f"FROM ({ids_sql} LIMIT 5000) AS hit CROSS JOIN customer ON customer.id = hit.id GROUP BY 1"
    ).fetchall()
    return ids


def service_open_page(session: Session) -> list[int]:
    """What the customers page reads for "With open balance": the page, its balances and the tab counts."""
    query = ListQuery(flags=(open_balances.KEY,)).checked((25, 50, 100))
    found = list_customers(query, actor=ACTOR, session=session)
    list_extras.page_cells([c.id for c in found], actor=ACTOR, session=session)
    count_tabs("", flags=query.flags, actor=ACTOR, session=session)
    return [c.id for c in found]


def probes(b: Bench) -> None:
    with b.engine.connect() as conn:
        many = conn.execute(
            text("SELECT customer_id FROM sales_document GROUP BY customer_id ORDER BY count(*) DESC LIMIT 1")
        ).scalar_one()
        few = conn.execute(
            text(
                "SELECT customer_id FROM sales_document WHERE customer_id > 1000 GROUP BY customer_id "
                "HAVING count(*) BETWEEN 4 AND 6 AND sum(CASE WHEN kind = 'invoice' THEN 1 ELSE 0 END) >= 2 "
                "ORDER BY customer_id LIMIT 1"
            )
        ).scalar_one()
        sizes = {
            who: conn.execute(
                text("SELECT count(*) FROM sales_document WHERE customer_id = :who"), {"who": who}
            ).scalar_one()
            for who in (many, few)
        }

    def same(a: object, b: object) -> bool:
        return a == b

    header()
    for label, who in (("many", many), ("few", few)):
        b.run(
            f"Sales tab: documents_of ({label}: {sizes[who]:,} documents)",
            lambda s, who=who: [d.id for d in documents.documents_of(who, actor=ACTOR, session=s)],
            lambda c, who=who: bare_sales(c, who),
            target=TAB_TARGET_MS,
            same=same,
        )
        b.run(
            f"Invoices tab: invoices(open) ({label})",
            lambda s, who=who: [r.document.id for r in balances.invoices(who, "open", actor=ACTOR, session=s)],
            lambda c, who=who: bare_invoices(c, who),
            target=TAB_TARGET_MS,
            same=same,
        )
    b.run("List: With open balance, first page", service_open_page, bare_open_page, target=LIST_TARGET_MS, same=same)
    b.run(
        "List: With open balance, first page, after a write",
        service_open_page,
        bare_open_page,
        target=LIST_TARGET_MS,
        same=same,
        after_write=True,
    )


def main(argv: Iterator[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", choices=("sqlite", "postgresql", "both"), default="sqlite")
    parser.add_argument("--customers", type=int, default=1_000_000)
    parser.add_argument("--documents", type=int, default=5_000_000)
    parser.add_argument("--reps", type=int, default=40)
    args = parser.parse_args(list(argv) if argv is not None else None)
    benches: list[tuple[str, Bench]] = []
    if args.database in ("sqlite", "both"):
        path = ensure(args.customers, args.documents)
        benches.append(
            (
                f"SQLite {sqlite3.sqlite_version}; bare: the SQL by hand through sqlite3",
                Bench(f"sqlite:///{path}", args.reps),
            )
        )
    if args.database in ("postgresql", "both"):
        url = ensure_postgres(args.customers, args.documents)
        bench = Bench(url, args.reps)
        version = bench.conn.execute("SELECT version()").fetchone()[0].split(" on ")[0]
        bench.conn.rollback()
        benches.append((f"{version}; bare: the service's statements replayed through psycopg", bench))
    for title, bench in benches:
        print(f"\n=== {title}: {args.customers:,} customers, {args.documents:,} documents ===")
        probes(bench)
        if bench.over:
            print(f"\nOver target: {', '.join(bench.over)}")
        else:
            print("\nEvery probe is within its target.")


if __name__ == "__main__":
    main()
