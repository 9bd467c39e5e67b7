"""The customers page's group and tag filters, driven through its event handlers by a signed-in staff member."""

import json
from typing import cast
from urllib.parse import parse_qs

import pytest
from reflex.istate.data import ReflexURL, RouterData, SessionData
from reflex.state import State

from customer_app.customer_page.state.page import CustomerDetailState
from customer_app.customers import customers
from customer_app.customers.models import CustomerGroup, CustomerGroupMember, CustomerTag
from customer_app.customers.state.customer_list import CustomerListState
from customer_app.customers.validation import validate_customer
from tests.unit.reflex_helpers import run, toast


def opened(root: State, address: str = "/customers") -> CustomerListState:
    """The customers page of a tab whose address bar shows `address`."""
    root.router = RouterData(
        session=SessionData(client_token="tab-1"), url=ReflexURL(f"http://localhost:3000{address}")
    )
    return cast(CustomerListState, root.get_substate(CustomerListState._get_substate_path()))


def written_address(result) -> dict[str, list[str]]:
    """The query the handler put in the address bar (the last event it returned that writes the address)."""
    events = result if isinstance(result, list) else [result]
    script = next(e.args[0][1]._var_value for e in reversed(events) if "history." in str(e.args))
    return parse_qs(json.loads(script.rsplit("pathname + ", 1)[1].removesuffix(")")).lstrip("?"))


def names(page: CustomerListState) -> list[str]:
    return [row["name"] for row in page.rows]


@pytest.fixture
def root(new_tab, staff_user) -> State:
    return new_tab(staff_user)


@pytest.fixture
def book(session, admin) -> dict[str, int]:
    """Ann and Bob in VIP; Ann and Cyd tagged wholesale (as "Wholesale" and "WHOLESALE"); Bob tagged retail."""
    vip, spare = CustomerGroup(name="VIP"), CustomerGroup(name="Spare")
    session.add_all([vip, spare])
    session.flush()
    ids = {}
    for first in ("Ann", "Bob", "Cyd", "Dee"):
        raw = {"first_name": first, "last_name": "Lee", "email": f"{first.lower()}@example.com"}
        ids[first] = customers.create_customer(
            validate_customer(raw, phone_region="US"), actor=admin, session=session
        ).id
    session.add_all(CustomerGroupMember(customer_id=ids[n], group_id=vip.id) for n in ("Ann", "Bob"))
    tags = (("Ann", "Wholesale"), ("Cyd", "WHOLESALE"), ("Bob", "retail"))
    session.add_all(CustomerTag(customer_id=ids[n], tag=t) for n, t in tags)
    session.commit()
    return ids | {"vip": vip.id, "spare": spare.id}


def test_a_shared_address_opens_the_list_filtered_and_keeps_the_filters_in_it(root, book):
    page = opened(root, f"/customers?group={book['vip']}&tag=wholesale")
    result = run(page.on_load())
    assert names(page) == ["Ann Lee"]
    assert (page.group_name, page.tag, page.tag_text, page.filtered) == ("VIP", "wholesale", "wholesale", True)
    assert page.counts == {"individual": 1, "institution": 0, "trash": 0}
    assert [g["name"] for g in page.groups] == ["Spare", "VIP"]
    assert written_address(result) == {"group": [str(book["vip"])], "tag": ["wholesale"]}


def test_choosing_a_group_filters_from_the_first_page_and_writes_the_address(root, book):
    page = opened(root)
    run(page.on_load())
    page.selected, page.page = [str(book["Cyd"])], 2
    result = run(page.set_group(str(book["vip"])))
    assert names(page) == ["Ann Lee", "Bob Lee"]
    assert page.counts["individual"] == 2
    assert (page.page, page.selected) == (1, [])
    assert written_address(result) == {"group": [str(book["vip"])]}
    run(page.set_group("999999"))  # not a group (any client can send anything): every group
    assert page.group == ""
    assert len(page.rows) == 4


def test_a_tag_in_use_filters_as_it_is_typed_and_any_other_on_enter(root, book):
    page = opened(root)
    run(page.on_load())
    run(page.load_tag_options())
    assert sorted(page.tag_options) == ["WHOLESALE", "Wholesale", "retail"]
    run(page.type_tag("whol"))  # not a tag yet: the list stays as it is
    assert page.tag == ""
    assert len(page.rows) == 4
    assert page.tag_text == "whol"
    result = run(page.type_tag("wholesale"))
    assert names(page) == ["Ann Lee", "Cyd Lee"]
    assert page.filter_summary == "tag “wholesale”"
    assert written_address(result) == {"tag": ["wholesale"]}
    run(page.submit_tag({"tag": "  nobody  "}))
    assert (page.tag, page.rows, page.counts["individual"]) == ("nobody", [], 0)


