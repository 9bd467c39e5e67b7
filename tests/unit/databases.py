"""Test databases: migrated SQLite files and throw-away PostgreSQL schemas, built with the app's own migrations."""

import os
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import psycopg
import pytest
from sqlalchemy import Engine, event, make_url, text
from sqlmodel import Session

from customer_app.core.db import make_engine
from customer_app.core.migrations import migrate

ROOT = Path(__file__).resolve().parents[2]
PG_URL = os.environ.get("TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")


def sqlite_engine_at(path: Path) -> Engine:
    """A migrated SQLite database in a file."""
    engine = make_engine(f"sqlite:///{path}")
    migrate(engine)
    return engine


def require_postgres() -> None:
    """Skip when PostgreSQL is unreachable, or fail when REQUIRE_SERVICES=1 says it must be there."""
    conninfo = make_url(PG_URL).set(drivername="postgresql").render_as_string(hide_password=False)
    try:
        psycopg.connect(conninfo, connect_timeout=3).close()
    except psycopg.OperationalError as exc:
        message = f"PostgreSQL is not reachable at {PG_URL}: {exc}"
        if os.environ.get("REQUIRE_SERVICES") == "1":
            pytest.fail(message)
        pytest.skip(message)


@contextmanager
def postgres_schema(*, migrated: bool = True) -> Iterator[Engine]:
    """An engine whose search path is a brand-new schema (then public, for pg_trgm); dropped afterwards."""
    require_postgres()
    schema = f"t_{secrets.token_hex(6)}"
    admin = make_engine(PG_URL)
    with admin.begin() as connection:
        connection.execute(text(f"CREATE SCHEMA {schema}"))
        # Alembic finds its version table through the search path: an alembic_version left in public by other
        # work would make it believe this empty schema is already migrated.
        connection.execute(
            text(
                f"CREATE TABLE {schema}.alembic_version (version_num VARCHAR(32) NOT NULL, "
                f"CONSTRAINT alembic_version_pkc PRIMARY KEY (version_num))"
            )
        )
    # Test data is thrown away: commits need not wait for the disk.
    options = f"-csearch_path={schema},public -csynchronous_commit=off"
    url = make_url(PG_URL).update_query_dict({"options": options})
    engine = make_engine(url.render_as_string(hide_password=False))
    try:
        if migrated:
            migrate(engine)
        yield engine
    finally:
        engine.dispose()
        with admin.begin() as connection:
            connection.execute(text(f"DROP SCHEMA {schema} CASCADE"))
        admin.dispose()


def statements_sent(session: Session, work) -> list[tuple[str, object]]:
    """The statements `work` sends through the session's connection, with their parameters."""
    sent: list[tuple[str, object]] = []

    def keep(_conn, _cursor, statement, parameters, _context, _many) -> None:
        sent.append((statement, parameters))

    engine = session.get_bind()
    event.listen(engine, "before_cursor_execute", keep)
    try:
        work()
    finally:
        event.remove(engine, "before_cursor_execute", keep)
    return sent
