"""The Notes tab's handlers: editors write and delete notes, read-only staff read them, errors stay in the form."""

from customer_app.records.state.notes import CustomerNotesState
from tests.unit.reflex_helpers import run, toast


def notes_tab(new_tab, user, customer_id: int) -> CustomerNotesState:
    state = new_tab(user).get_substate(CustomerNotesState._get_substate_path())
    state.customer_id = customer_id
    return state


def test_staff_add_a_note_and_see_it_with_the_form_cleared(new_tab, staff_user, add):
    ada = add(first_name="Ada", last_name="Lovelace")
    state = notes_tab(new_tab, staff_user, ada.id)
    assert run(state.add_note({"note": "  Likes <b>tea</b>  "})) is None
    assert [(n.body, n.author) for n in state.rows] == [("Likes <b>tea</b>", "Sam Staff")]
    assert state.errors == {}
    assert state.form_key == 1


def test_an_empty_note_shows_why_and_keeps_nothing(new_tab, staff_user, add):
    state = notes_tab(new_tab, staff_user, add(first_name="Ada").id)
    run(state.add_note({"note": "   "}))
    assert state.errors == {"note": "Write something before sending."}
    assert state.rows == []
    assert state.form_key == 0  # what was typed stays in the box


def test_read_only_staff_cannot_add_or_delete_notes(new_tab, reader_user, staff_user, add):
    ada = add(first_name="Ada")
    writer = notes_tab(new_tab, staff_user, ada.id)
    run(writer.add_note({"note": "Kept"}))
    state = notes_tab(new_tab, reader_user, ada.id)
    result = run(state.add_note({"note": "Sneaky"}))
    assert toast(result) == ("error", "Your role does not allow this. Ask an admin if you need it.")
    state.ask_delete(writer.rows[0].id)
    assert toast(run(state.delete()))[0] == "error"
    run(writer._reload())
    assert [n.body for n in writer.rows] == ["Kept"]


def test_a_note_is_deleted_after_the_confirmation(new_tab, staff_user, add):
    state = notes_tab(new_tab, staff_user, add(first_name="Ada").id)
    run(state.add_note({"note": "Gone soon"}))
    state.ask_delete(state.rows[0].id)
    assert toast(run(state.delete())) == ("success", "Note deleted.")
    assert state.rows == []
    assert state.confirm_id == ""
    state.ask_delete("999999")  # deleted meanwhile by someone else
    assert toast(run(state.delete())) == ("error", "This note was already deleted.")
