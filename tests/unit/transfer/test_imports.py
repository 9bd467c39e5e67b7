"""Import jobs end to end in the service layer: private upload, preview, commit with progress, cancel, undo."""

import csv
import io
import json

import pytest
from openpyxl import load_workbook
from sqlmodel import col, func, select

from customer_app.access import auth
from customer_app.core.models import AuditEvent
from customer_app.customers import customers, search_index
from customer_app.customers.models import Customer
from customer_app.customers.queries import ListQuery, list_customers
from customer_app.customers.validation import validate_customer
from customer_app.errors import ImportFileError, PermissionDenied, ValidationError
from customer_app.transfer import (
    columns,
    export,
    import_files,
    import_reuse,
    import_rows,
    import_undo,
    import_uploads,
    imports,
)
from customer_app.transfer.import_mapping import auto_map
from customer_app.transfer.import_rows import Plan
from customer_app.transfer.models import ImportChange, ImportJob
from tests.unit.accounts import ADDRESS, READER

HEADERS = ["First name", "Last name", "E-mail", "Tel"]


@pytest.fixture(autouse=True)
def private_folders(tmp_path, monkeypatch):
    monkeypatch.setenv("IMPORT_DIR", str(tmp_path / "imports"))
    monkeypatch.setenv("EXPORT_DIR", str(tmp_path / "exports"))
    return tmp_path


def csv_bytes(rows, headers=HEADERS) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(headers)
    writer.writerows(rows)
    return out.getvalue().encode()


def upload(session, actor, data: bytes, name="people.csv"):
    job = import_uploads.store_upload([data], name, actor=actor, session=session)
    session.commit()
    return job


def in_chunks_of(monkeypatch, rows: int) -> None:
    """Rows checked, and a preview's outcomes written, `rows` at a time: a few rows make several chunks."""
    monkeypatch.setattr(imports, "CHUNK", rows)
    monkeypatch.setattr(imports, "WRITE_ROWS", rows)


def previewed(session, actor, data: bytes, name="people.csv", **plan):
    job = upload(session, actor, data, name)
    table = imports.read_job_table(job)
    mapping = plan.pop("mapping", None) or auto_map(table.headers)
    preview = imports.preview_import(job.id, Plan(mapping, **plan), actor=actor, session=session)
    session.commit()
    return job, preview


def commit(session, engine, actor, job):
    imports.start_import(job.id, actor=actor, session=session)
    session.commit()
    seen = []
    done = imports.run_import(job.id, actor=actor, engine=engine, progress=lambda j: seen.append(j.done_rows))
    session.expire_all()
    return done, seen


def names(session):
    return sorted(c.display_name for c in session.exec(select(Customer).where(col(Customer.deleted_at).is_(None))))


def test_uploads_are_kept_privately_and_refused_when_too_big_or_of_the_wrong_type(session, admin, private_folders):
    job = upload(session, admin, csv_bytes([("Ada", "Lovelace", "ada@example.com", "")]))
    assert imports.upload_path(job).parent == private_folders / "imports"
    assert imports.upload_path(job).read_bytes().startswith(b"First name")
    with pytest.raises(ImportFileError, match=r"Choose an \.xlsx"):
        upload(session, admin, b"MZ\x90\x00", "setup.exe")
    with pytest.raises(ImportFileError, match="larger than 200 MB"):
        import_uploads.store_upload(iter(lambda: b"x" * (1 << 20), b""), "huge.csv", actor=admin, session=session)
    assert sorted(p.name for p in (private_folders / "imports").iterdir()) == [job.stored_as]


def test_only_admins_import(session, staff):
    with pytest.raises(PermissionDenied):
        upload(session, staff, csv_bytes([]))


