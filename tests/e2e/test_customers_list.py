"""Finding customers: search, sort and pages, as a staff member sees them."""

import re

from playwright.sync_api import Page, expect

from customer_app.core.db import session_scope
from customer_app.core.permissions import Actor, Role
from customer_app.customers.customers import create_customer
from customer_app.customers.validation import validate_customer
from tests.e2e.helpers import rows, search

SEEDER = Actor(id=0, email="seed@e2e.example", name="Seed", role=Role.ADMIN)


def seed(last_name: str, count: int) -> None:
    """Add `count` individuals sharing a last name, straight through the service layer."""
    with session_scope() as session:
        for n in range(count):
            data = validate_customer(
                {
                    "first_name": f"P{n:03d}",
                    "last_name": last_name,
                    "email": f"p{n:03d}.{last_name.lower()}@example.com",
                    "company_name": f"Firm {count - n:03d}",
                },
                phone_region="US",
            )
            create_customer(data, actor=SEEDER, session=session)


def test_search_sort_and_paginate(page: Page):
    seed("Pagewalker", 60)
    page.reload()
    search(page, "pagewalker")
    expect(page.get_by_text("1–25 of 60")).to_be_visible()
    expect(rows(page)).to_have_count(25)
    expect(rows(page).first).to_contain_text("P000 Pagewalker")

    page.get_by_role("button", name="Next page").click()
    expect(page.get_by_text("26–50 of 60")).to_be_visible()
    expect(rows(page).first).to_contain_text("P025 Pagewalker")
    page.get_by_role("button", name="Last page").click()
    expect(page.get_by_text("51–60 of 60")).to_be_visible()
    expect(rows(page)).to_have_count(10)

    page.get_by_label("Rows per page").select_option("100")
    expect(rows(page)).to_have_count(60)

    page.get_by_role("button", name=re.compile("^Name")).click()  # second click on the active sort: descending
    expect(rows(page).first).to_contain_text("P059 Pagewalker")
    page.get_by_role("button", name=re.compile("^Company")).click()
    expect(rows(page).first).to_contain_text("Firm 001")

    search(page, "p007.pagewalker@")
    expect(rows(page)).to_have_count(1)
    expect(rows(page).first).to_contain_text("P007 Pagewalker")


def test_search_with_no_match_offers_to_clear(page: Page):
    search(page, "zzqx-nobody-has-this")
    expect(page.get_by_text("No customers match")).to_be_visible()
    page.get_by_role("button", name="Clear search").click()
    expect(page.get_by_label("Search customers")).to_have_value("")
