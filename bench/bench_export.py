"""Export of 100,000 customers through the service, against bare writes of the same rows with the same library.

Targets (issue 4): xlsx <= 1.3x a bare openpyxl write-only save of the same rows; CSV <= 2x a bare csv.writer.
Both sides read the rows from the same database: the service a chunk at a time through SQLAlchemy, the bare
baseline in one fetchall of the driver (sqlite3 or psycopg; no ORM, no checks), then write them with the same library.

    python bench/bench_export.py [--database sqlite|postgresql]

On PostgreSQL the customers live in a schema of their own in the benchmark database (bench/_bench_db.py PG_URL),
dropped at the end.
"""

import argparse
import csv
import sqlite3
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path
from typing import LiteralString, cast

import psycopg
from sqlalchemy import make_url

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from _bench_db import postgres_schema  # noqa: E402
from openpyxl import Workbook  # noqa: E402
from sqlmodel import Session  # noqa: E402

from customer_app.core.db import make_engine  # noqa: E402
from customer_app.core.migrations import migrate  # noqa: E402
from customer_app.core.permissions import (  # noqa: E402
    Actor,
    Role,
)
from customer_app.customers.demo_data import insert_demo  # noqa: E402
from customer_app.transfer import columns, export  # noqa: E402

ROWS = 100_000
ACTOR = Actor(id=0, email="bench@example.com", name="Bench", role=Role.ADMIN)
COLUMNS = columns.checked_columns(columns.DEFAULT_COLUMNS)


def build(url: str) -> None:
    """A migrated database at `url` with ROWS demo customers."""
    engine = make_engine(url)
    migrate(engine)
    with engine.begin() as connection:
        insert_demo(connection, ROWS, chunk=10_000)
    engine.dispose()


# The same Python types as the service's rows (dates and times, not their text), so both write the same cells.
sqlite3.register_converter("DATE", lambda raw: date.fromisoformat(raw.decode()))
sqlite3.register_converter("DATETIME", lambda raw: datetime.fromisoformat(raw.decode()))


def bare_rows(url: str) -> list[tuple]:
    """The same cells, fetched in one go with the bare driver (what a bare write starts from)."""
    kind = "CASE kind WHEN 'individual' THEN 'Individual' ELSE 'Institution' END"
    names = ", ".join(kind if c.key == "kind" else c.key for c in COLUMNS)
    sql = f"SELECT {names} FROM customer WHERE deleted_at IS NULL ORDER BY id"
    if url.startswith("sqlite"):
        with sqlite3.connect(make_url(url).database or "", detect_types=sqlite3.PARSE_DECLTYPES) as conn:
            return conn.execute(sql).fetchall()
    conninfo = make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(conninfo) as conn:
        # Spreadsheets take no time zone: the times as the service writes them, in UTC.
        rows = conn.execute(cast("LiteralString", sql)).fetchall()  # column names from the allow-listed catalogue
        return [tuple(_naive(value) for value in row) for row in rows]


def _naive(value: object) -> object:
    return value.astimezone(UTC).replace(tzinfo=None) if isinstance(value, datetime) and value.tzinfo else value


def timed(work) -> float:
    started = time.perf_counter()
    work()
    return time.perf_counter() - started


def service(url: str, out: Path, fmt: str) -> float:
    engine = make_engine(url)
    with Session(engine) as session:

        def run() -> None:
            rows = export.export_rows(export.ExportScope(), COLUMNS, actor=ACTOR, session=session, for_csv=fmt == "csv")
            export.WRITERS[fmt](out, COLUMNS, rows)

        seconds = timed(run)
    engine.dispose()
    return seconds


def bare_xlsx(rows: list[tuple], out: Path) -> None:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Customers")
    sheet.append([c.header for c in COLUMNS])
    for row in rows:
        sheet.append(row)
    workbook.save(out)


def bare_csv(rows: list[tuple], out: Path) -> None:
    with out.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow([c.header for c in COLUMNS])
        writer.writerows(rows)


def main() -> None:
    """Build the data, then time each format both ways, alternating, and print medians and ratios."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", choices=("sqlite", "postgresql"), default="sqlite")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)
        if args.database == "postgresql":
            with postgres_schema("bench_export") as url:
                measure(url, out)
        else:
            measure(f"sqlite:///{out / 'export.db'}", out)


def measure(url: str, out: Path) -> None:
    """Time each format, service and bare alternating, on the database at `url`."""
    print(f"Building {ROWS:,} demo customers ({make_url(url).get_backend_name()}): {timed(lambda: build(url)):.1f} s")
    formats: tuple[tuple[str, Callable[[list[tuple], Path], None], float, int], ...] = (
        ("csv", bare_csv, 2.0, 5),
        ("xlsx", bare_xlsx, 1.3, 3),
    )
    for fmt, bare, target, runs in formats:
        ours, base = [], []
        for _ in range(runs):
            ours.append(service(url, out / f"service.{fmt}", fmt))
            base.append(timed(lambda b=bare, f=fmt: b(bare_rows(url), out / f"bare.{f}")))
        ours.sort()
        base.sort()
        ratio = ours[len(ours) // 2] / base[len(base) // 2]
        verdict = "meets" if ratio <= target else "MISSES"
        print(
            f"{fmt:4}  service {ours[len(ours) // 2]:.2f} s  bare {base[len(base) // 2]:.2f} s  "
            f"ratio {ratio:.2f}x  (target <= {target}x: {verdict})  median of {runs}"
        )


if __name__ == "__main__":
    main()
