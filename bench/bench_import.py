"""Import of 100,000 rows (xlsx and CSV) through the service, against a bare parse of the same file.

Targets (issue: fast on both cores, flat in memory), each a ratio to the bare python-calamine parse of the xlsx or
the bare csv-module read of the CSV, measured in the same run:
  preview <= 3x; new-customer import <= 8x; drop-to-done (store the upload + preview + import) <= 11x;
  re-import of unchanged rows <= 3x; and, with --million, peak memory <= 400 MB importing a 1,000,000-row CSV.
The files are exports of 100,000 demo customers (12 columns). Two imports are timed for each file:
  new        into an empty database: every row is validated in full and inserted (with its audit and undo rows);
  unchanged  back into the database it came from, matched on the customer ID: every row is compared, none written.
Each import runs in a fresh child process whose resident memory is sampled, alone and with its worker processes
(and workbook reader). The floors show where the time goes (parse, validate every row without a database, insert the
already-validated rows with nothing else); their sum is what one core doing each step once would take.
"""

import contextlib
import csv
import json
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import psutil  # noqa: E402
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
from customer_app.transfer import columns, export, import_pool, import_uploads, imports  # noqa: E402
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
TARGETS = {"preview": 3.0, "new": 8.0, "drop-to-done": 11.0, "unchanged": 3.0}
TARGET_MB = 400
MILLION = 1_000_000


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


class TreeMemory:
    """Samples the resident memory of this process, and of it with all its children (workers, workbook reader).

    Sampled rather than read from getrusage: a child's ru_maxrss starts at its forking parent's size (Linux keeps
    the high-water mark across exec), so this process would report the bench's own memory.
    """

    def __init__(self) -> None:
        self.own, self.tree, self._stop = 0, 0, threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()

    def _sample(self) -> None:
        me = psutil.Process()
        while not self._stop.wait(0.02):
            own = me.memory_info().rss
            total = own
            for process in me.children(recursive=True):
                with contextlib.suppress(psutil.Error):
                    total += process.memory_info().rss
            self.own, self.tree = max(self.own, own), max(self.tree, total)

    def stop(self) -> tuple[float, float]:
        self._stop.set()
        self._thread.join()
        return self.own / 2**20, self.tree / 2**20


