"""The import writes what its preview classified when nothing changed since, and checks the file again otherwise."""

import pytest
from sqlalchemy import update
from sqlmodel import select

from customer_app.customers import customers
from customer_app.customers.models import Customer
from customer_app.customers.validation import validate_customer
from customer_app.transfer import imports
from customer_app.transfer.import_rows import UPDATE
from tests.unit.transfer.test_imports import csv_bytes, in_chunks_of, names, previewed


@pytest.fixture(autouse=True)
def private_folders(tmp_path, monkeypatch):
    monkeypatch.setenv("IMPORT_DIR", str(tmp_path / "imports"))
    monkeypatch.setenv("EXPORT_DIR", str(tmp_path / "exports"))


def run(session, engine, admin, job):
    imports.start_import(job.id, actor=admin, session=session)
    session.commit()
    done = imports.run_import(job.id, actor=admin, engine=engine)
    session.expire_all()
    return done


ROWS = [("Grace", "Hopper", "grace@example.com", ""), ("Alan", "Mathison", "alan@example.com", "")]


def test_an_import_right_after_its_preview_writes_the_previewed_rows_without_reading_the_file(
    session, engine, admin, add, classified
):
    add(first_name="Alan", last_name="Turing", email="alan@example.com")
    job, _ = previewed(session, admin, csv_bytes(ROWS))
    assert imports.outcomes_path(job).exists()
    classified.clear()
    done = run(session, engine, admin, job)
    assert (done.status, done.created_count, done.updated_count) == ("done", 1, 1)
    assert classified == []  # nothing classified again
    assert names(session) == ["Alan Mathison", "Grace Hopper"]
    assert not imports.outcomes_path(job).exists()  # customer data: gone with the upload


def test_a_customer_edited_between_preview_and_import_is_classified_again_and_keeps_the_edit(
    session, engine, admin, add, classified
):
    alan = add(first_name="Alan", last_name="Turing", email="alan@example.com")
    job, preview = previewed(session, admin, csv_bytes(ROWS))
    assert [o.status for o in preview.rows] == ["new", UPDATE]
    raw = {"first_name": "Alan", "last_name": "Turing", "email": "alan@example.com", "position": "Codebreaker"}
    customers.update_customer(
        alan.id, validate_customer(raw, phone_region="US"), actor=admin, session=session, expected_version=1
    )
    session.commit()
    classified.clear()
    done = run(session, engine, admin, job)
    assert classified == [2]  # the rows were read and checked again
    assert (done.created_count, done.updated_count) == (1, 1)
    alan = session.get(Customer, alan.id)
    assert (alan.last_name, alan.position) == ("Mathison", "Codebreaker")  # the row's change and the edit, both


def test_a_customer_changed_unnoticed_since_the_preview_is_still_protected_by_its_version(
    session, engine, admin, add, classified
):
    alan = add(first_name="Alan", last_name="Turing", email="alan@example.com")
    job, _ = previewed(session, admin, csv_bytes(ROWS))
    # A write that leaves no trace the preview's check could see (no audit, same update time): only the version moves.
    session.execute(update(Customer).where(Customer.id == alan.id).values(version=Customer.version + 1, position="Spy"))
    session.commit()
    classified.clear()
    done = run(session, engine, admin, job)
    assert classified == []  # the preview's outcomes were used...
    assert (done.created_count, done.updated_count, done.error_count) == (1, 0, 1)  # ...but Alan was left alone
    alan = session.get(Customer, alan.id)
    assert (alan.last_name, alan.position) == ("Turing", "Spy")


def test_a_new_customer_saved_during_the_import_sends_the_rest_back_to_the_file(
    session, engine, admin, add, classified, monkeypatch
):
    in_chunks_of(monkeypatch, 1)
    rows = [("Grace", "Hopper", "grace@example.com", ""), ("Kate", "Johnson", "kate@example.com", "")]
    job, _ = previewed(session, admin, csv_bytes(rows))
    imports.start_import(job.id, actor=admin, session=session)
    session.commit()

    def someone_adds_kate(progress_job):
        if progress_job.done_rows == 1:
            with type(session)(engine, expire_on_commit=False) as other:
                raw = {"first_name": "Katherine", "last_name": "Johnson", "email": "kate@example.com"}
                customers.create_customer(validate_customer(raw, phone_region="US"), actor=admin, session=other)
                other.commit()

    classified.clear()
    done = imports.run_import(job.id, actor=admin, engine=engine, progress=someone_adds_kate)
    session.expire_all()
    assert classified == [1]  # the second row, read and checked again
    assert (done.status, done.created_count, done.updated_count) == ("done", 1, 1)
    kate = session.exec(select(Customer).where(Customer.email == "kate@example.com")).one()
    assert kate.first_name == "Kate"  # matched and updated, not created twice


def test_outcomes_of_a_preview_that_never_finished_are_not_reused(session, engine, admin, classified):
    job, _ = previewed(session, admin, csv_bytes(ROWS))
    kept = imports.outcomes_path(job)
    kept.with_name(f"{kept.name}.key").unlink()  # as if the preview's process died before sealing them
    classified.clear()
    done = run(session, engine, admin, job)
    assert classified == [2]
    assert done.created_count == 2
    assert not kept.exists()