def test_preview_counts_every_row_writes_nothing_and_reports_the_rows_to_fix(session, admin, add):
    add(first_name="Alan", last_name="Turing", email="alan@example.com")
    data = csv_bytes(
        [
            ("Grace", "Hopper", "grace@example.com", "+1 415 555 0101"),
            ("Alan", "Mathison", "alan@example.com", ""),
            ("Bad", "Phone", "bad@example.com", "12"),
            ("Grace", "Twice", "grace@example.com", ""),
        ]
    )
    job, preview = previewed(session, admin, data)
    assert preview.total == 4
    assert {k: v for k, v in preview.counts.items() if v} == {"new": 1, "update": 1, "error": 1, "duplicate": 1}
    assert names(session) == ["Alan Turing"]
    report = load_workbook(imports.report_path(job), read_only=True)
    rows = list(report.active.iter_rows(values_only=True))
    assert rows[0] == (*HEADERS, "Error")
    assert [r[:2] for r in rows[1:]] == [("Bad", "Phone"), ("Grace", "Twice")]
    assert "Phone" in str(rows[1][-1])
    assert "line 2" in str(rows[2][-1])


def test_commit_writes_in_chunks_with_progress_and_deletes_the_file(session, engine, admin, add, monkeypatch):
    add(first_name="Alan", last_name="Turing", email="alan@example.com")
    in_chunks_of(monkeypatch, 2)
    rows = [(f"P{n}", "Person", f"p{n}@example.com", "") for n in range(5)]
    job, _ = previewed(session, admin, csv_bytes([*rows, ("Alan", "Mathison", "alan@example.com", "")]))
    uploaded = imports.upload_path(job)
    done, seen = commit(session, engine, admin, job)
    assert (done.status, done.created_count, done.updated_count) == ("done", 5, 1)
    assert seen == [2, 4, 6]
    assert "Alan Mathison" in names(session)
    assert len(names(session)) == 6
    assert not uploaded.exists()
    assert done.stored_as == ""


def test_reimporting_the_same_file_creates_no_duplicates(session, engine, admin):
    data = csv_bytes([("Ada", "Lovelace", "ada@example.com", "+1 415 555 0100")])
    job, _ = previewed(session, admin, data)
    commit(session, engine, admin, job)
    again, preview = previewed(session, admin, data)
    assert preview.counts["unchanged"] == 1
    assert preview.counts["new"] == 0
    done, _ = commit(session, engine, admin, again)
    assert (done.created_count, done.unchanged_count) == (0, 1)
    assert names(session) == ["Ada Lovelace"]


def test_a_checked_preview_is_written_in_larger_transactions_than_rows_checked_again(
    session, engine, admin, monkeypatch
):
    monkeypatch.setattr(imports, "CHUNK", 2)
    monkeypatch.setattr(imports, "WRITE_ROWS", 4)
    rows = [(f"P{n}", "Person", f"p{n}@example.com", "") for n in range(6)]
    job, _ = previewed(session, admin, csv_bytes(rows))
    done, seen = commit(session, engine, admin, job)
    assert (done.created_count, seen) == (6, [4, 6])  # only written: four rows a transaction
    again, _ = previewed(session, admin, csv_bytes([(f"Q{n}", "Person", f"q{n}@example.com", "") for n in range(6)]))
    imports.start_import(again.id, actor=admin, session=session)
    session.commit()
    import_reuse.discard(imports.outcomes_path(again))  # as when a customer was saved since the preview
    seen = []
    done = imports.run_import(again.id, actor=admin, engine=engine, progress=lambda j: seen.append(j.done_rows))
    assert (done.created_count, seen) == (6, [2, 4, 6])  # checked and written two rows a transaction
    assert len(names(session)) == 12


def test_a_large_import_on_postgresql_leaves_the_planner_knowing_how_many_customers_there_are(
    session, engine, admin, backend, monkeypatch
):
    if backend != "postgresql":
        pytest.skip("SQLite plans its customer reads by hand")
    monkeypatch.setattr(imports, "ANALYZE_AFTER", 5)
    estimate = "SELECT reltuples::bigint FROM pg_class WHERE oid = 'customer'::regclass"
    session.connection().exec_driver_sql("ANALYZE customer")
    session.commit()
    before = session.connection().exec_driver_sql(estimate).scalar_one()
    job, _ = previewed(session, admin, csv_bytes([(f"P{n}", "Person", f"p{n}@example.com", "") for n in range(6)]))
    done, _ = commit(session, engine, admin, job)
    assert done.created_count == 6
    stored = session.exec(select(func.count()).select_from(Customer)).one()
    assert session.connection().exec_driver_sql(estimate).scalar_one() == stored == before + 6


