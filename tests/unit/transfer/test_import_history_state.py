"""The import history page driven through its handlers: newest first a page at a time, undo with a look first."""

import pytest
from sqlmodel import select

from customer_app.core import jobs
from customer_app.core.columns import utcnow
from customer_app.customers import customers
from customer_app.customers.models import Customer
from customer_app.customers.validation import validate_customer
from customer_app.settings import settings
from customer_app.transfer import imports
from customer_app.transfer.import_rows import Plan
from customer_app.transfer.models import ImportJob
from customer_app.transfer.state.import_history import ImportHistoryState
from customer_app.transfer.state.importer import ImportState
from tests.unit.reflex_helpers import run, run_background, toast
from tests.unit.transfer.test_imports import commit, csv_bytes, upload

NOT_ALLOWED = "Your role does not allow this. Ask an admin if you need it."
PLAN = Plan(["first_name", "last_name", "email", ""])


@pytest.fixture(autouse=True)
def private_folders(tmp_path, monkeypatch):
    monkeypatch.setenv("IMPORT_DIR", str(tmp_path / "imports"))


def history(new_tab, user) -> ImportHistoryState:
    return new_tab(user).get_substate(ImportHistoryState._get_substate_path())


def imported(session, engine, admin, *rows):
    """A finished import of `rows` (first name, last name, e-mail)."""
    job = upload(session, admin, csv_bytes([(*row, "") for row in rows]))
    imports.preview_import(job.id, PLAN, actor=admin, session=session)
    session.commit()
    done, _ = commit(session, engine, admin, job)
    return done


def test_an_admin_sees_the_newest_imports_first(new_tab, admin_user, admin, session, engine):
    rows = [("Ada", "Lovelace", "ada@example.com"), ("Alan", "Turing", "alan@example.com"), ("G", "H", "g@example.com")]
    jobs = [imported(session, engine, admin, row) for row in rows]
    state = history(new_tab, admin_user)
    assert run(state.on_load()) is None
    assert state.access == "ok"
    assert state.range_label == "1–3 of 3"
    assert [row.id for row in state.rows] == [str(job.id) for job in reversed(jobs)]
    assert state.rows[0].status_label == "Done"
    assert state.rows[0].can_undo


def test_a_file_that_was_only_previewed_is_not_in_the_history(new_tab, admin_user, admin, session, engine):
    done = imported(session, engine, admin, ("Ada", "Lovelace", "ada@example.com"))
    looked_at = upload(session, admin, csv_bytes([("Alan", "Turing", "alan@example.com", "")]))
    imports.preview_import(looked_at.id, PLAN, actor=admin, session=session)
    session.commit()
    state = history(new_tab, admin_user)
    run(state.on_load())
    assert (state.range_label, [row.id for row in state.rows]) == ("1–1 of 1", [str(done.id)])
    assert "Not started" not in {row.status_label for row in state.rows}


@pytest.mark.parametrize("role", ["staff", "read_only"])
def test_others_see_no_imports_and_cannot_undo(role, new_tab, make_user, admin, session, engine):
    job = imported(session, engine, admin, ("Ada", "Lovelace", "ada@example.com"))
    state = history(new_tab, make_user(role))
    assert toast(run(state.on_load())) == ("error", NOT_ALLOWED)
    assert (state.access, state.rows, state.total) == ("denied", [], 0)
    assert toast(run(state.ask_undo(str(job.id)))) == ("error", NOT_ALLOWED)
    state.undo_id = job.id  # as a tampered client could leave it
    assert toast(run(state.undo(True))) == ("error", NOT_ALLOWED)
    assert not state.undo_open
    assert session.exec(select(Customer)).one().display_name == "Ada Lovelace"


def test_undo_lists_later_changes_first_and_leaves_them_alone(new_tab, admin_user, admin, session, engine):
    job = imported(session, engine, admin, ("Ada", "Lovelace", "ada@example.com"), ("Alan", "Turing", "a@example.com"))
    ada = session.exec(select(Customer).where(Customer.email == "ada@example.com")).one()
    raw = {"first_name": "Ada", "last_name": "King", "email": "ada@example.com"}
    customers.update_customer(
        ada.id, validate_customer(raw, phone_region="US"), actor=admin, session=session, expected_version=1
    )
    session.commit()
    state = history(new_tab, admin_user)
    run(state.on_load())
    assert state.rows[0].can_undo
    run(state.ask_undo(str(job.id)))
    assert state.undo_open
    assert state.conflict_count == 1
    assert state.conflicts == ["Ada King: (worked on after the import)"]
    assert run(state.undo(False)) is ImportHistoryState.follow_undo  # queued: a job worker does it
    assert state.undo_busy
    assert state.undo_open
    assert jobs.work_once("worker", engine=engine)
    success, refresh = run_background(state, "follow_undo")
    assert toast(success) == ("success", "Import undone: 1 moved to Trash, 0 restored, 1 left alone.")
    assert refresh is ImportState.refresh_job  # the import page shows the job as undone too
    assert not state.undo_open
    assert state.rows[0].status == "undone"
    assert not state.rows[0].can_undo
    session.expire_all()
    in_trash = {c.display_name: c.deleted_at is not None for c in session.exec(select(Customer))}
    assert in_trash == {"Ada King": False, "Alan Turing": True}  # undo moves to Trash: nothing is deleted


def test_a_malformed_job_id_opens_no_undo(new_tab, admin_user):
    state = history(new_tab, admin_user)
    run(state.ask_undo("1 OR 1=1"))
    assert not state.undo_open
    assert state.undo_id == 0


def test_imports_come_a_page_at_a_time_of_a_size_the_page_offers(new_tab, admin_user, admin, session):
    smallest = settings.page_sizes[0]
    jobs = [ImportJob(file_name=f"{n}.csv", status="done", started_at=utcnow()) for n in range(smallest + 1)]
    session.add_all(jobs)
    session.commit()
    state = history(new_tab, admin_user)
    state.page_size = 1_000_000  # as a tampered client could set it
    run(state.on_load())
    assert state.page_size == smallest
    assert len(state.rows) == smallest
    run(state.go_to_page(2))
    assert [row.id for row in state.rows] == [str(jobs[0].id)]
    assert state.range_label == f"{smallest + 1}–{smallest + 1} of {smallest + 1}"
