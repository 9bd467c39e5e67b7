"""The one place where a database engine and sessions are made."""

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import cache

from sqlalchemy import Connection, Engine, event
from sqlalchemy.orm import Session as OrmSession
from sqlmodel import Session, create_engine

from customer_app.settings import settings


def make_engine(url: str) -> Engine:
    """Create an engine with the connection settings this app relies on."""
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30})
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    return create_engine(url, pool_pre_ping=True)


WAL_PAGES = 10_000  # pages (of 4 KiB) the write-ahead log may hold before they are copied into the database


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    # WAL lets readers work while an import or a save writes.
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    # Copy the log into the database every 40 MB rather than 4 MB: an import rewrites the same index pages chunk
    # after chunk, and copying them less often cut a 100,000-row import by a seventh. A save rarely reaches it.
    cursor.execute(f"PRAGMA wal_autocheckpoint={WAL_PAGES}")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


BULK_CACHE_KIB = 65_536  # SQLite's page cache for a bulk write (its default: 2 MiB a connection)


@contextmanager
def bulk_cache(connection: Connection) -> Iterator[None]:
    """On SQLite, the connection keeps up to BULK_CACHE_KIB of pages in the block, put back to what it was after.

    A bulk write touches pages all over each index; with the default cache SQLite spills them to the log mid-transaction
    and reads them back (a 100,000-row import: 8 % of its time). Put back, as the connection returns to the pool and
    serves pages again. Other databases: nothing.
    """
    if connection.dialect.name != "sqlite":
        yield
        return
    before = int(connection.exec_driver_sql("PRAGMA cache_size").scalar_one())
    connection.exec_driver_sql(f"PRAGMA cache_size=-{BULK_CACHE_KIB}")
    try:
        yield
    finally:
        connection.exec_driver_sql(f"PRAGMA cache_size={before}")


@cache
def engine() -> Engine:
    """The application's engine, created on first use."""
    return make_engine(settings.database_url)


@contextmanager
def session_scope() -> Iterator[Session]:
    """A session that commits on success and rolls back on error."""
    with Session(engine(), expire_on_commit=False) as session:
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise


READ_ONLY = "customer_app.read_only"  # in a session's info: it never writes (what it reads may be remembered)


@contextmanager
def read_scope() -> Iterator[Session]:
    """A session whose reads all see the database as it was at the first of them, whatever commits meanwhile: a
    page's rows and its counts then agree (each statement would otherwise see the writes committed before it)."""
    with Session(engine(), expire_on_commit=False) as session:
        session.info[READ_ONLY] = True
        if session.get_bind().dialect.name == "sqlite":
            # The driver opens no transaction for reads: each would be a snapshot of its own.
            session.connection().exec_driver_sql("BEGIN")
        else:
            session.connection(execution_options={"isolation_level": "REPEATABLE READ"})
        try:
            yield session
        finally:
            # It wrote nothing. Its objects are let go first, loaded as they are: a rollback would mark each one
            # expired, which cost a list read half as much as loading them did (a profile of live refreshes).
            session.expunge_all()
            session.rollback()


def after_commit(session: Session, action: Callable[[], None]) -> None:
    """Run `action` once the session's transaction commits, and never if it rolls back.

    For what the database cannot undo: a file removed before a failed commit would leave its row pointing nowhere.
    """
    session.info.setdefault(_AFTER_COMMIT, []).append(action)


_AFTER_COMMIT = "customer_app.after_commit"


@event.listens_for(OrmSession, "after_commit")
def _run_after_commit(session: OrmSession) -> None:
    for action in session.info.pop(_AFTER_COMMIT, []):
        action()


@event.listens_for(OrmSession, "after_rollback")
def _forget_after_rollback(session: OrmSession) -> None:
    session.info.pop(_AFTER_COMMIT, None)
