"""The customer page's handlers: notes by editors only, the tab in the address, a clear state for missing customers."""

import asyncio

from customer_app.core.db import session_scope
from customer_app.customer_page.state.page import CustomerDetailState
from customer_app.customers import custom_field_values, custom_fields
from customer_app.customers.other_info import save_other_info
from customer_app.customers.state.other_info import CustomerOtherInfoState
from customer_app.records.state.tickets import CustomerTicketsState
from tests.unit.reflex_helpers import toast


def detail(new_tab, user, customer_id: int) -> CustomerDetailState:
    state = new_tab(user).get_substate(CustomerDetailState._get_substate_path())
    state.customer_id = customer_id
    return state


def test_staff_add_a_note_and_see_it_with_the_form_cleared(new_tab, staff_user, add):
    ada = add(first_name="Ada", last_name="Lovelace")
    state = detail(new_tab, staff_user, ada.id)
    asyncio.run(state.add_note({"note": "  Likes <b>tea</b>  "}))
    assert [(n.body, n.author) for n in state.notes] == [("Likes <b>tea</b>", "Sam Staff")]
    assert state.note_error == "" and state.note_form_key == 1
    assert state.status == "ok" and state.header["name"] == "Ada Lovelace"


def test_an_empty_note_shows_why_and_keeps_nothing(new_tab, staff_user, add):
    state = detail(new_tab, staff_user, add(first_name="Ada").id)
    asyncio.run(state.add_note({"note": "   "}))
    assert state.note_error == "Write something before sending." and state.notes == []


def test_read_only_staff_cannot_add_or_delete_notes(new_tab, reader_user, staff_user, add):
    ada = add(first_name="Ada")
    writer = detail(new_tab, staff_user, ada.id)
    asyncio.run(writer.add_note({"note": "Kept"}))
    state = detail(new_tab, reader_user, ada.id)
    result = asyncio.run(state.add_note({"note": "Sneaky"}))
    assert toast(result) == ("error", "Your role does not allow this. Ask an admin if you need it.")
    state.ask_delete_note(writer.notes[0].id)
    asyncio.run(state.delete_note())
    asyncio.run(writer._load())
    assert [n.body for n in writer.notes] == ["Kept"]


def test_a_missing_or_trashed_customer_is_reported_not_raised(new_tab, staff_user):
    state = detail(new_tab, staff_user, 987654)
    asyncio.run(state._load())
    assert state.status == "missing" and state.header == {}


def test_only_known_tabs_are_accepted(new_tab, staff_user):
    state = detail(new_tab, staff_user, 1)
    state.set_tab("notes")
    assert state.tab == "notes"
    state.set_tab("<script>")
    assert state.tab == "notes"


def tickets(new_tab, user, customer_id: int) -> CustomerTicketsState:
    state = new_tab(user).get_substate(CustomerTicketsState._get_substate_path())
    state.customer_id = customer_id
    return state


def test_a_ticket_is_opened_from_the_tab_and_errors_stay_in_the_pop_up(new_tab, staff_user, add):
    ada = add(first_name="Ada")
    state = tickets(new_tab, staff_user, ada.id)
    state.open_new()
    asyncio.run(state.save({"subject": " ", "description": "", "priority": "normal"}))
    assert state.form_open and state.errors == {"subject": "Give the ticket a subject."}
    asyncio.run(state.save({"subject": "Invoice", "description": "", "priority": "urgent"}))
    assert not state.form_open
    assert [(r.subject, r.priority_label, r.status_label) for r in state.rows] == [("Invoice", "Urgent", "New")]


def test_read_only_staff_cannot_open_tickets(new_tab, reader_user, add):
    state = tickets(new_tab, reader_user, add(first_name="Ada").id)
    result = asyncio.run(state.save({"subject": "Sneaky", "description": "", "priority": "normal"}))
    assert toast(result)[0] == "error" and state.rows == []


def test_key_facts_include_filled_custom_fields(new_tab, staff_user, admin, add):
    ada = add(first_name="Ada")
    with session_scope() as session:
        define = custom_fields.FieldDefinition
        seats = custom_fields.add_field(define("Seats", "number"), actor=admin, session=session)
        custom_fields.add_field(define("Nickname"), actor=admin, session=session)
        custom_field_values.save_values(ada.id, {seats.id: "12"}, actor=admin, session=session)
    state = detail(new_tab, staff_user, ada.id)
    asyncio.run(state._load())
    assert ["Seats", "12"] in state.facts and all(label != "Nickname" for label, _ in state.facts)


def test_tag_suggestions_are_read_when_the_tags_box_is_first_focused(new_tab, staff_user, staff, session, add):
    ada = add(first_name="Ada")
    save_other_info(
        ada.id, business_number="", tags=["vip"], group_ids=[], sales_rep_id=None, actor=staff, session=session
    )
    session.commit()
    state = new_tab(staff_user).get_substate(CustomerOtherInfoState._get_substate_path())
    assert state.suggestions == []
    asyncio.run(state.load_suggestions())
    assert state.suggestions == ["vip"]
