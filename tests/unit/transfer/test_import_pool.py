"""Rows checked in worker processes classify exactly as rows checked in place, and the workers never outlive a run."""

import multiprocessing
from concurrent.futures import Future

import pytest
from sqlalchemy import DateTime, Engine
from sqlmodel import Session, SQLModel

from customer_app.core.columns import UTCDateTime
from customer_app.core.permissions import Actor, Role
from customer_app.customers.custom_fields import FieldDefinition, add_field, defined_fields
from customer_app.customers.customers import create_customer
from customer_app.customers.validation import validate_customer
from customer_app.transfer import import_pool, import_reuse, imports
from customer_app.transfer.import_rows import DUPLICATE, ERROR, NEW, UNCHANGED, UPDATE, Plan, Seen, classify
from customer_app.transfer.import_rows import field_snapshot as snapshot
from tests.unit.databases import sqlite_engine_at
from tests.unit.transfer.test_imports import csv_bytes, in_chunks_of, names, previewed, upload


@pytest.fixture(autouse=True)
def private_folders(tmp_path, monkeypatch):
    monkeypatch.setenv("IMPORT_DIR", str(tmp_path / "imports"))
    monkeypatch.setenv("EXPORT_DIR", str(tmp_path / "exports"))


@pytest.fixture
def pooled(monkeypatch):
    """Every chunk goes to two workers, however small the file and whatever the machine's cores."""
    monkeypatch.setattr(import_pool, "START_AFTER", 0)
    monkeypatch.setenv("IMPORT_WORKERS", "2")


def mixed_rows(seats_id: int, tier_id: int) -> tuple[list[str], list[tuple[int, list]]]:
    """New, changed, unchanged, duplicate and bad rows, with custom field values good and bad."""
    mapping = ["first_name", "last_name", "email", "phone", "kind", "name", f"custom_{seats_id}", f"custom_{tier_id}"]
    cells = [
        ["Ada", "Lovelace", "ada@example.com", "+44 20 7946 0958", "", "", "", "Gold"],  # unchanged but for the tier
        ["Grace", "Hopper", "grace@example.com", "", "", "", "", "Silver"],  # new
        ["Alan", "Mathison", "alan@example.com", "", "", "", "", ""],  # changes the last name
        ["Ada", "Again", "ADA@example.com", "", "", "", "", ""],  # same e-mail as line 2
        ["Bad", "Phone", "bad@example.com", "12", "", "", "", ""],  # not a phone number
        ["", "", "org@example.com", "", "Institution", "Acme", "12", "Bronze"],  # not a tier
        ["Kate", "Johnson", "not-an-email", "", "", "", "", ""],  # a bad match key
        ["Ann", "Seats", "ann@example.com", "", "", "", "3", ""],  # seats are for institutions only
        ["", "", "", "", "Institution", "Initech", "40", "Gold"],  # new, without a key
        ["Alan", "Turing", "alan@example.com", "", "", "", "", ""],  # same e-mail as line 4
    ]
    return mapping, [(line, row) for line, row in enumerate(cells, start=2)]


def test_rows_checked_by_the_workers_classify_as_rows_checked_in_place(session, admin, add, pooled):
    seats = add_field(FieldDefinition("Seats", "number", "institution"), actor=admin, session=session)
    tier = add_field(FieldDefinition("Tier", "choice", options="Gold\nSilver"), actor=admin, session=session)
    session.commit()
    add(first_name="Ada", last_name="Lovelace", email="ada@example.com", phone="+44 20 7946 0958")
    add(first_name="Alan", last_name="Turing", email="alan@example.com")
    mapping, rows = mixed_rows(seats.id, tier.id)
    plan = Plan(mapping)
    seen_here, seen_there = Seen(), Seen()
    in_place = [o for start in (0, 4, 8) for o in classify(rows[start : start + 4], plan, seen_here, session=session)]
    chunks = [rows[start : start + 4] for start in (0, 4, 8)]
    with import_pool.Checker(plan, snapshot(defined_fields(session=session))) as checker:
        pooled_outcomes, ahead = [], []
        for chunk, checked in checker.checked(iter(chunks), session=session):
            ahead.append(checked is not None and any(checked.verdicts))
            pooled_outcomes += classify(chunk, plan, seen_there, session=session, checked=checked)
    assert all(ahead)  # the workers validated the new rows of every chunk
    assert pooled_outcomes == in_place
    assert [o.status for o in in_place] == [
        UPDATE, NEW, UPDATE, DUPLICATE, ERROR, ERROR, ERROR, ERROR, NEW, DUPLICATE
    ]  # fmt: skip
    assert seen_there == seen_here