def test_cancel_stops_between_chunks_and_what_was_imported_can_be_undone(session, engine, admin, monkeypatch):
    in_chunks_of(monkeypatch, 2)
    job, _ = previewed(session, admin, csv_bytes([(f"P{n}", "Person", f"p{n}@example.com", "") for n in range(6)]))

    def cancel_after_first_chunk(progress_job):
        if progress_job.done_rows == 2:
            with type(session)(engine) as other:
                imports.cancel_import(job.id, actor=admin, session=other)
                other.commit()

    imports.start_import(job.id, actor=admin, session=session)
    session.commit()
    done = imports.run_import(job.id, actor=admin, engine=engine, progress=cancel_after_first_chunk)
    assert done.status == "cancelled"
    assert "2 of 6" in done.message
    session.expire_all()
    assert len(names(session)) == 2
    import_undo.undo_import(job.id, actor=admin, session=session)
    session.commit()
    assert names(session) == []


def test_undo_reverts_creates_and_updates_and_leaves_later_changes_alone(session, engine, admin, add):
    alan = add(first_name="Alan", last_name="Turing", email="alan@example.com", position="Mathematician")
    data = csv_bytes(
        [
            ("Grace", "Hopper", "grace@example.com", ""),
            ("Ada", "Lovelace", "ada@example.com", ""),
            ("Alan", "Mathison", "alan@example.com", ""),
        ]
    )
    job, _ = previewed(session, admin, data)
    commit(session, engine, admin, job)
    # Someone edits Grace after the import.
    grace = session.exec(select(Customer).where(Customer.email == "grace@example.com")).one()
    raw = {"first_name": "Grace", "last_name": "Brewster Hopper", "email": "grace@example.com"}
    customers.update_customer(
        grace.id, validate_customer(raw, phone_region="US"), actor=admin, session=session, expected_version=1
    )
    session.commit()
    conflicts = import_undo.undo_conflicts(job.id, actor=admin, session=session)
    assert [c.name for c in conflicts] == ["Grace Brewster Hopper"]
    result = import_undo.undo_import(job.id, actor=admin, session=session)
    session.commit()
    assert (result.removed, result.restored, result.left_alone) == (1, 1, 1)
    assert names(session) == ["Alan Turing", "Grace Brewster Hopper"]
    assert session.get(Customer, alan.id).position == "Mathematician"
    assert session.get(ImportJob, job.id).status == "undone"
    with pytest.raises(ValidationError, match="once"):
        import_undo.undo_import(job.id, actor=admin, session=session)


def test_undo_can_overwrite_later_changes_when_asked(session, engine, admin, add):
    alan = add(first_name="Alan", last_name="Turing", email="alan@example.com")
    job, _ = previewed(session, admin, csv_bytes([("Alan", "Mathison", "alan@example.com", "")]))
    commit(session, engine, admin, job)
    raw = {"first_name": "Alan", "last_name": "Someone", "email": "alan@example.com"}
    customers.update_customer(
        alan.id, validate_customer(raw, phone_region="US"), actor=admin, session=session, expected_version=2
    )
    session.commit()
    changes = session.exec(select(ImportChange).where(ImportChange.job_id == job.id)).all()
    assert [json.loads(c.before) for c in changes] == [{"last_name": "Turing"}]
    import_undo.undo_import(job.id, actor=admin, session=session, overwrite=True)
    session.commit()
    session.expire_all()
    assert session.get(Customer, alan.id).last_name == "Turing"


def test_the_sample_workbook_imports_cleanly(session, engine, admin):
    job, preview = previewed(session, admin, import_files.sample_xlsx(), "customers-sample.xlsx")
    assert preview.counts["new"] == 2
    assert preview.counts["error"] == 0
    done, _ = commit(session, engine, admin, job)
    assert done.created_count == 2
    kinds = sorted(c.kind for c in session.exec(select(Customer)))
    assert kinds == ["individual", "institution"]


