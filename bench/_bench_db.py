"""Build (once) and reuse the benchmark database: the app's migrations plus N demo customers."""

from __future__ import annotations

import os
import secrets
import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path
from typing import LiteralString

import psycopg
from alembic.util import CommandError
from psycopg import sql
from sqlalchemy import event, make_url, text
from sqlmodel import SQLModel

from customer_app.core.columns import utcnow
from customer_app.core.db import make_engine
from customer_app.core.migrations import migrate
from customer_app.customers.customers import derived_fields
from customer_app.customers.demo_data import demo_inputs, insert_demo
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


# --- PostgreSQL: a `bench` database next to the test one, loaded by COPY ----------------------------------------

PG_URL = os.environ.get("BENCH_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/bench")
DEMO_COPIES_FROM = 1_000_000  # larger databases copy the first million in SQL (generating rows in Python: ~7,000/s)


def conninfo(url: str) -> str:
    """The psycopg connection string of a SQLAlchemy URL."""
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


def postgres_reachable(url: str = PG_URL) -> bool:
    """Whether the server of `url` answers (its database may not exist yet)."""
    try:
        psycopg.connect(conninfo(str(make_url(url).set(database="postgres"))), connect_timeout=3).close()
    except psycopg.OperationalError:
        return False
    return True


def _create_database(url: str) -> None:
    name = make_url(url).database
    with psycopg.connect(conninfo(str(make_url(url).set(database="postgres"))), autocommit=True) as conn:
        if conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone() is None:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name or "bench")))


def _demo_rows(count: int, start: int) -> Iterator[tuple]:
    """Demo customers as COPY rows in PG_COLUMNS order (created one minute apart, the newest last)."""
    now = utcnow()
    for n, data in enumerate(demo_inputs(count, start=start)):
        row = data.model_dump() | derived_fields(data)
        row["kind"] = str(data.kind.value)
        created = now - timedelta(minutes=count - n)
        row |= {"created_at": created, "updated_at": created, "version": 1}
        yield tuple(row.get(column) for column in _pg_columns())


def _pg_columns() -> list[str]:
    table = SQLModel.metadata.tables[Customer.__tablename__]
    return [column.name for column in table.columns if column.name != "id"]


def build_postgres(url: str, count: int) -> float:
    """Fill the PostgreSQL database at `url` with `count` demo customers by COPY; returns seconds taken.

    The customer table's secondary indexes are dropped for the load and rebuilt after it (several times faster than
    maintaining them row by row), its triggers are off meanwhile (the tab counts are recounted after), then VACUUM
    ANALYZE gives the planner statistics and the visibility map. Beyond a million, the first million are copied in
    SQL as often as needed, each copy's e-mails made unique ("ana.smith.7+2@example.com").
    """
    started = time.perf_counter()
    base = min(count, DEMO_COPIES_FROM) if count % DEMO_COPIES_FROM == 0 else count
    with psycopg.connect(conninfo(url)) as conn:
        conn.execute("TRUNCATE customer RESTART IDENTITY CASCADE")
        conn.execute("ALTER TABLE customer DISABLE TRIGGER USER")
        indexes = conn.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'customer' AND schemaname = current_schema() "
            "AND indexname <> 'customer_pkey'"
        ).fetchall()
        for name, _ in indexes:
            conn.execute(sql.SQL("DROP INDEX {}").format(sql.Identifier(name)))
        columns = sql.SQL(", ").join(sql.Identifier(column) for column in _pg_columns())
        with conn.cursor().copy(sql.SQL("COPY customer ({}) FROM STDIN").format(columns)) as copy:
            for row in _demo_rows(base, 0):
                copy.write_row(row)
        if count > base:
            changed: dict[str, LiteralString] = {
                "email": "replace(email, '@', '+' || n || '@')",
                "email_key": "replace(email_key, '@', '+' || n || '@')",
                "search_text": "replace(search_text, '@', '+' || n || '@')",
                "created_at": "created_at - n * interval '1 day'",
            }
            chosen = sql.SQL(", ").join(
                sql.SQL(changed[column]) if column in changed else sql.Identifier(column) for column in _pg_columns()
            )
            conn.execute(
                sql.SQL(
                    "INSERT INTO customer ({}) SELECT {} FROM customer "
                    "CROSS JOIN generate_series(1, {}) AS n ORDER BY n, id"
                ).format(columns, chosen, sql.Literal(count // base - 1))
            )
        conn.execute("SET maintenance_work_mem = '512MB'")
        for _, definition in indexes:
            conn.execute(definition)
        conn.execute("ALTER TABLE customer ENABLE TRIGGER USER")
        conn.commit()
    with psycopg.connect(conninfo(url), autocommit=True) as conn:
        _recount(conn)
        conn.execute("VACUUM ANALYZE")
    return time.perf_counter() - started


def _recount(conn) -> None:
    """Rebuild the tab counts from the customers (TRUNCATE, used by the load, bypasses the triggers that keep them)."""
    exists = conn.execute("SELECT to_regclass('customer_tab_count')").fetchone()[0]
    if exists is not None:
        conn.execute("DELETE FROM customer_tab_count")
        conn.execute(
            "INSERT INTO customer_tab_count (tab, customers) SELECT CASE WHEN deleted_at IS NULL THEN kind "
            "ELSE 'trash' END, count(*) FROM customer GROUP BY 1"
        )


def ensure_postgres(count: int, url: str | None = None) -> str:
    """The PostgreSQL benchmark database with exactly `count` customers at the latest migration; returns its URL.

    A million live in the database of PG_URL, other sizes in their own (`bench_10000000`).
    """
    url = url or (PG_URL if count == DEMO_COPIES_FROM else str(make_url(PG_URL).set(database=f"bench_{count}")))
    _create_database(url)
    engine = make_engine(url)
    try:
        migrate(engine)
        with engine.connect() as connection:
            have = connection.exec_driver_sql("SELECT count(*) FROM customer").scalar_one()
    finally:
        engine.dispose()
    if have == count:
        print(f"Reusing PostgreSQL {make_url(url).database} ({count:,} customers)")
        return url
    print(f"Loading {count:,} customers into PostgreSQL {make_url(url).database} by COPY (a few minutes)...")
    seconds = build_postgres(url, count)
    print(f"Loaded {count:,} customers in {seconds:.0f} s ({count / seconds:,.0f} rows/s), then VACUUM ANALYZE")
    return url


@contextmanager
def postgres_schema(prefix: str) -> Iterator[str]:
    """The URL of a new schema in the PostgreSQL benchmark database (then public, for pg_trgm); dropped afterwards."""
    _create_database(PG_URL)
    schema = f"{prefix}_{secrets.token_hex(4)}"
    admin = make_engine(PG_URL)
    with admin.begin() as connection:
        connection.execute(text(f"CREATE SCHEMA {schema}"))
        # Alembic finds its version table through the search path: without one here it would find public's and
        # take this empty schema for migrated.
        connection.execute(
            text(
                f"CREATE TABLE {schema}.alembic_version (version_num VARCHAR(32) NOT NULL, "
                f"CONSTRAINT alembic_version_pkc PRIMARY KEY (version_num))"
            )
        )
    url = make_url(PG_URL).update_query_dict({"options": f"-csearch_path={schema},public"})
    try:
        yield url.render_as_string(hide_password=False)
    finally:
        with admin.begin() as connection:
            connection.execute(text(f"DROP SCHEMA {schema} CASCADE"))
        admin.dispose()
