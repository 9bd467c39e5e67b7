"""Import of 100,000 rows (xlsx and CSV) through the service, against a bare parse of the same file.

Targets (issue 4): an import (parse, validate, classify, commit to SQLite) <= 2x the bare python-calamine parse of
the same xlsx, or <= 2x a bare csv-module read of the same CSV; peak memory <= 500 MB.
The files are exports of 100,000 demo customers (12 columns). Two imports are timed for each file:
  new        into an empty database: every row is validated in full and inserted (with its audit and undo rows);
  unchanged  back into the database it came from, matched on the customer ID: every row is compared, none written.
Each import runs in a fresh child process so its peak memory (max RSS) is its own. Two floors show where the time
goes: validating every row without a database, and inserting the already-validated rows with nothing else.
"""

import csv
import json
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from python_calamine import CalamineWorkbook  # noqa: E402
from sqlalchemy import insert, select  # noqa: E402
from sqlmodel import Session, SQLModel, col  # noqa: E402

from customer_app.core import spreadsheet  # noqa: E402
from customer_app.core.db import make_engine  # noqa: E402
from customer_app.core.migrations import migrate  # noqa: E402
from customer_app.core.permissions import (  # noqa: E402
    Actor,
    Role,
)
from customer_app.customers import search_index  # noqa: E402
from customer_app.customers.demo_data import insert_demo  # noqa: E402
from customer_app.customers.models import Customer  # noqa: E402
from customer_app.customers.validation import validate_customer  # noqa: E402
from customer_app.transfer import columns, export, import_uploads, imports  # noqa: E402
from customer_app.transfer.import_rows import Plan, _prepare  # noqa: E402

ROWS = 100_000
ACTOR = Actor(id=0, email="bench@example.com", name="Bench", role=Role.ADMIN)
KEYS = (
    "kind",
    "first_name",
    "last_name",
    "name",
    "email",
    "phone",
    "company_name",
    "position",
    "date_of_birth",
    "gender",
    "ownership_type",
)
TARGET_RATIO, TARGET_MB = 2.0, 500


def migrated(path: Path, rows: int = 0) -> None:
    engine = make_engine(f"sqlite:///{path}")
    migrate(engine)
    if rows:
        with engine.begin() as connection:
            insert_demo(connection, rows, chunk=10_000)
    engine.dispose()


def timed(work) -> float:
    started = time.perf_counter()
    work()
    return time.perf_counter() - started


def bare_parse(path: Path) -> None:
    if path.suffix == ".csv":
        with path.open(newline="", encoding="utf-8-sig") as handle:
            list(csv.reader(handle))
    else:
        CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0).to_python()


def child(db: str, file: str, match_on: str) -> None:
    """One import in this (fresh) process; prints seconds and peak memory as JSON."""
    engine = make_engine(f"sqlite:///{db}")
    with Session(engine, expire_on_commit=False) as session:
        job = import_uploads.store_upload([Path(file).read_bytes()], Path(file).name, actor=ACTOR, session=session)
        session.commit()
        headers = imports.read_job_table(job).headers
        mapping = [
            {"Customer ID": "id"}.get(h, next(k for k in columns.COLUMNS if columns.COLUMNS[k].header == h))
            for h in headers
        ]
        if match_on != "id":
            mapping[0] = ""
        plan = Plan(mapping, "both", match_on, "US")
        preview = timed(lambda: imports.preview_import(job.id, plan, actor=ACTOR, session=session))
        imports.start_import(job.id, actor=ACTOR, session=session)
        session.commit()
    result = {}
    seconds = timed(lambda: result.setdefault("job", imports.run_import(job.id, actor=ACTOR, engine=engine)))
    done = result["job"]
    print(
        json.dumps(
            {
                "seconds": seconds,
                "preview": preview,
                # Workbooks are parsed in a child process: the peak is the larger of the two.
                "mb": max(resource.getrusage(who).ru_maxrss for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN))
                / 1024,
                "created": done.created_count,
                "unchanged": done.unchanged_count,
                "errors": done.error_count,
                "status": done.status,
            }
        )
    )