def test_an_export_reimports_with_zero_changes(session, engine, admin, add, private_folders):
    add(first_name="Ada", last_name="Lovelace", email="ada@example.com", phone="+1 415 555 0100", gender="Female")
    add(first_name="=cmd", last_name="-Minus", position="+Plus", date_of_birth="1990-04-23", footnotes="Line 1\nLine 2")
    add(kind="institution", name="Acme", vat_number="DE136695976", website="acme.example", ownership_type="Non-profit")
    session.commit()
    for file_format in ("xlsx", "csv"):
        path, count = export.write_export(
            export.ExportScope(), columns.DEFAULT_COLUMNS, file_format, actor=admin, session=session
        )
        assert count == 3
        _, preview = previewed(session, admin, path.read_bytes(), f"export.{file_format}", match_on="id")
        assert preview.counts["unchanged"] == 3, (file_format, preview.rows)
        assert sum(preview.counts.values()) == 3


def exported_and_edited(session, admin) -> bytes:
    """A CSV export of three customers, then: one cell edited, the first row repeated, a row naming no customer."""
    path, _count = export.write_export(
        export.ExportScope(), columns.DEFAULT_COLUMNS, "csv", actor=admin, session=session
    )
    lines = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig"))))
    header, rows = lines[0], lines[1:]
    rows[1][header.index("Position")] = "Chief Engineer"
    rows += [list(rows[0]), ["999999", *rows[2][1:]]]
    out = io.StringIO()
    csv.writer(out).writerows([header, *rows])
    return out.getvalue().encode()


@pytest.fixture
def three_customers(session, add):
    add(first_name="Ada", last_name="Lovelace", email="ada@example.com", phone="+1 415 555 0100", gender="Female")
    add(first_name="=cmd", last_name="-Minus", position="+Plus", date_of_birth="1990-04-23", footnotes="Line 1\nLine 2")
    add(kind="institution", name="Acme", vat_number="DE136695976", website="acme.example", ownership_type="Non-profit")
    session.commit()


def test_rows_as_an_export_wrote_them_are_unchanged_without_their_cells_being_read(
    session, admin, three_customers, monkeypatch
):
    read = []
    prepare = import_rows._prepare
    monkeypatch.setattr(import_rows, "_prepare", lambda line, *args: read.append(line) or prepare(line, *args))
    _, preview = previewed(session, admin, exported_and_edited(session, admin), "export.csv", match_on="id")
    counts = {status: count for status, count in preview.counts.items() if count}
    assert counts == {"unchanged": 2, "update": 1, "duplicate": 1, "error": 1}
    assert read == [3, 6]  # the edited row and the one naming nobody; the repeat is known by its ID alone


@pytest.mark.parametrize("mode", ["both", "create", "update"])
def test_rows_as_an_export_wrote_them_get_what_reading_every_cell_gives(session, admin, three_customers, mode):
    data = exported_and_edited(session, admin)
    _, quick = previewed(session, admin, data, "export.csv", match_on="id", mode=mode)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(import_rows, "_as_exported", lambda *_args: {})
        _, read = previewed(session, admin, data, "export.csv", match_on="id", mode=mode)
    assert quick.counts == read.counts
    assert [(o.line, o.status, o.messages) for o in quick.rows] == [(o.line, o.status, o.messages) for o in read.rows]


def test_an_upload_nobody_imports_within_a_day_is_deleted(session, admin):
    old = upload(session, admin, csv_bytes([("Ada", "Lovelace", "ada@example.com", "")]))
    old_file = imports.upload_path(old)
    old.created_at -= imports.ABANDONED_AFTER
    session.add(old)
    session.commit()
    upload(session, admin, csv_bytes([("Alan", "Turing", "alan@example.com", "")]))
    session.commit()
    assert not old_file.exists()
    assert session.get(ImportJob, old.id).status == "cancelled"


def test_the_import_and_its_undo_are_in_the_audit_trail(session, engine, admin):
    job, _ = previewed(session, admin, csv_bytes([("Ada", "Lovelace", "ada@example.com", "")]), "people.csv")
    commit(session, engine, admin, job)
    import_undo.undo_import(job.id, actor=admin, session=session)
    session.commit()
    events = session.exec(
        select(AuditEvent).where(AuditEvent.entity_type == "import").order_by(col(AuditEvent.id))
    ).all()
    assert [(e.action, e.summary) for e in events] == [
        ("import", "Imported people.csv: 1 created"),
        ("undo_import", "Undid the import of people.csv: 1 moved to Trash, 0 restored"),
    ]
    created = session.exec(select(AuditEvent).where(AuditEvent.action == "create")).one()
    assert created.summary == f"Created Ada Lovelace (import #{job.id})"


