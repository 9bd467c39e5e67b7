"""Admins define custom fields and groups on the settings page; staff fill the fields in on a customer's page."""

from playwright.sync_api import Browser, expect

from customer_app.core.db import session_scope
from customer_app.core.permissions import Actor, Role
from customer_app.customers.custom_fields import FieldDefinition, add_field, remove_field
from tests.e2e.conftest import open_customers, signed_in_context
from tests.e2e.helpers import rows, search
from tests.e2e.test_customer_detail import make_customer

SETUP = Actor(id=0, email="setup@example.com", name="Setup", role=Role.ADMIN)


def test_custom_fields_are_defined_then_filled_in_checked_by_type(browser: Browser, app_url: str):
    customer_id = make_customer("Custom", "Fielder")
    admin = signed_in_context(browser, "admin").new_page()
    admin.goto(f"{app_url}/admin/settings")
    for label, kind, choices in (
        ("Seats", "Number", ""),
        ("Tier", "Single choice", "Gold\nSilver"),
        ("Renewal", "Date", ""),
    ):
        admin.get_by_role("button", name="Add field").click()
        form = admin.get_by_role("dialog")
        form.get_by_label("Label").fill(label)
        form.get_by_label("Type").select_option(label=kind)
        if choices:
            form.get_by_label("Choices, one per line").fill(choices)
        form.get_by_role("button", name="Save").click()
        expect(form).to_be_hidden()
    expect(admin.get_by_test_id("custom-field")).to_have_count(3)
    expect(admin.get_by_test_id("custom-field").nth(1)).to_contain_text("Gold, Silver")

    admin.goto(f"{app_url}/customers/{customer_id}?tab=custom")
    admin.get_by_label("Seats").fill("lots")
    admin.get_by_role("button", name="Save custom fields").click()
    expect(admin.get_by_text("Enter a number like 1234.56.")).to_be_visible()
    admin.get_by_label("Seats").fill("1,250")
    admin.get_by_label("Tier").select_option("Gold")
    admin.get_by_label("Renewal").fill("2027-03-31")
    admin.get_by_role("button", name="Save custom fields").click()
    expect(admin.get_by_text("Custom fields saved.")).to_be_visible()
    admin.reload()
    expect(admin.get_by_label("Seats")).to_have_value("1250")
    expect(admin.get_by_label("Tier")).to_have_value("Gold")
    expect(admin.get_by_label("Renewal")).to_have_value("2027-03-31")

    reader = signed_in_context(browser, "read_only").new_page()
    reader.goto(f"{app_url}/customers/{customer_id}?tab=custom")
    panel = reader.get_by_role("tabpanel", name="Custom fields")
    expect(panel).to_contain_text("1250")
    expect(panel.get_by_role("button", name="Save custom fields")).to_have_count(0)

    admin.goto(f"{app_url}/admin/settings")
    admin.get_by_role("button", name="Remove Seats").click()
    confirm = admin.get_by_role("alertdialog")
    expect(confirm).to_contain_text("the values of 1 customers will be removed")
    confirm.get_by_role("button", name="Remove field").click()
    expect(admin.get_by_test_id("custom-field")).to_have_count(2)
    admin.context.close()
    reader.context.close()


def test_groups_are_renamed_and_removed_after_confirming(browser: Browser, app_url: str):
    page = signed_in_context(browser, "admin").new_page()
    page.goto(f"{app_url}/admin/settings")
    page.get_by_label("New group").fill("E2E Partners")
    page.get_by_role("button", name="Add group").click()
    expect(page.get_by_test_id("group").filter(has_text="E2E Partners")).to_be_visible()
    page.get_by_role("button", name="Rename E2E Partners").click()
    page.get_by_role("dialog").get_by_label("Name").fill("E2E Allies")
    page.get_by_role("dialog").get_by_role("button", name="Save").click()
    allies = page.get_by_test_id("group").filter(has_text="E2E Allies")
    expect(allies).to_be_visible()
    page.get_by_role("button", name="Remove E2E Allies").click()
    page.get_by_role("alertdialog").get_by_role("button", name="Remove group").click()
    expect(allies).to_have_count(0)
    page.context.close()


def test_staff_cannot_open_settings(browser: Browser, app_url: str):
    page = signed_in_context(browser, "staff").new_page()
    page.goto(f"{app_url}/admin/settings")
    expect(page.get_by_test_id("access-denied")).to_be_visible()
    expect(page.get_by_role("button", name="Add field")).to_have_count(0)
    page.context.close()


def test_a_new_customer_gets_custom_fields_in_the_pop_up(browser: Browser, app_url: str):
    with session_scope() as session:
        definition = FieldDefinition("Membership level", "choice", "individual", "Bronze\nPlatinum", required=True)
        field_id = add_field(definition, actor=SETUP, session=session).id
    try:
        page = open_customers(browser, app_url, "staff")
        page.get_by_role("button", name="New Customer").first.click()
        form = page.get_by_role("dialog")
        form.get_by_label("First name").fill("Popup")
        form.get_by_label("Last name").fill("Member")
        form.get_by_role("button", name="Save").click()
        expect(form.get_by_text("Fill in Membership level.")).to_be_visible()  # required, and nothing saved yet
        form.get_by_label("Membership level").select_option("Platinum")
        form.get_by_role("button", name="Save").click()
        expect(form).to_be_hidden()
        search(page, "popup member")
        rows(page).get_by_role("link", name="Popup Member").click()
        page.get_by_role("tab", name="Custom fields").click()
        expect(page.get_by_label("Membership level")).to_have_value("Platinum")
        page.context.close()
    finally:  # a required field would stop every later test that creates an individual
        with session_scope() as session:
            remove_field(field_id, actor=SETUP, session=session)