class BusyWorker(Future):
    """A chunk sent to a worker that stays at it until its result is asked for."""

    def __init__(self, work, done: list) -> None:
        super().__init__()
        self.work, self.finished = work, done

    def result(self, timeout=None):
        if not self.done():
            self.set_result(self.work())
            self.finished.append(self)
        return super().result(timeout)


class SlowPool:
    """A pool of one slow worker: whatever it is given is not done until the importing process needs it."""

    def __init__(self) -> None:
        self.sent, self.finished = [], []

    def submit(self, fn, *args):
        self.sent.append(BusyWorker(lambda: fn(*args), self.finished))
        return self.sent[-1]

    def shutdown(self, **_kwargs) -> None:
        pass


def test_while_the_worker_is_busy_the_importing_process_checks_later_chunks_itself(session, add, monkeypatch):
    monkeypatch.setattr(import_pool, "START_AFTER", 0)
    monkeypatch.setenv("IMPORT_WORKERS", "1")
    add(first_name="Ada", last_name="Lovelace", email="ada@example.com")
    plan = Plan(["first_name", "last_name", "email", "phone"])
    rows = [
        (line, [f"P{line}", "Person", f"p{line}@example.com", "12" if line % 5 == 0 else ""]) for line in range(2, 42)
    ]
    rows[7] = (9, ["Ada", "Lovelace", "ada@example.com", ""])
    chunks = [rows[start : start + 4] for start in range(0, len(rows), 4)]
    in_place = [o for chunk in chunks for o in classify(chunk, plan, Seen(), session=session)]
    seen, outcomes, checked_here = Seen(), [], 0
    with import_pool.Checker(plan, []) as checker:
        checker.pool = slow = SlowPool()  # pyright: ignore[reportAttributeAccessIssue]
        for chunk, checked in checker.checked(iter(chunks), session=session):
            future = next((f for f in slow.sent if f.done() and f.result() is checked), None)
            checked_here += checked is not None and future is None
            outcomes += classify(chunk, plan, seen, session=session, checked=checked)
    assert outcomes == in_place
    assert len(slow.sent) >= 2  # the worker was given chunks
    assert checked_here >= 3  # and while it was at them, the importing process checked later ones itself
    assert len(slow.sent) + checked_here == len(chunks)  # each chunk checked once


def test_a_pooled_import_writes_what_its_preview_promised(session, engine, admin, add, pooled, monkeypatch):
    in_chunks_of(monkeypatch, 2)
    add(first_name="Ada", last_name="Lovelace", email="ada@example.com")
    rows = [(f"P{n}", "Person", f"p{n}@example.com", "") for n in range(7)]
    rows += [("Ada", "Lovelace", "ada@example.com", ""), ("P1", "Again", "p1@example.com", ""), ("X", "", "x@", "")]
    job, preview = previewed(session, admin, csv_bytes(rows))
    counts = preview.counts
    assert (counts[NEW], counts[UNCHANGED], counts[DUPLICATE], counts[ERROR]) == (7, 1, 1, 1)
    imports.start_import(job.id, actor=admin, session=session)
    session.commit()
    import_reuse.discard(imports.outcomes_path(job))  # no shortcut: every chunk is read and checked again
    done = imports.run_import(job.id, actor=admin, engine=engine)
    assert (done.status, done.created_count, done.unchanged_count, done.error_count) == ("done", 7, 1, 2)
    session.expire_all()
    assert len(names(session)) == 8
    assert multiprocessing.active_children() == []