def insert_floor(source: Path, tmp: Path) -> float:
    """Seconds to insert the source's customers, already validated, into an empty table: no checks, no audit."""
    target = tmp / "floor.db"
    migrated(target)
    engine = make_engine(f"sqlite:///{source}")
    with engine.connect() as connection:
        rows = [
            dict(row._mapping)
            for row in connection.execute(select(SQLModel.metadata.tables[Customer.__tablename__]).order_by("id"))
        ]
    for row in rows:
        del row["id"]
    engine.dispose()
    engine = make_engine(f"sqlite:///{target}")

    def insert_all() -> None:
        with engine.begin() as connection, search_index.indexed_in_bulk(connection) as indexed:
            for start in range(0, len(rows), imports.CHUNK):
                made = connection.execute(
                    insert(Customer).returning(col(Customer.id)), rows[start : start + imports.CHUNK]
                )
                indexed.extend(made.scalars())

    seconds = timed(insert_all)
    engine.dispose()
    target.unlink()
    return seconds


def validate_floor(file: Path) -> float:
    """Seconds to read the file and validate every row as a new customer, without any database."""
    plan = Plan(["", *KEYS], "both", "email", "US")

    def work() -> None:
        for line, cells in spreadsheet.read_table(file).rows:
            validate_customer(_prepare(line, cells, plan, {}, "US")[1], phone_region="US")

    return timed(work)


def run_child(db: Path, file: Path, match_on: str, imports_dir: Path) -> dict:
    env = {"IMPORT_DIR": str(imports_dir), "PATH": "/usr/bin:/bin"}
    out = subprocess.run(
        [sys.executable, __file__, "child", str(db), str(file), match_on],
        check=True,
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        tmp = Path(folder)
        source = tmp / "source.db"
        print(f"Building {ROWS:,} demo customers: {timed(lambda: migrated(source, ROWS)):.1f} s")
        engine = make_engine(f"sqlite:///{source}")
        files = {}
        with Session(engine) as session:
            for fmt in ("xlsx", "csv"):
                path, _count = export.write_export(export.ExportScope(), KEYS, fmt, actor=ACTOR, session=session)
                files[fmt] = shutil.move(path, tmp / f"customers.{fmt}")
        engine.dispose()
        for fmt, file in files.items():
            bare = sorted(timed(lambda f=file: bare_parse(f)) for _ in range(3))[1]
            baseline = "calamine parse" if fmt == "xlsx" else "csv read"
            print(f"{fmt:4}  bare {baseline}: {bare:.2f} s ({Path(file).stat().st_size / 2**20:.1f} MB file)")
            floor = validate_floor(Path(file))
            print(f"      floor: read + validate every row, no database: {floor:.2f} s = {floor / bare:.1f}x")
            floor = insert_floor(source, tmp)
            ratio = floor / bare
            print(f"      floor: insert the validated rows, nothing else: {floor:.2f} s = {ratio:.1f}x")
            for label, match_on in (("new", "email"), ("unchanged", "id")):
                db = tmp / f"target-{fmt}-{label}.db"
                if label == "new":
                    migrated(db)
                else:
                    shutil.copy(source, db)
                got = run_child(db, Path(file), match_on, tmp / "imports")
                ratio = got["seconds"] / bare
                verdict = "meets" if ratio <= TARGET_RATIO and got["mb"] <= TARGET_MB else "MISSES"
                count = got["created"] if label == "new" else got["unchanged"]
                print(
                    f"      import {label:9} {got['seconds']:6.2f} s  ratio {ratio:5.2f}x  peak {got['mb']:.0f} MB  "
                    f"({count:,} rows {label}, {got['errors']} errors; preview {got['preview']:.2f} s)  "
                    f"(target <= {TARGET_RATIO}x and <= {TARGET_MB} MB: {verdict})"
                )


if __name__ == "__main__":
    if sys.argv[1:2] == ["child"]:
        child(*sys.argv[2:5])
    else:
        main()