def test_chips_remove_one_filter_and_clear_filters_removes_both(root, book):
    page = opened(root, f"/customers?group={book['vip']}&tag=WHOLESALE")
    run(page.on_load())
    assert page.filter_summary == "group “VIP”, tag “WHOLESALE”"
    run(page.clear_tag())
    assert names(page) == ["Ann Lee", "Bob Lee"]
    assert page.tag_text == ""
    run(page.submit_tag({"tag": "retail"}))
    assert names(page) == ["Bob Lee"]
    run(page.clear_group())
    assert names(page) == ["Bob Lee"]
    assert page.group == ""
    result = run(page.clear_filters())
    assert len(page.rows) == 4
    assert not page.filtered
    assert written_address(result) == {}


def test_a_late_copy_of_what_was_typed_before_clear_filters_does_not_come_back(root, book):
    page = opened(root)
    run(page.on_load())
    run(page.submit_tag({"tag": "no-such-tag"}))  # Enter, before the box's delayed change is sent
    run(page.clear_filters())
    assert run(page.type_tag("no-such-tag")) is None  # the delayed change arrives after the clear
    assert (page.tag_text, page.tag, len(page.rows)) == ("", "", 4)
    run(page.load_tag_options())
    run(page.type_tag("retail"))  # typing anew works as before
    assert names(page) == ["Bob Lee"]


def test_the_plain_address_opens_the_list_without_the_filters_used_before(root, book):
    page = opened(root, "/customers?tag=retail")
    run(page.on_load())
    page = opened(root)  # the header's Customers link
    result = run(page.on_load())
    assert len(page.rows) == 4
    assert (page.tag, page.tag_text, page.filtered) == ("", "", False)
    assert written_address(result) == {}


def test_an_address_naming_a_removed_group_shows_everyone(root, book):
    page = opened(root, "/customers?group=424242")
    result = run(page.on_load())
    assert page.group == ""
    assert len(page.rows) == 4
    assert written_address(result) == {}


def test_remove_all_trashes_only_the_filtered_customers(root, book, app_db):
    page = opened(root, f"/customers?group={book['vip']}")
    run(page.on_load())
    assert toast(run(page.remove_all())) == ("success", "2 customer(s) moved to Trash.")
    assert page.rows == []
    assert page.counts == {"individual": 0, "institution": 0, "trash": 2}
    run(page.clear_filters())
    assert names(page) == ["Cyd Lee", "Dee Lee"]


def test_a_signed_out_tab_learns_no_groups_or_tags(new_tab, book):
    page = opened(new_tab(None, token="stale"), f"/customers?group={book['vip']}")
    run(page.on_load())
    run(page.load_tag_options())
    assert (page.rows, page.groups, page.tag_options) == ([], [], [])


def test_previous_and_next_on_a_customer_page_follow_the_filtered_list(root, book):
    run(opened(root, "/customers?tag=wholesale").on_load())
    opened(root, f"/customers/{book['Ann']}")  # a name in the list was clicked
    customer = root.get_substate(CustomerDetailState._get_substate_path())
    run(customer.on_load())
    assert customer.header["name"] == "Ann Lee"
    assert (customer.previous_id, customer.next_id) == ("", str(book["Cyd"]))  # Bob is not tagged wholesale


def address_script(result) -> str:
    """The script a handler sent to write the address bar."""
    events = result if isinstance(result, list) else [result]
    return next(e.args[0][1]._var_value for e in reversed(events) if "history." in str(e.args))


def test_opening_corrects_the_address_only_while_the_browser_still_shows_the_one_it_opened(root, book):
    page = opened(root, "/customers?tab=everything&q=ann&page=-4")
    result = run(page.on_load())
    assert written_address(result) == {"q": ["ann"]}
    assert "replaceState" in address_script(result)
    # A second Back before this arrives must not have its step overwritten with this view.
    assert 'window.location.search === "?tab=everything&q=ann&page=-4"' in address_script(result)


def test_choosing_adds_a_step_to_the_history_and_typing_does_not(root, book):
    page = opened(root)
    run(page.on_load())
    assert "pushState" in address_script(run(page.set_tab("trash")))
    assert "pushState" in address_script(run(page.toggle_sort("email")))
    assert "pushState" in address_script(run(page.set_group(str(book["vip"]))))
    typed = run(page.set_search("ann"))
    assert "replaceState" in address_script(typed)
    assert written_address(typed) == {"tab": ["trash"], "q": ["ann"], "sort": ["email"], "group": [str(book["vip"])]}
