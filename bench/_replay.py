"""Timing service calls against the very SQL statements they send, replayed through the bare driver (sqlite3 or
psycopg)."""

from __future__ import annotations

import sqlite3
import statistics
import time
from collections.abc import Callable
from typing import Any

import psycopg
from sqlalchemy import Engine, event
from sqlmodel import Session


def record(engine: Engine, work: Callable[[Session], object]) -> list[tuple[str, Any]]:
    """The statements `work` sends, with their parameters (also warms the caches)."""
    sent: list[tuple[str, object]] = []

    def keep(_conn, _cursor, statement, parameters, _context, _many):
        sent.append((statement, parameters))

    event.listen(engine, "before_cursor_execute", keep)
    try:
        with Session(engine) as session:
            work(session)
    finally:
        event.remove(engine, "before_cursor_execute", keep)
    return sent


def bare_connection(engine: Engine) -> Any:
    """A connection of the bare driver to the engine's database: sqlite3 read-only, or psycopg."""
    if engine.dialect.name == "sqlite":
        return sqlite3.connect(f"file:{engine.url.database}?mode=ro", uri=True)
    return psycopg.connect(engine.url.set(drivername="postgresql").render_as_string(hide_password=False))


def replay(conn: Any, statements: list[tuple[str, Any]]) -> None:
    """Send the recorded statements again and fetch their rows, in one transaction like the session's.

    SQLAlchemy's psycopg dialect records pyformat `%(name)s` parameters, which psycopg takes as they are.
    """
    cursor = conn.cursor()
    try:
        for statement, parameters in statements:
            cursor.execute(statement, parameters)
            if cursor.description:
                cursor.fetchall()
    finally:
        cursor.close()
        conn.rollback()


def compare(engine: Engine, cases: list[Callable[[Session], object]]) -> tuple[float, float, float]:
    """Median seconds of each case through the services and of its statements replayed bare (alternating), and the
    median number of statements per case."""
    recorded = [record(engine, work) for work in cases]
    engine.dispose()  # fresh connections: nothing the recording run remembered (tab counts) helps the timed one
    bare = bare_connection(engine)
    ours, base = [], []
    try:
        for work, statements in zip(cases, recorded, strict=True):
            started = time.perf_counter()
            with Session(engine) as session:
                work(session)
            ours.append(time.perf_counter() - started)
            started = time.perf_counter()
            replay(bare, statements)
            base.append(time.perf_counter() - started)
    finally:
        bare.close()
    return statistics.median(ours), statistics.median(base), statistics.median(len(s) for s in recorded)
