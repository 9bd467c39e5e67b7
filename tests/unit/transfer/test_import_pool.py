"""Rows checked in worker processes classify exactly as rows checked in place, and the workers never outlive a run."""

import multiprocessing

import pytest

from customer_app.customers.custom_fields import FieldDefinition, add_field, defined_fields
from customer_app.transfer import import_pool, import_reuse, imports
from customer_app.transfer.import_rows import DUPLICATE, ERROR, NEW, UNCHANGED, UPDATE, Plan, Seen, classify
from customer_app.transfer.import_rows import field_snapshot as snapshot
from tests.unit.transfer.test_imports import csv_bytes, names, previewed


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
        for chunk, checked in import_pool.checked_chunks(iter(chunks), checker, session=session):
            ahead.append(checked is not None and any(checked.verdicts))
            pooled_outcomes += classify(chunk, plan, seen_there, session=session, checked=checked)
    assert all(ahead)  # the workers validated the new rows of every chunk
    assert pooled_outcomes == in_place
    assert [o.status for o in in_place] == [
        UPDATE, NEW, UPDATE, DUPLICATE, ERROR, ERROR, ERROR, ERROR, NEW, DUPLICATE
    ]  # fmt: skip
    assert seen_there == seen_here


def test_a_pooled_import_writes_what_its_preview_promised(session, engine, admin, add, pooled, monkeypatch):
    monkeypatch.setattr(imports, "CHUNK", 2)
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
    monkeypatch.setattr(imports, "CHUNK", 2)
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
    monkeypatch.setattr(imports, "CHUNK", 2)
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


@pytest.mark.parametrize(("cores", "workers"), [(1, 0), (2, 0), (3, 2), (8, 4)])
def test_only_a_machine_with_cores_to_spare_starts_workers_unless_told(monkeypatch, cores, workers):
    monkeypatch.delenv("IMPORT_WORKERS", raising=False)
    monkeypatch.setattr("os.cpu_count", lambda: cores)
    assert import_pool.workers() == workers
    monkeypatch.setenv("IMPORT_WORKERS", "1")
    assert import_pool.workers() == 1


def test_without_workers_a_big_import_checks_every_row_itself(session, monkeypatch):
    monkeypatch.setenv("IMPORT_WORKERS", "0")
    monkeypatch.setattr(import_pool, "START_AFTER", 0)
    checker = import_pool.Checker(Plan(["first_name", "email"]), [])
    rows = [(2, ["Ada", "ada@example.com"]), (3, ["Alan", "alan@example.com"])]
    assert checker.submit(rows, session=session) is None  # checked in place
    assert checker.pool is None
