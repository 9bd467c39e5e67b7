"""Timing service calls against the very SQL statements they send, replayed through bare sqlite3."""

from __future__ import annotations

import sqlite3
import statistics
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

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


def compare(engine: Engine, path: Path, cases: list[Callable[[Session], object]]) -> tuple[float, float, float]:
    """Median seconds of each case through the services and of its statements replayed bare (alternating), and the
    median number of statements per case."""
    recorded = [record(engine, work) for work in cases]
    engine.dispose()  # fresh connections: nothing the recording run remembered (tab counts) helps the timed one
    bare = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    ours, base = [], []
    try:
        for work, statements in zip(cases, recorded, strict=True):
            started = time.perf_counter()
            with Session(engine) as session:
                work(session)
            ours.append(time.perf_counter() - started)
            started = time.perf_counter()
            for statement, parameters in statements:
                bare.execute(statement, parameters).fetchall()
            base.append(time.perf_counter() - started)
    finally:
        bare.close()
    return statistics.median(ours), statistics.median(base), statistics.median(len(s) for s in recorded)