def child(db: str, file: str, match_on: str) -> None:
    """One upload, preview and import in this (fresh) process; prints seconds and peak memory as JSON."""
    memory = TreeMemory()
    engine = make_engine(f"sqlite:///{db}")
    with Session(engine, expire_on_commit=False) as session:
        started = time.perf_counter()
        with Path(file).open("rb") as handle:
            chunks = iter(lambda: handle.read(1 << 20), b"")
            job = import_uploads.store_upload(chunks, Path(file).name, actor=ACTOR, session=session)
        session.commit()
        store = time.perf_counter() - started
        with imports._job_rows(job) as stream:  # the header only, as the mapping step shows it
            headers = stream.headers
        mapping = [
            {"Customer ID": "id"}.get(h, next(k for k in columns.COLUMNS if columns.COLUMNS[k].header == h))
            for h in headers
        ]
        if match_on != "id":
            mapping[0] = ""
        plan = Plan(mapping, "both", match_on, "US")
        preview = timed(lambda: imports.preview_import(job.id, plan, actor=ACTOR, session=session))
        session.commit()
        imports.start_import(job.id, actor=ACTOR, session=session)
        session.commit()
    result = {}
    seconds = timed(lambda: result.setdefault("job", imports.run_import(job.id, actor=ACTOR, engine=engine)))
    done = result["job"]
    own, tree = memory.stop()
    print(
        json.dumps(
            {
                "seconds": seconds,
                "preview": preview,
                "store": store,
                "mb": own,
                "tree_mb": tree,
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


def verdict(ratio: float, target: float) -> str:
    return f"target <= {target:g}x: {'meets' if ratio <= target else 'MISSES'}"


def report(label: str, got: dict, bare: float, floors: float) -> None:
    """Print one import's figures, each as a ratio to the bare parse, with the floors' sum beside them."""
    count = got["created"] if label == "new" else got["unchanged"]
    total = got["store"] + got["preview"] + got["seconds"]
    print(
        f"      {label:9} ({count:,} rows {label}, {got['errors']} errors); floors' sum {floors / bare:.1f}x; "
        f"peak {got['mb']:.0f} MB (with its worker processes {got['tree_mb']:.0f} MB)"
    )
    for name, seconds, target in (
        ("preview", got["preview"], TARGETS["preview"]),
        ("import", got["seconds"], TARGETS[label]),
        ("drop-to-done", total, TARGETS["drop-to-done"]),
    ):
        print(f"        {name:13} {seconds:6.2f} s = {seconds / bare:5.1f}x  ({verdict(seconds / bare, target)})")


def million(tmp: Path) -> None:
    """Import a 1,000,000-row CSV of new customers and print its peak memory against the target."""
    file = tmp / "million.csv"
    with file.open("w", newline="", encoding="utf-8") as handle:
        out = csv.writer(handle)
        keys = ("kind", "first_name", "last_name", "email", "phone", "company_name", "position")
        out.writerow([columns.COLUMNS[key].header for key in keys])
        for n in range(MILLION):
            phone = f"+4420794{n % 100000:05d}"
            out.writerow(["Individual", f"Ada{n}", f"L{n % 997}", f"ada{n}@example.com", phone, f"C{n % 9}", "CTO"])
    bare = min(timed(lambda: bare_parse(file)) for _ in range(5))
    print(f"csv 1M  bare csv read: {bare:.2f} s ({file.stat().st_size / 2**20:.0f} MB file)")
    db = tmp / "million.db"
    migrated(db)
    got = run_child(db, file, "email", tmp / "imports")
    total = got["store"] + got["preview"] + got["seconds"]
    mb = got["tree_mb"]
    print(
        f"      new: {got['created']:,} created, {got['errors']} errors; preview {got['preview']:.1f} s = "
        f"{got['preview'] / bare:.1f}x, import {got['seconds']:.1f} s = {got['seconds'] / bare:.1f}x, "
        f"drop-to-done {total:.1f} s = {total / bare:.1f}x"
    )
    verdict_mb = "meets" if mb <= TARGET_MB else "MISSES"
    print(
        f"      peak memory: importing process {got['mb']:.0f} MB; with its {import_pool.workers()} worker processes "
        f"{got['tree_mb']:.0f} MB (target <= {TARGET_MB} MB for the whole: {verdict_mb})"
    )


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
            bare = min(timed(lambda f=file: bare_parse(f)) for _ in range(5))  # the least disturbed of five
            baseline = "calamine parse" if fmt == "xlsx" else "csv read"
            print(f"{fmt:4}  bare {baseline}: {bare:.2f} s ({Path(file).stat().st_size / 2**20:.1f} MB file)")
            validate = validate_floor(Path(file))
            print(f"      floor: read + validate every row, no database: {validate:.2f} s = {validate / bare:.1f}x")
            insert = insert_floor(source, tmp)
            print(f"      floor: insert the validated rows, nothing else: {insert:.2f} s = {insert / bare:.1f}x")
            floors = validate + insert
            print(f"      floors' sum (parse + validate + insert): {floors:.2f} s = {floors / bare:.1f}x")
            for label, match_on in (("new", "email"), ("unchanged", "id")):
                db = tmp / f"target-{fmt}-{label}.db"
                if label == "new":
                    migrated(db)
                else:
                    shutil.copy(source, db)
                report(label, run_child(db, Path(file), match_on, tmp / "imports"), bare, floors)
        if "--million" in sys.argv:
            million(tmp)


if __name__ == "__main__":
    if sys.argv[1:2] == ["child"]:
        child(*sys.argv[2:5])
    else:
        main()
