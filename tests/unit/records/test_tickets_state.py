"""The Tickets tab's handlers: opened from the tab with errors in the pop-up, filtered by status, replied to under
each ticket, editors only."""

from customer_app.records.state.tickets import CustomerTicketsState
from customer_app.records.ticket_replies import write_reply
from customer_app.records.tickets import create_ticket, open_ticket, update_ticket
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


def test_a_reply_joins_the_thread_and_empties_only_its_own_box(new_tab, staff_user, session, staff, add):
    ada = add(first_name="Ada")
    first = open_ticket(
        ada.id, "Login fails", "Since Monday", "high", author_name="Ada Lee", from_customer=True, session=session
    )
    write_reply(first, "Still failing", author_name="Ada Lee", from_customer=True, session=session)
    second = create_ticket(ada.id, "Invoice", "", "normal", actor=staff, session=session)
    session.commit()
    state = tickets(new_tab, staff_user, ada.id)
    run(state._reload())
    boxes = {r.id: r.reply_box for r in state.rows}
    assert run(state.reply({"ticket_id": str(first.id), "reply": "Reset your password, please."})) is None
    row = next(r for r in state.rows if r.id == str(first.id))
    assert row.from_customer
    assert [(r.author, r.body, r.from_customer) for r in row.replies] == [
        ("Ada Lee", "Still failing", True),
        ("Sam Staff", "Reset your password, please.", False),
    ]
    assert row.status_label == "New"
    assert row.reply_box != boxes[row.id]  # the sent reply leaves an empty box
    assert {r.id: r.reply_box for r in state.rows}[str(second.id)] == boxes[str(second.id)]  # a draft there stays


def test_an_empty_reply_shows_why_under_its_ticket_and_keeps_the_box(new_tab, staff_user, session, staff, add):
    ada = add(first_name="Ada")
    ticket = create_ticket(ada.id, "Invoice", "", "normal", actor=staff, session=session)
    session.commit()
    state = tickets(new_tab, staff_user, ada.id)
    run(state._reload())
    box = state.rows[0].reply_box
    assert run(state.reply({"ticket_id": str(ticket.id), "reply": "  "})) is None
    assert state.reply_errors == {str(ticket.id): "Write a reply first."}
    assert state.rows[0].replies == []
    assert state.rows[0].reply_box == box
    run(state.reply({"ticket_id": str(ticket.id), "reply": "Sent again"}))
    assert state.reply_errors == {}


def test_read_only_staff_cannot_reply(new_tab, reader_user, session, staff, add):
    ada = add(first_name="Ada")
    ticket = create_ticket(ada.id, "Invoice", "", "normal", actor=staff, session=session)
    session.commit()
    state = tickets(new_tab, reader_user, ada.id)
    result = run(state.reply({"ticket_id": str(ticket.id), "reply": "Sneaky"}))
    assert toast(result) == ("error", "Your role does not allow this. Ask an admin if you need it.")
    run(state._reload())
    assert state.rows[0].replies == []


def test_a_reply_to_a_ticket_that_is_gone_says_so(new_tab, staff_user, add):
    state = tickets(new_tab, staff_user, add(first_name="Ada").id)
    assert toast(run(state.reply({"ticket_id": "999999", "reply": "Hello"}))) == (
        "error",
        "This ticket does not exist any more.",
    )
    assert toast(run(state.reply({"ticket_id": "<script>", "reply": "Hello"})))[0] == "error"
