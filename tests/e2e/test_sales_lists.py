"""The settings page's income accounts and shipping methods as an admin uses them: an account added, changed in its
pop-up and retired; one in use offers no delete; a shipping method added, renamed and retired."""

from playwright.sync_api import Browser, expect

from customer_app.commerce import income_accounts, shipping
from customer_app.core.db import session_scope
from customer_app.core.permissions import Actor, Role
from customer_app.customers.customers import create_customer
from customer_app.customers.validation import validate_customer
from tests.e2e.conftest import signed_in_context

SETUP = Actor(id=0, email="setup@example.com", name="Setup", role=Role.ADMIN)


def test_an_admin_keeps_the_income_accounts_and_shipping_methods(browser: Browser, app_url: str):
    with session_scope() as session:
        raw = {"kind": "institution", "name": "Konto Nutzer AG", "email": "konto@nutzer.example"}
        user = create_customer(validate_customer(raw, phone_region="US"), actor=SETUP, session=session)
        income_accounts.set_customer_account(user.id, 3, actor=SETUP, session=session)  # 4900 is in use
    page = signed_in_context(browser, "admin").new_page()
    page.goto(f"{app_url}/admin/settings")
    accounts = page.get_by_test_id("income-account")
    expect(accounts).to_have_count(3)
    expect(page.get_by_role("button", name="Delete Other income")).to_have_count(0)  # used: retire only
    page.get_by_label("Code", exact=True).fill("4100")
    page.get_by_label("Account name").fill("Spare parts")
    page.get_by_role("button", name="Add account").click()
    expect(accounts.filter(has_text="4100")).to_contain_text("Spare parts")
    page.get_by_label("Code", exact=True).fill("4000")
    page.get_by_label("Account name").fill("Twice")
    page.get_by_role("button", name="Add account").click()
    expect(page.get_by_role("alert").filter(has_text="4000 is already Sales of goods.")).to_be_visible()

    page.get_by_role("button", name="Change Spare parts").click()
    dialog = page.get_by_role("dialog")
    dialog.get_by_label("Account name").fill("Spare parts and tools")
    dialog.get_by_role("button", name="Save").click()
    expect(accounts.filter(has_text="4100")).to_contain_text("Spare parts and tools")
    page.get_by_role("button", name="Retire Spare parts and tools").click()
    expect(accounts.filter(has_text="4100")).to_contain_text("Retired")

    page.get_by_label("New shipping method").fill("Freight")
    page.get_by_role("button", name="Add method").click()
    methods = page.get_by_test_id("shipping-method")
    expect(methods.filter(has_text="Freight")).to_be_visible()
    page.get_by_role("button", name="Rename Freight").click()
    page.get_by_role("dialog").get_by_label("Name").fill("Freight forwarder")
    page.get_by_role("dialog").get_by_role("button", name="Save").click()
    page.get_by_role("button", name="Retire Freight forwarder").click()
    expect(methods.filter(has_text="Freight forwarder")).to_contain_text("Retired")
    page.context.close()
    with session_scope() as session:  # other browser tests see the seeded lists only
        for account in income_accounts.accounts(actor=SETUP, session=session):
            if account.code == "4100":
                session.delete(account)
        for method in shipping.methods(actor=SETUP, session=session):
            if method.name == "Freight forwarder":
                session.delete(method)
