"""The Sales tab as staff use it: an invoice started from the customer with its address filled in, lines totalled on
the server, a line no tax rule covers blocking the issue until a rule exists, then issued with its number."""

import re
from datetime import date

from playwright.sync_api import Browser, expect

from customer_app.core.db import session_scope
from customer_app.core.permissions import Actor, Role
from customer_app.customers.customers import create_customer
from customer_app.customers.validation import validate_customer
from customer_app.records.addresses import save_address
from tests.e2e.conftest import signed_in_context
from tests.e2e.helpers import standard_rule

SETUP = Actor(id=0, email="setup@example.com", name="Setup", role=Role.ADMIN)


def test_an_invoice_is_drafted_from_the_customer_totalled_and_issued(browser: Browser, app_url: str):
    with session_scope() as session:
        raw = {"kind": "institution", "name": "Kontor Wien GmbH", "email": "info@kontor.example"}
        kontor = create_customer(validate_customer(raw, phone_region="US"), actor=SETUP, session=session)
        address = {
            "kind": "billing",
            "street": "Hafenstraße 5",
            "city": "Wien",
            "postal_code": "1010",
            "country_code": "AT",
            "is_default": True,
        }
        save_address(kontor.id, address, actor=SETUP, session=session)
        kontor_id = kontor.id
    page = signed_in_context(browser, "staff").new_page()
    page.goto(f"{app_url}/customers/{kontor_id}")
    page.get_by_role("button", name="New document").click()  # the header's action, from any tab
    page.get_by_role("menuitem", name="Invoice").click()
    editor = page.get_by_role("dialog")
    expect(editor).to_contain_text("Hafenstraße 5")  # the billing address, copied in

    editor.get_by_role("textbox", name="Description", exact=True).fill("Beratung")
    editor.get_by_label("Quantity", exact=True).fill("3")
    editor.get_by_label("Unit price", exact=True).fill("100,00")
    editor.get_by_role("button", name="Add line").click()
    expect(editor.get_by_text("No tax rule covers “Beratung”")).to_be_visible()
    expect(editor.get_by_role("button", name="Issue")).to_be_disabled()

    standard_rule("AT", "20")  # an admin sets the standard rate
    editor.get_by_role("textbox", name="Description", exact=True).fill("Reisekosten")
    editor.get_by_label("Unit price", exact=True).fill("40")
    editor.get_by_role("button", name="Add line").click()
    expect(editor.get_by_test_id("document-total")).to_contain_text("€408.00")  # (300 + 40) × 1.20
    editor.get_by_role("button", name="Issue").click()
    expect(editor.get_by_role("heading")).to_contain_text(f"Invoice INV-{date.today().year}-")
    editor.get_by_role("button", name="Void").click()
    page.get_by_role("alertdialog").get_by_role("button", name="Void invoice").click()
    expect(editor.get_by_role("heading")).to_contain_text(f"Credit note CN-{date.today().year}-")
    expect(editor.get_by_test_id("document-total")).to_contain_text("-€408.00")
    editor.get_by_role("button", name="Close").click()
    rows = page.get_by_test_id("document-row")
    expect(rows).to_have_count(2)
    expect(rows.filter(has_text="Invoice")).to_contain_text("Cancelled")
    expect(rows.filter(has_text="Credit note")).to_contain_text("Issued")
    rows.filter(has_text="Invoice").get_by_role("button", name=re.compile("^Open INV-")).click()  # opens in place
    expect(editor.get_by_role("heading")).to_contain_text(f"Invoice INV-{date.today().year}-")
    expect(page).to_have_url(re.compile(r"tab=sales"))
    page.context.close()
