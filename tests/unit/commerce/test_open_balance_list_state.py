"""The customers page's Open balance column and "With open balance" filter, driven through its handlers."""

import pytest

from customer_app.commerce import open_balances  # noqa: F401  (adds the column and the filter, as the app does)
from tests.unit.commerce.test_documents import clean_rules, standard_rate  # noqa: F401  (clean_rules is autouse)
from tests.unit.commerce.test_payments import issued_invoice, pay
from tests.unit.customers.test_list_filters_state import names, opened, written_address
from tests.unit.reflex_helpers import run


@pytest.fixture
def root(new_tab, staff_user):
    return new_tab(staff_user)


@pytest.fixture
def owing(session, add, staff):
    """Ann owes €119.00, Bob paid his invoice in full, Cyd was never invoiced."""
    standard_rate(session, "19")
    ann, bob = add(first_name="Ann", last_name="Lee"), add(first_name="Bob", last_name="Lee")
    add(first_name="Cyd", last_name="Lee")
    issued_invoice(session, staff, ann.id, "100")
    paid = issued_invoice(session, staff, bob.id, "10")
    pay(session, staff, bob.id, "11.90", {paid.id: "11.90"})
    return ann


def balances_shown(page) -> dict[str, str]:
    return {row["name"]: row["open_balance"] for row in page.rows}


def test_the_list_shows_each_customers_open_balance_and_nothing_for_those_who_owe_nothing(root, owing):
    page = opened(root)
    run(page.on_load())
    assert balances_shown(page) == {"Ann Lee": "€119.00", "Bob Lee": "", "Cyd Lee": ""}


def test_ticking_with_open_balance_filters_the_list_and_writes_the_address(root, owing):
    page = opened(root)
    run(page.on_load())
    result = run(page.toggle_flag("open_balance"))
    assert names(page) == ["Ann Lee"]
    assert page.counts["individual"] == 1
    assert (page.filtered, page.filter_summary) == (True, "with open balance")
    assert written_address(result) == {"open_balance": ["1"]}
    result = run(page.toggle_flag("open_balance"))  # unticked: everyone again
    assert len(page.rows) == 3
    assert written_address(result) == {}


def test_a_shared_address_opens_the_list_filtered_by_open_balance_and_clear_filters_drops_it(root, owing):
    page = opened(root, "/customers?open_balance=1&tag=")
    run(page.on_load())
    assert names(page) == ["Ann Lee"]
    result = run(page.clear_filters())
    assert (len(page.rows), page.flags_on, page.filtered) == (3, [], False)
    assert written_address(result) == {}


def test_a_filter_no_package_added_changes_nothing(root, owing):
    page = opened(root)
    run(page.on_load())
    run(page.toggle_flag("<script>"))  # any client can send anything
    assert (page.flags_on, len(page.rows)) == ([], 3)