def test_imported_customers_are_found_by_search_at_once(session, engine, admin, backend):
    job, _ = previewed(session, admin, csv_bytes([("Grace", "Hopper", "grace@example.com", "+1 415 555 0101")]))
    commit(session, engine, admin, job)
    for term in ("hopp", "grace@", "415555"):
        found = list_customers(ListQuery("individual", term, "name", "asc", 1, 25), actor=READER, session=session)
        assert [c.display_name for c in found] == ["Grace Hopper"], term
    if backend == "sqlite":  # the insert trigger is back for everyone else's saves
        trigger = session.connection().exec_driver_sql(search_index.INSERT_TRIGGER).scalar_one_or_none()
        assert trigger is not None


def test_only_admins_read_an_import_job(session, admin, staff, reader):
    job = upload(session, admin, csv_bytes([("Ada", "Lovelace", "ada@example.com", "")]))
    assert imports.get_job(job.id, actor=admin, session=session).file_name == "people.csv"
    for caller in (staff, reader, None):
        with pytest.raises(PermissionDenied):
            imports.get_job(job.id, actor=caller, session=session)


def test_only_admins_learn_which_import_is_running(session, admin, staff, reader):
    job, _ = previewed(session, admin, csv_bytes([("Ada", "Lovelace", "ada@example.com", "")]))
    imports.start_import(job.id, actor=admin, session=session)
    session.commit()
    assert imports.running_job(actor=admin, session=session).id == job.id
    for caller in (staff, reader, None):
        with pytest.raises(PermissionDenied):
            imports.running_job(actor=caller, session=session)


def test_only_admins_read_the_import_history(session, engine, admin, staff, reader):
    job, _preview = previewed(session, admin, csv_bytes([("Ada", "Lovelace", "ada@example.com", "")]))
    commit(session, engine, admin, job)
    assert imports.import_history(actor=admin, session=session) == ([session.get(ImportJob, job.id)], 1)
    for caller in (staff, reader, None):
        with pytest.raises(PermissionDenied):
            imports.import_history(actor=caller, session=session)


def test_the_history_lists_only_imports_that_were_started(session, engine, admin, make_user):
    other = auth.actor_of(make_user("admin", email="grace@example.com", name="Grace Admin"), ADDRESS)
    imported, _preview = previewed(session, admin, csv_bytes([("Ada", "Lovelace", "ada@example.com", "")]))
    commit(session, engine, admin, imported)
    previewed(session, other, csv_bytes([("Alan", "Turing", "alan@example.com", "")]))  # looked at, never started
    refused = upload(session, other, csv_bytes([("Bad", "File", "bad@example.com", "")]), "other.csv")
    import_uploads.fail_upload(refused.id, "Only one column was found.", actor=other, session=session)
    session.commit()
    jobs, total = imports.import_history(actor=admin, session=session)
    assert ([job.id for job in jobs], total) == ([imported.id], 1)


def test_a_newer_upload_deletes_the_earlier_one_the_same_admin_never_started(session, admin, make_user):
    other = auth.actor_of(make_user("admin", email="grace@example.com", name="Grace Admin"), ADDRESS)
    first = upload(session, admin, csv_bytes([("Ada", "Lovelace", "ada@example.com", "")]))
    first_file = imports.upload_path(first)
    theirs = upload(session, other, csv_bytes([("Alan", "Turing", "alan@example.com", "")]))
    second = upload(session, admin, csv_bytes([("Grace", "Hopper", "grace@example.com", "")]))
    session.expire_all()
    assert not first_file.exists()
    replaced = session.get(ImportJob, first.id)
    assert (replaced.status, replaced.message) == ("cancelled", "Replaced by a newer upload; the file was deleted.")
    assert imports.upload_path(session.get(ImportJob, theirs.id)).exists()  # another admin's upload stays
    assert imports.upload_path(session.get(ImportJob, second.id)).exists()
