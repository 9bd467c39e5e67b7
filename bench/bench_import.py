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

    python bench/bench_import.py [--database sqlite|postgresql|both] [--million] [--rows 100000]
    python bench/bench_import.py --workers 0,1 [--repeat 2] [--formats csv,xlsx] [--reread]

`--workers` compares worker counts instead (IMPORT_WORKERS for the importing child): only the new-customer import,
no floors, each count run in turn `--repeat` times back to back, every figure also as a ratio to the first count's
in the same round (the machine is shared and noisy: the ratios of neighbouring runs are what hold). An import after a
preview whose outcomes still hold only writes them, checking nothing; `--reread` drops them, so the import reads and
checks every row again, as it does when someone saved a customer between the preview and the import.

The files are the same for both databases; on PostgreSQL each import runs into a schema of its own in the benchmark
database (bench/_bench_db.py PG_URL), dropped afterwards: "new" into a migrated empty schema, "unchanged" into one
holding the source's customers with their ids. `--database` defaults to SQLite alone.
"""

import argparse
import contextlib
import csv
import json
import resource
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import psutil  # noqa: E402
from _bench_db import postgres_schema  # noqa: E402
from python_calamine import CalamineWorkbook  # noqa: E402
from sqlalchemy import select  # noqa: E402
from sqlmodel import Session, SQLModel  # noqa: E402

from customer_app.core import bulk, collector, db, spreadsheet  # noqa: E402
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
from customer_app.transfer import columns, export, import_pool, import_reuse, import_uploads, imports  # noqa: E402
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


def migrated(url: str, rows: int = 0) -> None:
    """Bring the database at `url` to the latest migration, then add `rows` demo customers."""
    engine = make_engine(url)
    migrate(engine)
    if rows:
        with engine.begin() as connection:
            insert_demo(connection, rows, chunk=10_000)
    engine.dispose()


def cpu_seconds() -> float:
    """CPU seconds this process and its finished children (the import's workers, once shut down) have used."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


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


def child(url: str, file: str, match_on: str, reread: str = "") -> None:
    """One upload, preview and import in this (fresh) process; prints seconds and peak memory as JSON."""
    memory = TreeMemory()
    engine = make_engine(url)
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
        cpu = cpu_seconds()
        preview = timed(lambda: imports.preview_import(job.id, plan, actor=ACTOR, session=session))
        preview_cpu = cpu_seconds() - cpu
        session.commit()
        imports.start_import(job.id, actor=ACTOR, session=session)
        session.commit()
    if reread:
        import_reuse.discard(imports.outcomes_path(job))
    result = {}
    cpu = cpu_seconds()
    seconds = timed(lambda: result.setdefault("job", imports.run_import(job.id, actor=ACTOR, engine=engine)))
    import_cpu = cpu_seconds() - cpu
    done = result["job"]
    own, tree = memory.stop()
    print(
        json.dumps(
            {
                "seconds": seconds,
                "preview": preview,
                "preview_cpu": preview_cpu,
                "import_cpu": import_cpu,
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


def source_rows(source: Path) -> list[dict]:
    """The source database's customers as rows to insert, ids included, in id order."""
    engine = make_engine(f"sqlite:///{source}")
    with engine.connect() as connection:
        table = SQLModel.metadata.tables[Customer.__tablename__]
        rows = [dict(row._mapping) for row in connection.execute(select(table).order_by("id"))]
    engine.dispose()
    return rows


@contextlib.contextmanager
def target(database: str, tmp: Path, name: str, source: Path | None = None) -> Iterator[str]:
    """The URL of a migrated database to import into, empty or holding the source's customers; removed afterwards.

    SQLite: a file (a copy of the source's). PostgreSQL: a schema of its own, the source's rows copied in with their
    ids, then ANALYZE.
    """
    if database == "sqlite":
        path = tmp / f"{name}.db"
        if source is None:
            migrated(f"sqlite:///{path}")
        else:
            shutil.copy(source, path)
        try:
            yield f"sqlite:///{path}"
        finally:
            path.unlink()
        return
    with postgres_schema("bench_import") as url:
        migrated(url)
        if source is not None:
            engine = make_engine(url)
            rows = source_rows(source)
            with engine.begin() as connection:
                bulk.insert_many(connection, Customer, rows)
                connection.exec_driver_sql(
                    "SELECT setval(pg_get_serial_sequence('customer', 'id'), (SELECT max(id) FROM customer))"
                )
            with engine.begin() as connection:  # committed: statistics gathered in a rolled-back transaction vanish
                connection.exec_driver_sql("ANALYZE customer")
            engine.dispose()
        yield url


def insert_floor(source: Path, database: str, tmp: Path) -> float:
    """Seconds to insert the source's customers, already validated, into an empty table the way an import does (in
    bulk, its chunks, its page cache, the search index and tab counts kept): no checks, no audit, no undo records."""
    rows = source_rows(source)
    for row in rows:
        del row["id"]
    with target(database, tmp, "floor") as url:
        engine = make_engine(url)

        def insert_all() -> None:
            with (
                collector.fewer_collections(),
                engine.begin() as connection,
                db.bulk_cache(connection),
                search_index.inserted_in_bulk(connection) as indexed,
            ):
                for start in range(0, len(rows), imports.CHUNK):
                    indexed.extend(imports._inserted(connection, rows[start : start + imports.CHUNK]))

        seconds = timed(insert_all)
        engine.dispose()
    return seconds


def validate_floor(file: Path) -> float:
    """Seconds to read the file and validate every row as a new customer, without any database."""
    plan = Plan(["", *KEYS], "both", "email", "US")

    def work() -> None:
        with collector.fewer_collections():  # as an import collects garbage
            for line, cells in spreadsheet.read_table(file).rows:
                validate_customer(_prepare(line, cells, plan, {}, "US")[1], phone_region="US")

    return timed(work)


def run_child(
    url: str, file: Path, match_on: str, imports_dir: Path, workers: int | None = None, *, reread: bool = False
) -> dict:
    env = {"IMPORT_DIR": str(imports_dir), "PATH": "/usr/bin:/bin"}
    if workers is not None:
        env["IMPORT_WORKERS"] = str(workers)
    out = subprocess.run(
        [sys.executable, __file__, "child", url, str(file), match_on, "reread" if reread else ""],
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


def million(tmp: Path, database: str) -> None:
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
    with target(database, tmp, "million") as url:
        got = run_child(url, file, "email", tmp / "imports")
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


def measure(database: str, tmp: Path, source: Path, files: dict[str, Path], with_million: bool) -> None:
    """Print each file's baseline, floors and imports on one database."""
    for fmt, file in files.items():
        bare = min(timed(lambda f=file: bare_parse(f)) for _ in range(5))  # the least disturbed of five
        baseline = "calamine parse" if fmt == "xlsx" else "csv read"
        print(f"{fmt:4}  bare {baseline}: {bare:.2f} s ({Path(file).stat().st_size / 2**20:.1f} MB file)")
        validate = validate_floor(Path(file))
        print(f"      floor: read + validate every row, no database: {validate:.2f} s = {validate / bare:.1f}x")
        insert = insert_floor(source, database, tmp)
        print(f"      floor: insert the validated rows, nothing else: {insert:.2f} s = {insert / bare:.1f}x")
        floors = validate + insert
        print(f"      floors' sum (parse + validate + insert): {floors:.2f} s = {floors / bare:.1f}x")
        for label, match_on in (("new", "email"), ("unchanged", "id")):
            with target(database, tmp, f"target-{fmt}-{label}", None if label == "new" else source) as url:
                report(label, run_child(url, Path(file), match_on, tmp / "imports"), bare, floors)
    if with_million:
        million(tmp, database)


def compare_workers(
    database: str, tmp: Path, files: dict[str, Path], workers: list[int], repeat: int, *, reread: bool
) -> None:
    """Import each file's new customers with each worker count in turn, `repeat` rounds, back to back."""
    for fmt, file in files.items():
        bare = min(timed(lambda f=file: bare_parse(f)) for _ in range(5))
        how = "rows read again" if reread else "the preview's outcomes written"
        print(f"{fmt:4}  bare parse: {bare:.2f} s; new-customer import ({how}) with IMPORT_WORKERS = {workers}")
        for round_ in range(1, repeat + 1):
            first: dict[str, float] = {}
            for count in workers:
                with target(database, tmp, f"workers-{fmt}-{count}") as url:
                    got = run_child(url, Path(file), "email", tmp / "imports", count, reread=reread)
                times = {
                    "preview": got["preview"],
                    "import": got["seconds"],
                    "drop-to-done": got["store"] + got["preview"] + got["seconds"],
                }
                first = first or times
                shown = ", ".join(
                    f"{name} {seconds:5.2f} s = {seconds / bare:4.1f}x ({seconds / first[name]:.2f} of {workers[0]})"
                    for name, seconds in times.items()
                )
                print(
                    f"      round {round_} workers {count}: {shown}; CPU: preview {got['preview_cpu']:.2f} s, import "
                    f"{got['import_cpu']:.2f} s; created {got['created']:,}, errors {got['errors']}; "
                    f"peak {got['mb']:.0f} MB ({got['tree_mb']:.0f} MB with workers)"
                )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", choices=("sqlite", "postgresql", "both"), default="sqlite")
    parser.add_argument("--million", action="store_true", help="also import a 1,000,000-row CSV and print its memory")
    parser.add_argument("--rows", type=int, default=ROWS, help="customers in the exported files")
    parser.add_argument("--workers", help="compare these IMPORT_WORKERS counts (e.g. 0,1) on new-customer imports")
    parser.add_argument("--repeat", type=int, default=2, help="rounds of the --workers comparison")
    parser.add_argument("--formats", default="xlsx,csv", help="files to import (xlsx, csv or both)")
    parser.add_argument("--reread", action="store_true", help="--workers: the import reads and checks the rows again")
    args = parser.parse_args()
    formats = [fmt for fmt in ("xlsx", "csv") if fmt in args.formats.split(",")]
    rows = args.rows
    with tempfile.TemporaryDirectory() as folder:
        tmp = Path(folder)
        source = tmp / "source.db"
        print(f"Building {rows:,} demo customers: {timed(lambda: migrated(f'sqlite:///{source}', rows)):.1f} s")
        engine = make_engine(f"sqlite:///{source}")
        files = {}
        with Session(engine) as session:
            for fmt in formats:
                path, _count = export.write_export(export.ExportScope(), KEYS, fmt, actor=ACTOR, session=session)
                files[fmt] = Path(shutil.move(path, tmp / f"customers.{fmt}"))
        engine.dispose()
        for database in ("sqlite", "postgresql"):
            if args.database in (database, "both"):
                print(f"\n=== import into {'SQLite' if database == 'sqlite' else 'PostgreSQL'} ===")
                if args.workers:
                    counts = [int(n) for n in args.workers.split(",")]
                    compare_workers(database, tmp, files, counts, args.repeat, reread=args.reread)
                else:
                    measure(database, tmp, source, files, args.million)


if __name__ == "__main__":
    if sys.argv[1:2] == ["child"]:
        child(*sys.argv[2:6])
    else:
        main()
