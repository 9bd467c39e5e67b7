"""The Tickets tab's handlers: opened from the tab with errors in the pop-up, filtered by status, editors only."""

from customer_app.records.state.tickets import CustomerTicketsState
from customer_app.records.tickets import create_ticket, update_ticket
from tests.unit.reflex_helpers import redirect_target, run, toast


def tickets(new_tab, user, customer_id: int) -> CustomerTicketsState:
    state = new_tab(user).get_substate(CustomerTicketsState._get_substate_path())
    state.customer_id = customer_id
    return state


def test_a_ticket_is_opened_from_the_tab_and_errors_stay_in_the_pop_up(new_tab, staff_user, add):
    ada = add(first_name="Ada")
    state = tickets(new_tab, staff_user, ada.id)
    state.open_new()
    run(state.save({"subject": " ", "description": "", "priority": "normal"}))
    assert state.form_open
    assert state.errors == {"subject": "Give the ticket a subject."}
    run(state.save({"subject": "Invoice", "description": "", "priority": "urgent"}))
    assert not state.form_open
    assert [(r.subject, r.priority_label, r.status_label) for r in state.rows] == [("Invoice", "Urgent", "New")]


def test_read_only_staff_cannot_open_tickets(new_tab, reader_user, add):
    state = tickets(new_tab, reader_user, add(first_name="Ada").id)
    result = run(state.save({"subject": "Sneaky", "description": "", "priority": "normal"}))
    assert toast(result)[0] == "error"
    assert state.rows == []


def test_the_status_filter_reads_the_tickets_again(new_tab, reader_user, session, staff, add):
    ada = add(first_name="Ada")
    first = create_ticket(ada.id, "First", "", "normal", actor=staff, session=session)
    create_ticket(ada.id, "Second", "", "normal", actor=staff, session=session)
    update_ticket(first.id, "First", "", "normal", "solved", actor=staff, session=session)
    session.commit()
    state = tickets(new_tab, reader_user, ada.id)
    assert run(state.set_status_filter("solved")) is None
    assert [r.subject for r in state.rows] == ["First"]
    run(state.set_status_filter("<anything>"))
    assert state.status_filter == "all"
    assert [r.subject for r in state.rows] == ["Second", "First"]


def test_a_signed_out_tab_is_sent_to_sign_in_when_filtering(new_tab, add):
    state = tickets(new_tab, None, add(first_name="Ada").id)
    assert redirect_target(run(state.set_status_filter("new"))).startswith("/login")
    assert state.rows == []
