"""Undo keeps what people did: who may look at an undo first, customers worked on are left alone, and what an undo
takes away goes to Trash (the undo itself is tested end to end in test_imports)."""

import pytest
from sqlmodel import select

from customer_app.customers import trash_batches
from customer_app.customers.models import Customer
from customer_app.customers.other_info import save_other_info
from customer_app.errors import PermissionDenied
from customer_app.records.models import CustomerNote
from customer_app.records.notes import add_note
from customer_app.records.tickets import create_ticket
from customer_app.transfer import import_undo
from tests.unit.transfer.test_imports import commit, csv_bytes, previewed


@pytest.fixture(autouse=True)
def private_folders(tmp_path, monkeypatch):
    monkeypatch.setenv("IMPORT_DIR", str(tmp_path / "imports"))


def test_only_admins_see_which_customers_an_undo_would_leave_alone(session, engine, admin, staff, reader):
    job, _ = previewed(session, admin, csv_bytes([("Ada", "Lovelace", "ada@example.com", "")]))
    commit(session, engine, admin, job)
    assert import_undo.undo_conflicts(job.id, actor=admin, session=session) == []
    for caller in (staff, reader, None):
        with pytest.raises(PermissionDenied):
            import_undo.undo_conflicts(job.id, actor=caller, session=session)


def _imported_ada(session, engine, admin) -> tuple[int, int]:
    job, _ = previewed(session, admin, csv_bytes([("Ada", "Lovelace", "ada@example.com", "")]))
    commit(session, engine, admin, job)
    return job.id, session.exec(select(Customer).where(Customer.email == "ada@example.com")).one().id


@pytest.mark.parametrize(
    "work",
    [
        lambda ada, staff, s: add_note(ada, "Called back, wants a quote", actor=staff, session=s),
        lambda ada, staff, s: create_ticket(ada, "Broken invoice", "", "normal", actor=staff, session=s),
        lambda ada, staff, s: save_other_info(
            ada, business_number="", tags=["vip"], group_ids=[], sales_rep_id=None, actor=staff, session=s
        ),
    ],
    ids=["note", "ticket", "tag"],
)
def test_undo_leaves_alone_a_created_customer_someone_worked_on(session, engine, admin, staff, work):
    job_id, ada = _imported_ada(session, engine, admin)
    work(ada, staff, session)  # none of these bump the customer's version
    session.commit()
    assert [c.customer_id for c in import_undo.undo_conflicts(job_id, actor=admin, session=session)] == [ada]
    result = import_undo.undo_import(job_id, actor=admin, session=session)
    session.commit()
    session.expire_all()
    assert (result.removed, result.left_alone) == (0, 1)
    assert session.get(Customer, ada).deleted_at is None


def test_undo_moves_created_customers_to_trash_with_everything_on_them(session, engine, admin, staff):
    job_id, ada = _imported_ada(session, engine, admin)
    note = add_note(ada, "Kept even when overwritten", actor=staff, session=session)
    session.commit()
    result = import_undo.undo_import(job_id, actor=admin, session=session, overwrite=True)
    session.commit()
    session.expire_all()
    assert result.removed == 1
    assert session.get(Customer, ada).deleted_at is not None  # in Trash, restorable
    assert session.get(CustomerNote, note.id) is not None


def test_what_an_undo_moves_to_trash_is_one_removal_named_after_the_import(session, engine, admin, staff, monkeypatch):
    monkeypatch.setattr(import_undo, "CHUNK", 2)  # moved to Trash in two chunks, still one removal
    rows = [(f"Ada{i}", "Lovelace", f"ada{i}@example.com", "") for i in range(3)]
    job, _ = previewed(session, admin, csv_bytes(rows), name="spring fair.csv")
    commit(session, engine, admin, job)
    assert import_undo.undo_import(job.id, actor=admin, session=session).removed == 3
    session.commit()
    [removal] = trash_batches.recent_removals(actor=staff, session=session)
    assert (removal.moved, removal.in_trash, removal.label) == (3, 3, f"Undo of import #{job.id} (spring fair.csv)")
    assert trash_batches.restore_batch(removal.id, actor=staff, session=session).restored == 3
    session.commit()
    assert len(session.exec(select(Customer).where(Customer.deleted_at == None)).all()) == 3  # noqa: E711
