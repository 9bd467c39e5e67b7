"""Exchange rates as an admin and staff use them: a rate typed on the settings page is the one a draft in that
currency shows; a draft whose currency has only an old rate says so before it is issued."""

from datetime import date

from playwright.sync_api import Browser, expect
from sqlmodel import col, delete

from customer_app.commerce.models import CustomerSales, ExchangeRate
from customer_app.commerce.rates import day_label
from customer_app.core.db import session_scope
from tests.e2e.conftest import signed_in_context
from tests.e2e.test_customer_detail import make_customer


def in_currency(customer_id: int, currency: str) -> None:
    with session_scope() as session:
        session.add(CustomerSales(customer_id=customer_id, currency=currency))


def new_invoice(page, app_url: str, customer_id: int):
    page.goto(f"{app_url}/customers/{customer_id}")
    page.get_by_role("button", name="New document").click()
    page.get_by_role("menuitem", name="Invoice").click()
    return page.get_by_role("dialog")


def test_a_typed_rate_shows_on_a_draft_and_an_old_one_is_flagged(browser: Browser, app_url: str):
    swiss, american = make_customer("Heidi", "Franc"), make_customer("Sam", "Dollar")
    in_currency(swiss, "CHF")
    in_currency(american, "USD")
    admin = signed_in_context(browser, "admin").new_page()
    try:
        admin.goto(f"{app_url}/admin/settings")
        expect(admin.get_by_test_id("exchange-rate").filter(has_text="USD")).to_contain_text("1.1172")
        admin.get_by_label("Currency", exact=True).fill("CHF")
        admin.get_by_label("Day", exact=True).fill(date.today().isoformat())
        admin.get_by_label("Units per euro").fill("0,9312")
        admin.get_by_role("button", name="Add exchange rate").click()
        expect(admin.get_by_test_id("exchange-rate").filter(has_text="CHF")).to_contain_text("0.9312")

        staff = signed_in_context(browser, "staff").new_page()
        editor = new_invoice(staff, app_url, swiss)
        expect(editor.get_by_test_id("document-rate")).to_have_text(
            f"Exchange rate: 1 EUR = 0.9312 CHF, from {day_label(date.today())}"
        )
        expect(editor.get_by_test_id("document-rate-warning")).to_have_count(0)

        editor = new_invoice(staff, app_url, american)
        expect(editor.get_by_test_id("document-rate")).to_have_text(
            "Exchange rate: 1 EUR = 1.1172 USD, from 30 Oct 2026"
        )
        age = (date.today() - date(2026, 10, 30)).days
        expect(editor.get_by_test_id("document-rate-warning")).to_contain_text(
            f"The USD rate is from 30 Oct 2026, {age} days old: update rates in Settings before issuing."
        )
        staff.context.close()
    finally:
        admin.context.close()
        with session_scope() as session:  # the seeded rates stay for other tests
            session.exec(delete(ExchangeRate).where(col(ExchangeRate.source) != "ecb"))  # type: ignore[call-overload]