def test_the_workers_stop_when_an_import_is_cancelled(session, engine, admin, pooled, monkeypatch):
    in_chunks_of(monkeypatch, 2)
    job, _ = previewed(session, admin, csv_bytes([(f"P{n}", "Person", f"p{n}@example.com", "") for n in range(12)]))
    imports.start_import(job.id, actor=admin, session=session)
    session.commit()
    import_reuse.discard(imports.outcomes_path(job))
    working = []

    def cancel_after_first_chunk(progress_job):
        working.append(len(multiprocessing.active_children()))
        with type(session)(engine) as other:
            imports.cancel_import(job.id, actor=admin, session=other)
            other.commit()

    done = imports.run_import(job.id, actor=admin, engine=engine, progress=cancel_after_first_chunk)
    assert done.status == "cancelled"
    assert working[0] > 0  # the workers were running when the run was told to stop
    assert multiprocessing.active_children() == []


def test_the_workers_stop_when_an_import_fails(session, engine, admin, pooled, monkeypatch):
    in_chunks_of(monkeypatch, 2)
    job, _ = previewed(session, admin, csv_bytes([(f"P{n}", "Person", f"p{n}@example.com", "") for n in range(12)]))
    imports.start_import(job.id, actor=admin, session=session)
    session.commit()
    import_reuse.discard(imports.outcomes_path(job))
    working = []

    def disk_full(_job):
        working.append(len(multiprocessing.active_children()))
        raise OSError("No space left on device")

    with pytest.raises(OSError, match="No space"):
        imports.run_import(job.id, actor=admin, engine=engine, progress=disk_full)
    assert working[0] > 0
    assert multiprocessing.active_children() == []


@pytest.mark.parametrize(("cores", "workers"), [(1, 0), (2, 1), (3, 2), (8, 4)])
def test_a_worker_for_each_core_beyond_the_first_up_to_four_unless_told(monkeypatch, cores, workers):
    monkeypatch.delenv("IMPORT_WORKERS", raising=False)
    monkeypatch.setattr("os.cpu_count", lambda: cores)
    assert import_pool.workers() == workers
    monkeypatch.setenv("IMPORT_WORKERS", "1")
    assert import_pool.workers() == 1


def test_without_workers_a_big_import_checks_every_row_itself(session, monkeypatch):
    monkeypatch.setenv("IMPORT_WORKERS", "0")
    monkeypatch.setattr(import_pool, "START_AFTER", 0)
    chunks = [[(2, ["Ada", "ada@example.com"])], [(3, ["Alan", "alan@example.com"])]]
    with import_pool.Checker(Plan(["first_name", "email"]), []) as checker:
        checks = [checked for _rows, checked in checker.checked(iter(chunks), session=session)]
        assert checks == [None, None]  # checked in place
        assert checker.pool is None


PERSON = ["first_name", "last_name", "email", "phone"]
BY_FILE = Actor(id=1, email="ada@example.com", name="Ada Admin", role=Role.ADMIN)
NOT_WRITTEN_BY_AN_IMPORT = {"staff_user", "staff_session", "alembic_version"}


def written(engine: Engine) -> dict[str, list]:
    """Every row of every table an import writes, but for the moments it was written at."""
    with engine.connect() as connection:
        return {
            table.name: sorted(connection.execute(table.select().with_only_columns(*kept)).all(), key=repr)
            for table in SQLModel.metadata.sorted_tables
            if table.name not in NOT_WRITTEN_BY_AN_IMPORT
            and (kept := [column for column in table.c if not _is_moment(column)])
        }


def _is_moment(column) -> bool:
    return isinstance(column.type, (DateTime, UTCDateTime))


