"""The Invoices tab as staff use it: an issued invoice paid in part (Partially paid, with what is left), then in full
(Paid, gone from the Open filter), then refunded (Refunded), and the payments and the refund in the Payments tab."""

from playwright.sync_api import Browser, expect

from customer_app.commerce import documents
from customer_app.core.db import session_scope
from customer_app.core.permissions import Actor, Role
from customer_app.customers.customers import create_customer
from customer_app.customers.validation import validate_customer
from customer_app.records.addresses import save_address
from tests.e2e.conftest import signed_in_context
from tests.e2e.helpers import standard_rule

SETUP = Actor(id=0, email="setup@example.com", name="Setup", role=Role.ADMIN)


def issued_invoice(name: str = "Werft Süd AG", email: str = "kasse@werft.example") -> tuple[int, str]:
    """A customer in Hamburg with an issued invoice of €119.00; their id and the invoice's number."""
    standard_rule("DE", "19")
    with session_scope() as session:
        raw = {"kind": "institution", "name": name, "email": email}
        werft = create_customer(validate_customer(raw, phone_region="US"), actor=SETUP, session=session)
        address = {
            "kind": "billing",
            "street": "Kehrwieder 2",
            "city": "Hamburg",
            "postal_code": "20457",
            "country_code": "DE",
            "is_default": True,
        }
        save_address(werft.id, address, actor=SETUP, session=session)
        draft = documents.new_draft(werft.id, "invoice", actor=SETUP, session=session)
        documents.add_line(draft.id, "Beratung", "1", "100", actor=SETUP, session=session)
        invoice = documents.issue(draft.id, actor=SETUP, session=session)
        return werft.id, str(invoice.number)


def test_an_invoice_paid_in_part_then_in_full_then_refunded_moves_open_paid_refunded(browser: Browser, app_url: str):
    werft_id, number = issued_invoice()
    page = signed_in_context(browser, "staff").new_page()
    page.goto(f"{app_url}/customers/{werft_id}?tab=invoices")
    row = page.get_by_test_id("invoice-row")
    expect(row).to_contain_text(number)
    expect(row).to_contain_text("Open")
    expect(row.get_by_test_id("invoice-balance")).to_have_text("€119.00")

    row.get_by_role("button", name=f"Record payment for {number}").click()
    dialog = page.get_by_role("dialog")
    expect(dialog.get_by_label("Amount")).to_have_value("119.00")  # the balance, by default
    dialog.get_by_label("Amount").fill("50,00")
    dialog.get_by_label("Reference").fill("Überweisung 1")
    dialog.get_by_role("button", name="Save").click()
    expect(dialog).to_be_hidden()
    expect(row).to_contain_text("Partially paid")
    expect(row.get_by_test_id("invoice-balance")).to_have_text("€69.00")

    row.get_by_role("button", name=f"Record payment for {number}").click()
    expect(dialog.get_by_label("Amount")).to_have_value("69.00")
    dialog.get_by_role("button", name="Save").click()
    expect(page.get_by_text("No invoices here.")).to_be_visible()  # paid: no longer open

    page.get_by_label("Show", exact=True).select_option("paid")
    expect(row).to_contain_text("Paid")
    expect(row.get_by_test_id("invoice-balance")).to_have_text("€0.00")

    row.get_by_role("button", name=f"Refund on {number}").click()
    expect(dialog.get_by_label("Amount")).to_have_value("119.00")  # everything paid, by default
    dialog.get_by_role("button", name="Record refund").click()
    expect(dialog).to_be_hidden()
    expect(page.get_by_text("No invoices here.")).to_be_visible()  # refunded: no longer in Paid
    page.get_by_label("Show", exact=True).select_option("refunded")
    expect(row).to_contain_text("Refunded")
    expect(row.get_by_role("button", name=f"Refund on {number}")).to_have_count(0)  # nothing left to refund

    page.goto(f"{app_url}/customers/{werft_id}?tab=payments")
    expect(page.get_by_test_id("payment-row")).to_have_count(3)
    expect(page.get_by_test_id("payment-row").filter(has_text="Refund")).to_have_count(1)
    expect(page.get_by_text("Nothing to pay.")).to_be_visible()
    page.context.close()


def test_changing_the_currency_asks_first_and_says_what_keeps_euros(browser: Browser, app_url: str):
    werft_id, _ = issued_invoice("Werft Nord AG", "kasse@nordwerft.example")
    page = signed_in_context(browser, "staff").new_page()
    page.goto(f"{app_url}/customers/{werft_id}?tab=sales_tax")
    currency = page.get_by_label("Currency")
    expect(currency).to_have_value("EUR")
    currency.fill("CHF")
    page.get_by_role("button", name="Save sales settings").click()
    question = page.get_by_role("alertdialog")
    expect(question).to_contain_text("Change the currency to CHF?")
    expect(question).to_contain_text("1 open EUR invoice (€119.00) keeps EUR; new documents use CHF.")
    question.get_by_role("button", name="Keep EUR").click()
    expect(question).to_be_hidden()

    page.reload()
    expect(page.get_by_label("Currency")).to_have_value("EUR")  # nothing changed without the answer
    page.get_by_label("Currency").fill("CHF")
    page.get_by_role("button", name="Save sales settings").click()
    question.get_by_role("button", name="Change currency").click()
    expect(page.get_by_text("new documents use CHF.")).to_be_visible()  # the toast says it again
    page.reload()
    expect(page.get_by_label("Currency")).to_have_value("CHF")
    page.context.close()


def test_choosing_another_currency_fills_in_amount_and_rate_and_keeps_what_was_typed(browser: Browser, app_url: str):
    werft_id, number = issued_invoice("Werft West AG", "kasse@westwerft.example")
    page = signed_in_context(browser, "staff").new_page()
    page.goto(f"{app_url}/customers/{werft_id}?tab=invoices")
    page.get_by_role("button", name=f"Record payment for {number}").click()
    dialog = page.get_by_role("dialog")
    dialog.get_by_label("Reference").fill("Wire 42")
    dialog.get_by_label("Currency").select_option("USD")
    rate = dialog.get_by_label("Exchange rate: 1 EUR = ? USD")
    expect(rate).not_to_have_value("")  # the table's rate, filled in
    expect(dialog.get_by_label("Amount (USD)")).not_to_have_value("119.00")
    expect(dialog.get_by_label("Reference")).to_have_value("Wire 42")  # what was typed stays
    dialog.get_by_role("button", name="Save").click()
    expect(dialog).to_be_hidden()
    expect(page.get_by_text("No invoices here.")).to_be_visible()  # the USD payment settled the EUR invoice
    page.context.close()
