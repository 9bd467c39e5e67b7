"""The customer page's state: the header and only the tab shown are read, on opening, on switching tab and on a
change notice; the tab is in the address; missing customers get a clear state; key facts and counts on Overview."""

from typing import TypeVar, cast

import pytest
from reflex.istate.data import ReflexURL, RouterData, SessionData
from reflex.state import BaseState, State

from customer_app.core.db import session_scope
from customer_app.customer_page.state.overview import CustomerOverviewState
from customer_app.customer_page.state.page import CustomerDetailState
from customer_app.customer_page.state.tabs import TABS
from customer_app.customers import custom_field_values, custom_fields, other_info
from customer_app.customers.customers import update_customer
from customer_app.customers.other_info import save_other_info
from customer_app.customers.state.other_info import CustomerOtherInfoState
from customer_app.customers.validation import validate_customer
from customer_app.records import contacts, notes
from customer_app.records.state.contacts import CustomerContactsState
from customer_app.records.state.notes import CustomerNotesState
from customer_app.records.state.tickets import CustomerTicketsState
from customer_app.records.tickets import create_ticket
from tests.unit.reflex_helpers import redirect_target, run

S = TypeVar("S", bound=BaseState)


def opened(root: State, address: str) -> CustomerDetailState:
    """The customer page of a tab whose address bar shows `address`."""
    root.router = RouterData(
        session=SessionData(client_token="tab-1"), url=ReflexURL(f"http://localhost:3000{address}")
    )
    return cast(CustomerDetailState, root.get_substate(CustomerDetailState._get_substate_path()))


def part(root: State, state_class: type[S]) -> S:
    """Another state of the same browser tab."""
    return cast(S, root.get_substate(state_class._get_substate_path()))


@pytest.fixture
def root(new_tab, staff_user) -> State:
    return new_tab(staff_user)


@pytest.fixture
def ada(session, staff, add):
    """Ada, with a ticket, a note, a work e-mail and a tag."""
    ada = add(first_name="Ada", last_name="Lovelace")
    create_ticket(ada.id, "Invoice", "", "normal", actor=staff, session=session)
    notes.add_note(ada.id, "Likes tea", actor=staff, session=session)
    contacts.add_contact(ada.id, "email", "ada@work.example", "work", actor=staff, session=session)
    save_other_info(
        ada.id, business_number="", tags=["vip"], group_ids=[], sales_rep_id=None, actor=staff, session=session
    )
    session.commit()
    return ada


def test_opening_the_page_reads_the_header_and_the_overview_only(root, ada):
    page = opened(root, f"/customers/{ada.id}")
    run(page.on_load())
    overview = part(root, CustomerOverviewState)
    assert (page.status, page.tab, page.header["name"]) == ("ok", "overview", "Ada Lovelace")
    assert (page.tags, page.groups) == ("vip", [])
    assert (overview.tickets["all"], overview.notes, overview.contacts) == (1, 1, 1)
    assert [row.action for row in overview.history][-1] == "Created"
    assert part(root, CustomerTicketsState).rows == []
    assert part(root, CustomerNotesState).rows == []
    assert part(root, CustomerContactsState).emails == []
    assert part(root, CustomerOtherInfoState).customer_id == 0


def test_switching_tab_reads_that_tab_and_writes_the_address(root, ada):
    page = opened(root, f"/customers/{ada.id}")
    run(page.on_load())
    result = run(page.set_tab("tickets"))
    assert [row.subject for row in part(root, CustomerTicketsState).rows] == ["Invoice"]
    assert "?tab=tickets" in str(result.args)
    assert part(root, CustomerNotesState).rows == []


def test_a_shared_link_to_a_tab_reads_that_tab_and_not_the_overview(root, ada):
    page = opened(root, f"/customers/{ada.id}?tab=tickets")
    run(page.on_load())
    assert page.tab == "tickets"
    assert page.header["name"] == "Ada Lovelace"
    assert [row.subject for row in part(root, CustomerTicketsState).rows] == ["Invoice"]
    assert part(root, CustomerOverviewState).history == []


def test_an_unknown_tab_in_the_link_opens_the_overview(root, ada):
    page = opened(root, f"/customers/{ada.id}?tab=<script>")
    run(page.on_load())
    assert page.tab == "overview"
    assert part(root, CustomerOverviewState).notes == 1


