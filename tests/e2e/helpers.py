"""Small actions a staff member repeats in the customers page."""

import io
from datetime import date

from PIL import Image
from playwright.sync_api import Page, expect

from customer_app.commerce import taxes
from customer_app.core.db import session_scope
from customer_app.core.permissions import Actor, Role


def jpeg_bytes(color=(200, 60, 60)) -> bytes:
    """A small real JPEG."""
    buffer = io.BytesIO()
    Image.new("RGB", (320, 240), color).save(buffer, "JPEG")
    return buffer.getvalue()


def dialog(page: Page):
    """The open customer pop-up."""
    return page.get_by_role("dialog")


def create_individual(page: Page, first: str, last: str, email: str, phone: str = "") -> None:
    """Fill and save the individual form from New Customer."""
    page.get_by_role("button", name="New Customer").first.click()
    form = dialog(page)
    form.get_by_label("First name").fill(first)
    form.get_by_label("Last name").fill(last)
    form.get_by_label("Email").fill(email)
    if phone:
        form.get_by_label("Phone", exact=True).fill(phone)
    form.get_by_role("button", name="Save").click()
    expect(form).to_be_hidden()


def search(page: Page, term: str) -> None:
    """Type into the search box and wait until the results answer that search."""
    page.get_by_label("Search customers").fill(term)
    expect(page.locator(".results")).to_have_attribute("data-search", term)


def rows(page: Page):
    """The table's data rows."""
    return page.get_by_test_id("customer-row")


def open_tab(page: Page, label: str) -> None:
    """Switch the list to a tab and wait until the rows are that tab's."""
    values = {"Individuals": "individual", "Institutions": "institution", "Trash": "trash"}
    page.get_by_role("tab", name=label).click()
    expect(page.locator(".results")).to_have_attribute("data-tab", values[label])


def standard_rule(country: str, percent: str) -> None:
    """A rate for standard customers buying standard items delivered to `country`, as an admin sets it (an earlier
    rule for that country is replaced)."""
    actor = Actor(id=0, email="setup@example.com", name="Setup", role=Role.ADMIN)
    with session_scope() as session:
        rate = taxes.add_rate(f"VAT {percent} %", percent, date(2000, 1, 1), actor=actor, session=session)
        customer_class = taxes.standard_class("customer", session=session)
        item_class = taxes.standard_class("item", session=session)
        assert customer_class is not None
        assert item_class is not None
        taxes.add_rule(customer_class.id, item_class.id, country, rate.id, actor=actor, session=session)
