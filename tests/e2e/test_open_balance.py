"""The customers list's Open balance column and "With open balance" filter, as staff use them: a customer with an
issued invoice shows what they owe and is found by the filter; once they paid it all, both forget them."""

import re

from playwright.sync_api import Browser, expect

from customer_app.commerce import documents
from customer_app.core.db import session_scope
from customer_app.core.permissions import Actor, Role
from customer_app.customers.customers import create_customer
from customer_app.customers.validation import validate_customer
from customer_app.records.addresses import save_address
from tests.e2e.conftest import open_customers
from tests.e2e.helpers import rows, search, standard_rule

SETUP = Actor(id=0, email="setup@example.com", name="Setup", role=Role.ADMIN)


def seed() -> tuple[int, str]:
    """Olga owes €119.00 on an issued invoice, Nina was never invoiced; Olga's id and the invoice's number."""
    standard_rule("DE", "19")
    with session_scope() as session:
        made = {}
        for first in ("Olga", "Nina"):
            raw = {"first_name": first, "last_name": "Balance", "email": f"{first.lower()}@balance.example"}
            made[first] = create_customer(validate_customer(raw, phone_region="US"), actor=SETUP, session=session)
        address = {"kind": "billing", "street": "Kehrwieder 2", "city": "Hamburg", "postal_code": "20457"}
        address |= {"country_code": "DE", "is_default": True}
        save_address(made["Olga"].id, address, actor=SETUP, session=session)
        draft = documents.new_draft(made["Olga"].id, "invoice", actor=SETUP, session=session)
        documents.add_line(draft.id, "Beratung", "1", "100", actor=SETUP, session=session)
        return made["Olga"].id, str(documents.issue(draft.id, actor=SETUP, session=session).number)


def test_the_list_shows_an_open_balance_finds_it_by_the_filter_and_forgets_it_once_paid(browser: Browser, app_url):
    olga_id, number = seed()
    page = open_customers(browser, app_url, role="staff")
    search(page, "balance")  # only this test's customers (the app is shared with the other tests)
    expect(rows(page)).to_have_count(2)
    olga, nina = rows(page).filter(has_text="Olga Balance"), rows(page).filter(has_text="Nina Balance")
    expect(page.get_by_role("columnheader", name="Open balance")).to_be_visible()
    expect(olga).to_contain_text("€119.00")
    expect(nina).not_to_contain_text("€")

    page.get_by_role("checkbox", name="With open balance").click()  # ticked once the server filtered (a controlled box)
    expect(page.get_by_role("checkbox", name="With open balance")).to_be_checked()
    expect(rows(page)).to_have_count(1)
    expect(rows(page)).to_contain_text("Olga Balance")
    expect(page.get_by_role("group", name="Active filters")).to_contain_text("With open balance")
    expect(page).to_have_url(re.compile(r"\?q=balance&open_balance=1$"))  # the search is part of the view

    page.goto(f"{app_url}/customers/{olga_id}?tab=invoices")  # she pays the whole invoice
    page.get_by_role("button", name=f"Record payment for {number}").click()
    dialog = page.get_by_role("dialog")
    expect(dialog.get_by_label("Amount")).to_have_value("119.00")
    dialog.get_by_role("button", name="Save").click()
    expect(page.get_by_text("No invoices here.")).to_be_visible()

    page.goto(f"{app_url}/customers?open_balance=1")
    search(page, "balance")
    expect(page.get_by_text(re.compile("No customers in this tab match the filters"))).to_be_visible()
    page.get_by_role("button", name="Remove filter with open balance").click()
    expect(rows(page)).to_have_count(2)
    expect(rows(page).filter(has_text="Olga Balance")).not_to_contain_text("€")
    page.context.close()