def test_a_change_notice_rereads_the_header_and_the_shown_tab_only(root, ada, session, admin):
    page = opened(root, f"/customers/{ada.id}?tab=tickets")
    run(page.on_load())
    create_ticket(ada.id, "Refund", "", "high", actor=admin, session=session)
    notes.add_note(ada.id, "Called back", actor=admin, session=session)
    renamed = validate_customer({"first_name": "Ada", "last_name": "King"}, phone_region="US")
    update_customer(ada.id, renamed, actor=admin, session=session, expected_version=ada.version)
    session.commit()
    run(page._load())  # what the page does when the hub wakes it
    assert page.header["name"] == "Ada King"
    assert [row.subject for row in part(root, CustomerTicketsState).rows] == ["Refund", "Invoice"]
    assert part(root, CustomerNotesState).rows == []
    assert part(root, CustomerOverviewState).history == []


def test_every_tab_of_the_registry_can_be_shown(root, ada):
    page = opened(root, f"/customers/{ada.id}")
    run(page.on_load())
    for tab in TABS:
        run(page.set_tab(tab.key))
        assert page.tab == tab.key
        assert part(root, tab.state).get_value("customer_id") == ada.id  # each tab state declares its own


def test_only_known_tabs_are_accepted(root, ada):
    page = opened(root, f"/customers/{ada.id}")
    run(page.set_tab("notes"))
    assert page.tab == "notes"
    assert run(page.set_tab("<script>")) is None
    assert page.tab == "notes"


def test_a_missing_or_trashed_customer_is_reported_not_raised(root):
    page = opened(root, "/customers/987654")
    run(page.on_load())
    assert page.status == "missing"
    assert page.header == {}


def test_a_signed_out_tab_is_sent_to_sign_in_and_reads_nothing(new_tab, ada):
    root = new_tab(None, token="stale")
    page = opened(root, f"/customers/{ada.id}")
    assert redirect_target(run(page.on_load())).startswith("/login")
    assert page.status == "missing"
    assert page.header == {}
    assert part(root, CustomerOverviewState).facts == []


def test_key_facts_include_filled_custom_fields(root, admin, add):
    ada = add(first_name="Ada", company_name="Analytical Engines")
    with session_scope() as session:
        define = custom_fields.FieldDefinition
        seats = custom_fields.add_field(define("Seats", "number"), actor=admin, session=session)
        custom_fields.add_field(define("Nickname"), actor=admin, session=session)
        custom_field_values.save_values(ada.id, {seats.id: "12"}, actor=admin, session=session)
    run(opened(root, f"/customers/{ada.id}").on_load())
    facts = part(root, CustomerOverviewState).facts
    assert ["Company", "Analytical Engines"] in facts
    assert ["Seats", "12"] in facts
    assert all(label != "Nickname" for label, _ in facts)


def test_the_overview_counts_tickets_as_the_tickets_tab_filters_them(root, ada, session, staff):
    create_ticket(ada.id, "Second", "", "normal", actor=staff, session=session)
    session.commit()
    page = opened(root, f"/customers/{ada.id}")
    run(page.on_load())
    counts = part(root, CustomerOverviewState).tickets
    assert (counts["all"], counts["new"], counts["solved"]) == (2, 2, 0)


def test_tag_suggestions_are_read_when_the_tags_box_is_first_focused(new_tab, staff_user, staff, session, add):
    ada = add(first_name="Ada")
    save_other_info(
        ada.id, business_number="", tags=["vip"], group_ids=[], sales_rep_id=None, actor=staff, session=session
    )
    session.commit()
    state = new_tab(staff_user).get_substate(CustomerOtherInfoState._get_substate_path())
    assert state.suggestions == []
    run(state.load_suggestions())
    assert state.suggestions == ["vip"]


def test_the_header_shows_groups_and_tags_in_name_order(root, session, admin, add):
    ada = add(first_name="Ada")
    groups = [other_info.add_group(name, actor=admin, session=session).id for name in ("Wholesale", "Berlin", "VIP")]
    save_other_info(
        ada.id,
        business_number="",
        tags=["vip", "b2b"],
        group_ids=groups[:2],
        sales_rep_id=None,
        actor=admin,
        session=session,
    )
    session.commit()
    page = opened(root, f"/customers/{ada.id}")
    run(page.on_load())
    assert (page.groups, page.tags) == (["Berlin", "Wholesale"], "b2b, vip")
