"""Build (once) and reuse the benchmark database: the app's migrations plus N demo customers."""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path

from alembic.util import CommandError
from sqlalchemy import event
from sqlmodel import SQLModel

from customer_app.core.db import make_engine
from customer_app.core.migrations import migrate
from customer_app.customers.demo_data import insert_demo
from customer_app.customers.models import Customer
from customer_app.settings import PROJECT_ROOT

BENCH_DB = PROJECT_ROOT / "data" / "bench_1m.db"


def row_count(path: Path) -> int:
    """Customers in the database at `path`, or -1 when it is missing or unreadable."""
    if not path.exists():
        return -1
    try:
        with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as conn:
            return conn.execute("SELECT count(*) FROM customer").fetchone()[0]
    except sqlite3.Error:
        return -1


def _schema_matches(path: Path) -> bool:
    """Whether the customer table has the columns and indexes the model declares (what the queries rely on)."""
    table = SQLModel.metadata.tables[Customer.__tablename__]
    with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as conn:
        columns = {row[1] for row in conn.execute("PRAGMA table_info(customer)")}
        indexes = {
            index.name: [row[2] for row in conn.execute(f"PRAGMA index_info({index.name})")] for index in table.indexes
        }
    wanted = {index.name: [column.name for column in index.columns] for index in table.indexes}
    return columns == {column.name for column in table.columns} and indexes == wanted


def _up_to_date(path: Path) -> bool:
    """Apply migrations the database lacks; then whether its customer table is what the model declares."""
    engine = make_engine(f"sqlite:///{path}")
    try:
        migrate(engine)
    except CommandError as exc:  # built from another migration history (another branch, or a rewritten revision)
        print(f"Note: {exc}; only the customer table matters here, so it is compared with the model")
    finally:
        engine.dispose()
    return _schema_matches(path)


def _load_pragmas(dbapi_connection, _record) -> None:
    # Only while loading: a large page cache keeps the seven indexes and the FTS index in memory.
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA cache_size=-1000000")
    cursor.execute("PRAGMA temp_store=MEMORY")
    cursor.close()


def build(path: Path, count: int) -> float:
    """Create a fresh database at `path` with `count` demo customers; returns seconds taken."""
    started = time.perf_counter()
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".building")
    for leftover in (partial, Path(f"{partial}-wal"), Path(f"{partial}-shm")):
        leftover.unlink(missing_ok=True)
    engine = make_engine(f"sqlite:///{partial}")
    event.listen(engine, "connect", _load_pragmas)
    migrate(engine)
    with engine.begin() as connection:
        insert_demo(connection, count, chunk=10_000)  # rebuilds the search index once and runs ANALYZE
    engine.dispose()
    with sqlite3.connect(partial) as conn:
        conn.execute("INSERT INTO customer_fts(customer_fts) VALUES ('optimize')")
        conn.commit()
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        conn.execute("PRAGMA journal_mode=DELETE")
    for suffix in ("-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    partial.replace(path)
    return time.perf_counter() - started


def ensure(count: int, path: Path = BENCH_DB) -> Path:
    """The benchmark database with exactly `count` customers, built when missing or different."""
    if row_count(path) == count and _up_to_date(path):
        print(f"Reusing {path.relative_to(PROJECT_ROOT)} ({count:,} customers)")
        return path
    print(f"Building {path.relative_to(PROJECT_ROOT)}: {count:,} customers at the latest migration (a few minutes)...")
    seconds = build(path, count)
    print(f"Built {count:,} customers in {seconds:.0f} s ({count / seconds:,.0f} rows/s)")
    return path
