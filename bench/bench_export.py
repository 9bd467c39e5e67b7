"""Export of 100,000 customers through the service, against bare writes of the same rows with the same library.

Targets (issue 4): xlsx <= 1.3x a bare openpyxl write-only save of the same rows; CSV <= 2x a bare csv.writer.
Both sides read the rows from the same SQLite file: the service a chunk at a time through SQLAlchemy, the bare
baseline in one sqlite3 fetchall (no ORM, no checks), then write them with the same library.
"""

import csv
import sqlite3
import sys
import tempfile
import time
from datetime import date, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

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


def build(path: Path) -> None:
    """A migrated SQLite database with ROWS demo customers."""
    engine = make_engine(f"sqlite:///{path}")
    migrate(engine)
    with engine.begin() as connection:
        insert_demo(connection, ROWS, chunk=10_000)
    engine.dispose()


# The same Python types as the service's rows (dates and times, not their text), so both write the same cells.
sqlite3.register_converter("DATE", lambda raw: date.fromisoformat(raw.decode()))
sqlite3.register_converter("DATETIME", lambda raw: datetime.fromisoformat(raw.decode()))


def bare_rows(path: Path) -> list[tuple]:
    """The same cells, fetched in one go with sqlite3 (what a bare write starts from)."""
    kind = "CASE kind WHEN 'individual' THEN 'Individual' ELSE 'Institution' END"
    names = ", ".join(kind if c.key == "kind" else c.key for c in COLUMNS)
    with sqlite3.connect(path, detect_types=sqlite3.PARSE_DECLTYPES) as conn:
        return conn.execute(f"SELECT {names} FROM customer WHERE deleted_at IS NULL ORDER BY id").fetchall()


def timed(work) -> float:
    started = time.perf_counter()
    work()
    return time.perf_counter() - started


def service(path: Path, out: Path, fmt: str) -> float:
    engine = make_engine(f"sqlite:///{path}")
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
    with tempfile.TemporaryDirectory() as tmp:
        db, out = Path(tmp) / "export.db", Path(tmp)
        print(f"Building {ROWS:,} demo customers: {timed(lambda: build(db)):.1f} s")
        for fmt, bare, target, runs in (("csv", bare_csv, 2.0, 5), ("xlsx", bare_xlsx, 1.3, 3)):
            ours, base = [], []
            for _ in range(runs):
                ours.append(service(db, out / f"service.{fmt}", fmt))
                base.append(timed(lambda b=bare, f=fmt: b(bare_rows(db), out / f"bare.{f}")))
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
