"""What the customer page's tabs share: a write tells the customer's other viewers; a tab that changes the page
around it (contacts) wakes the page in the writer's own browser tab too, without importing it; e-mail switches."""

import asyncio

from customer_app.core.live import customer_page_key, hub
from customer_app.customers.state.other_info import CustomerOtherInfoState
from customer_app.records.state.contacts import CustomerContactsState
from customer_app.records.state.notifications import CustomerNotificationsState
from customer_app.records.state.tickets import CustomerTicketsState
from customer_app.records.tickets import create_ticket
from tests.unit.reflex_helpers import run, toast


def tab_state(new_tab, user, state_class, customer_id: int):
    state = new_tab(user).get_substate(state_class._get_substate_path())
    state.customer_id = customer_id
    return state


def woken_by(write, token: str, customer_id: int) -> list[str]:
    """Which customer pages `write()` wakes: the writer's own (`token`) and another viewer's."""

    async def scenario():
        pages = {"own page": customer_page_key(token), "other viewer": customer_page_key("another-tab")}
        async with (
            hub.subscribe(pages["own page"], customer_id) as own,
            hub.subscribe(pages["other viewer"], customer_id) as other,
        ):
            await write()
            return [name for name, page in (("own page", own), ("other viewer", other)) if page.wake.is_set()]

    return asyncio.run(scenario())


def test_a_ticket_saved_wakes_the_customers_other_viewers_only(new_tab, staff_user, add):
    ada = add(first_name="Ada")
    state = tab_state(new_tab, staff_user, CustomerTicketsState, ada.id)
    form = {"subject": "Invoice", "description": "", "priority": "normal"}
    assert woken_by(lambda: state.save(form), state.router.session.client_token, ada.id) == ["other viewer"]


def test_a_ticket_reply_wakes_the_customers_other_viewers_only(new_tab, staff_user, session, staff, add):
    ada = add(first_name="Ada")
    ticket = create_ticket(ada.id, "Invoice", "", "normal", actor=staff, session=session)
    session.commit()
    state = tab_state(new_tab, staff_user, CustomerTicketsState, ada.id)
    form = {"ticket_id": str(ticket.id), "reply": "Sent again"}
    assert woken_by(lambda: state.reply(form), state.router.session.client_token, ada.id) == ["other viewer"]


def test_a_contact_added_wakes_the_writers_own_page_too(new_tab, staff_user, add):
    ada = add(first_name="Ada")
    state = tab_state(new_tab, staff_user, CustomerContactsState, ada.id)
    form = {"channel": "email", "value": "ada@work.example", "label": "work"}
    woken = woken_by(lambda: state.add_contact(form), state.router.session.client_token, ada.id)
    assert woken == ["own page", "other viewer"]
    assert [row["value"] for row in state.emails] == ["ada@work.example"]


def test_a_refused_write_wakes_nobody(new_tab, reader_user, add):
    ada = add(first_name="Ada")
    state = tab_state(new_tab, reader_user, CustomerContactsState, ada.id)
    form = {"channel": "email", "value": "ada@work.example", "label": "work"}
    assert woken_by(lambda: state.add_contact(form), state.router.session.client_token, ada.id) == []


def test_an_email_switch_is_kept_and_shown(new_tab, staff_user, add):
    ada = add(first_name="Ada", email="ada@example.com")
    state = tab_state(new_tab, staff_user, CustomerNotificationsState, ada.id)
    assert run(state.set_switch("newsletters", True)) is None
    assert {s["topic"]: s["on"] for s in state.switches}["newsletters"] == "yes"
    assert toast(run(state.set_switch("<unknown>", True))) == ("error", "Unknown kind of e-mail.")


def test_read_only_staff_cannot_flip_switches(new_tab, reader_user, add):
    state = tab_state(new_tab, reader_user, CustomerNotificationsState, add(first_name="Ada").id)
    result = run(state.set_switch("newsletters", True))
    assert toast(result) == ("error", "Your role does not allow this. Ask an admin if you need it.")
    assert state.switches == []


def test_other_info_saved_wakes_the_writers_own_page_for_its_header(new_tab, staff_user, add):
    ada = add(first_name="Ada")
    state = tab_state(new_tab, staff_user, CustomerOtherInfoState, ada.id)
    form = {"business_number": "", "tags": "vip", "sales_rep": ""}
    assert woken_by(lambda: state.save(form), state.router.session.client_token, ada.id) == ["own page", "other viewer"]
