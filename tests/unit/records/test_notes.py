"""Notes on a customer: written as plain text by editors, read by everyone, deleted with their customer."""

import pytest
from sqlmodel import select

from customer_app.core.models import AuditEvent
from customer_app.customers import customers
from customer_app.errors import NotFoundError, PermissionDenied, ValidationError
from customer_app.records.models import CustomerNote
from customer_app.records.notes import add_note, delete_note, list_notes
from tests.unit.refusals import SIGN_IN, refusal


def test_notes_are_kept_as_typed_with_author_and_listed_newest_first(session, admin, staff, add):
    ada = add(first_name="Ada", last_name="Lovelace")
    add_note(ada.id, "First call went well.", actor=staff, session=session)
    add_note(ada.id, "  <script>alert('x')</script>  ", actor=admin, session=session)
    session.commit()
    notes = list_notes(ada.id, actor=staff, session=session)
    assert [(n.body, n.author_name) for n in notes] == [
        ("<script>alert('x')</script>", "Ada Admin"),
        ("First call went well.", "Sam Staff"),
    ]
    events = session.exec(select(AuditEvent).where(AuditEvent.action == "note_add")).all()
    assert [e.summary for e in events] == ["Added a note to Ada Lovelace"] * 2


def test_empty_or_too_long_notes_are_refused_and_nothing_is_kept(session, staff, add):
    ada = add(first_name="Ada", last_name="Lovelace")
    with pytest.raises(ValidationError, match="Write something"):
        add_note(ada.id, "   ", actor=staff, session=session)
    with pytest.raises(ValidationError, match="5,000"):
        add_note(ada.id, "x" * 5001, actor=staff, session=session)
    assert list_notes(ada.id, actor=staff, session=session) == []


def test_read_only_staff_read_notes_but_cannot_write_or_delete(session, staff, reader, add):
    ada = add(first_name="Ada", last_name="Lovelace")
    note = add_note(ada.id, "Visible to all", actor=staff, session=session)
    session.commit()
    assert [n.body for n in list_notes(ada.id, actor=reader, session=session)] == ["Visible to all"]
    with pytest.raises(PermissionDenied):
        add_note(ada.id, "Sneaky", actor=reader, session=session)
    with pytest.raises(PermissionDenied):
        delete_note(note.id, actor=reader, session=session)


def test_a_note_is_deleted_once_and_audited_with_its_text(session, staff, add):
    ada = add(first_name="Ada", last_name="Lovelace")
    note = add_note(ada.id, "Wrong customer", actor=staff, session=session)
    session.commit()
    assert delete_note(note.id, actor=staff, session=session) == ada.id
    session.commit()
    assert list_notes(ada.id, actor=staff, session=session) == []
    event = session.exec(select(AuditEvent).where(AuditEvent.action == "note_delete")).one()
    assert event.entity_id == ada.id
    assert "Wrong customer" in event.changes
    with pytest.raises(NotFoundError, match="already deleted"):
        delete_note(note.id, actor=staff, session=session)


def test_no_notes_on_customers_in_trash_and_purging_removes_them(session, admin, staff, add):
    ada = add(first_name="Ada", last_name="Lovelace")
    add_note(ada.id, "Before trash", actor=staff, session=session)
    customers.trash_customers([ada.id], actor=staff, session=session)
    session.commit()
    with pytest.raises(NotFoundError):
        add_note(ada.id, "After trash", actor=staff, session=session)
    customers.purge_customers([ada.id], actor=admin, session=session)
    session.commit()
    assert session.exec(select(CustomerNote)).all() == []


def test_nobody_signed_in_reads_notes():
    assert refusal(lambda actor, session: list_notes(1, actor=actor, session=session), None).startswith(SIGN_IN)