def imported_with(workers: str, path, monkeypatch, data: bytes, mapping: list[str], *, reread: bool) -> tuple:
    """Import `data` into a new database at `path` with that many workers (reading the rows again rather than writing
    the preview's outcomes when `reread`): the preview's counts and rows, the job's counts, the tables."""
    monkeypatch.setenv("IMPORT_WORKERS", workers)
    engine = sqlite_engine_at(path)
    with Session(engine, expire_on_commit=False) as session:
        tier = FieldDefinition("Tier", "choice", options="Gold\nSilver")
        add_field(tier, actor=BY_FILE, session=session)
        for raw in (
            {"first_name": "Ada", "last_name": "Lovelace", "email": "ada@example.com"},
            {"first_name": "Alan", "last_name": "Turing", "email": "alan@example.com", "phone": "+1 202-555-0143"},
        ):
            create_customer(validate_customer(raw, phone_region="US"), actor=BY_FILE, session=session)
        session.commit()
        job = upload(session, BY_FILE, data)
        preview = imports.preview_import(job.id, Plan(mapping), actor=BY_FILE, session=session)
        session.commit()
        imports.start_import(job.id, actor=BY_FILE, session=session)
        session.commit()
    if reread:
        import_reuse.discard(imports.outcomes_path(job))
    done = imports.run_import(job.id, actor=BY_FILE, engine=engine)
    shown = [(o.line, o.status, o.display_name, o.message) for o in preview.rows]
    counts = (done.status, done.created_count, done.updated_count, done.unchanged_count, done.error_count)
    tables = written(engine)
    engine.dispose()
    return preview.counts, shown, counts, tables


@pytest.mark.parametrize("reread", [False, True], ids=["preview's outcomes written", "rows read again"])
def test_an_import_with_a_worker_writes_exactly_what_one_without_writes(tmp_path, monkeypatch, reread):
    monkeypatch.setattr(import_pool, "START_AFTER", 0)
    in_chunks_of(monkeypatch, 3)
    headers = ["First name", "Last name", "E-mail", "Tel", "Tier", "Other e-mail", "Note", "Tags", "Kind", "Name"]
    mapping = [*PERSON, "custom_1", "other_email", "note", "tags", "kind", "name"]
    rows = [
        (f"P{n}", "Person", f"p{n}@example.com", "", "Gold", f"o{n}@example.org", "Met at a fair", "vip", "", "")
        for n in range(9)
    ]
    rows += [
        ("Ada", "Lovelace", "ada@example.com", "", "Silver", "", "", "", "", ""),  # updates a custom field
        ("Alan", "Turing", "alan@example.com", "+1 202-555-0143", "", "", "", "", "", ""),  # unchanged
        (
            "Grace",
            "Hopper",
            "GRACE@example.com",
            "+1 202-555-0199",
            "",
            "grace@example.com",
            "Admiral",
            "navy, vip",
            "",
            "",
        ),
        ("Grace", "Again", "grace@example.com", "", "", "", "", "", "", ""),  # same e-mail as an earlier line
        ("Bad", "Phone", "bad@example.com", "12", "", "", "", "", "", ""),  # not a phone number
        ("Kate", "Tier", "kate@example.com", "", "Bronze", "", "", "", "", ""),  # not a tier
        ("", "", "", "", "", "", "", "", "Institution", "Initech"),  # new, without an e-mail: matched by name
        ("", "", "", "", "", "", "", "", "", ""),  # nothing to import
        ("Mary", "Shelley", "mary@", "", "", "", "", "", "", ""),  # a bad e-mail
    ]
    data = csv_bytes(rows, headers)
    without = imported_with("0", tmp_path / "without.db", monkeypatch, data, mapping, reread=reread)
    checked_by_a_worker = imported_with("1", tmp_path / "with.db", monkeypatch, data, mapping, reread=reread)
    assert checked_by_a_worker == without
    counts, shown, done, tables = without
    assert (17, NEW, "Initech", "") in shown
    assert (counts[NEW], counts[UPDATE], counts[UNCHANGED], counts[DUPLICATE], counts[ERROR]) == (11, 1, 1, 1, 3)
    assert done == ("done", 11, 1, 1, 4)
    assert len(tables["customer"]) == 13
    assert multiprocessing.active_children() == []
