"""The document editor and the Shipping tab as staff use them: the customer's shipping method chosen on the Shipping
tab and taken by a new invoice, a line's quantity changed in place with the total following as one types, a bad price
refused with its message while what was typed stays, and lines moved up."""

from playwright.sync_api import Browser, expect

from customer_app.core.db import session_scope
from customer_app.core.permissions import Actor, Role
from customer_app.customers.customers import create_customer
from customer_app.customers.validation import validate_customer
from customer_app.records.addresses import save_address
from tests.e2e.conftest import signed_in_context
from tests.e2e.helpers import standard_rule

SETUP = Actor(id=0, email="setup@example.com", name="Setup", role=Role.ADMIN)


def test_a_draft_is_edited_in_place_and_takes_the_shipping_tabs_method(browser: Browser, app_url: str):
    with session_scope() as session:
        raw = {"kind": "institution", "name": "Fjord Ferjer AS", "email": "post@fjord.example"}
        firm = create_customer(validate_customer(raw, phone_region="US"), actor=SETUP, session=session)
        address = {"kind": "billing", "street": "Karl Johans gate 3", "city": "Oslo", "postal_code": "0154"}
        save_address(firm.id, address | {"country_code": "NO", "is_default": True}, actor=SETUP, session=session)
        firm_id = firm.id
    standard_rule("NO", "25")  # a country no other browser test gives a rule
    page = signed_in_context(browser, "staff").new_page()
    page.goto(f"{app_url}/customers/{firm_id}?tab=shipping")
    expect(page.get_by_label("Shipping address")).to_contain_text("Karl Johans gate 3")
    page.get_by_label("Shipping method").select_option(label="Courier")
    page.get_by_label("Delivery instructions").fill("Ferry terminal, gate 2")
    page.get_by_role("button", name="Save shipping").click()
    expect(page.get_by_text("Shipping saved.")).to_be_visible()

    page.get_by_role("button", name="New document").click()
    page.get_by_role("menuitem", name="Invoice").click()
    editor = page.get_by_role("dialog")
    expect(editor.get_by_label("Shipping method").locator("option:checked")).to_have_text("Courier")
    for description, price in (("Consulting", "100"), ("Travel", "40")):
        editor.get_by_role("textbox", name="Description", exact=True).fill(description)
        editor.get_by_label("Quantity", exact=True).fill("1" if description == "Travel" else "3")
        editor.get_by_label("Unit price", exact=True).fill(price)
        editor.get_by_role("button", name="Add line").click()
        expect(editor.get_by_label(f"Description of {description}")).to_have_value(description)
    total = editor.get_by_test_id("document-total")
    expect(total).to_contain_text("€425.00")  # (300 + 40) × 1.25

    editor.get_by_label("Quantity of Consulting").fill("5")  # saved after a pause in typing
    expect(total).to_contain_text("€675.00")  # (500 + 40) × 1.25
    expect(editor.get_by_test_id("line-net").first).to_have_text("€500.00")

    travel_price = editor.get_by_label("Unit price of Travel")
    travel_price.fill("forty")
    expect(editor.get_by_role("alert").filter(has_text="enter a number")).to_be_visible()
    expect(travel_price).to_have_value("forty")  # what was typed stays, to be corrected
    expect(total).to_contain_text("€675.00")

    editor.get_by_role("button", name="Move Travel up").click()
    lines = editor.get_by_test_id("document-line")
    expect(lines.first.get_by_role("textbox").first).to_have_value("Travel")
    expect(lines.nth(1).get_by_role("textbox").first).to_have_value("Consulting")
    expect(editor.get_by_role("button", name="Move Travel up")).to_be_disabled()
    travel_price.fill("50")
    expect(total).to_contain_text("€687.50")  # (500 + 50) × 1.25
    page.context.close()
