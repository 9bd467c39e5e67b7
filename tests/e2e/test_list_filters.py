"""Filtering the customers list by group and by tag, as a staff member does it, and clearing the filters."""

import re

from playwright.sync_api import Browser, expect

from customer_app.core.db import session_scope
from customer_app.core.permissions import Actor, Role
from customer_app.customers.customers import create_customer
from customer_app.customers.models import CustomerGroup, CustomerGroupMember, CustomerTag
from customer_app.customers.validation import validate_customer
from tests.e2e.conftest import open_customers
from tests.e2e.helpers import rows, search

SEEDER = Actor(id=0, email="seed@e2e.example", name="Seed", role=Role.ADMIN)
GROUP = "Partners E2E"


def seed() -> None:
    """Alpha and Beta in the group; Alpha and Gamma tagged wholesale (spelled differently); Delta in neither."""
    with session_scope() as session:
        group = CustomerGroup(name=GROUP)
        session.add(group)
        session.flush()
        people = {}
        for name in ("Alpha", "Beta", "Gamma", "Delta"):
            raw = {"first_name": "Filter", "last_name": name, "email": f"{name.lower()}@filters.example"}
            people[name] = create_customer(validate_customer(raw, phone_region="US"), actor=SEEDER, session=session)
        session.add_all(CustomerGroupMember(customer_id=people[n].id, group_id=group.id) for n in ("Alpha", "Beta"))
        tags = (("Alpha", "Wholesale"), ("Gamma", "WHOLESALE"), ("Beta", "retail"))
        session.add_all(CustomerTag(customer_id=people[n].id, tag=t) for n, t in tags)


def names(page):
    """The customer names the table shows."""
    return rows(page).get_by_role("link")


def test_filter_by_group_and_tag_share_the_link_and_clear(browser: Browser, app_url: str):
    seed()
    page = open_customers(browser, app_url, role="staff")
    group, tag = page.get_by_label("Group", exact=True), page.get_by_label("Tag", exact=True)
    search(page, "filter")  # only this test's customers (the app is shared with the other tests)
    expect(names(page)).to_have_count(4)

    group.select_option(label=GROUP)
    expect(names(page)).to_have_text(["Filter Alpha", "Filter Beta"])
    expect(page.get_by_role("group", name="Active filters")).to_contain_text(f"Group: {GROUP}")
    expect(page.get_by_role("tab", name="Individuals")).to_contain_text("2")
    expect(page).to_have_url(re.compile(r"\?q=filter&group=\d+$"))  # the search is part of the view

    tag.fill("wholesale")  # a tag in use filters as soon as it is typed
    expect(names(page)).to_have_text(["Filter Alpha"])
    expect(page.get_by_role("group", name="Active filters")).to_contain_text("Tag: wholesale")
    expect(page).to_have_url(re.compile(r"\?q=filter&group=\d+&tag=wholesale$"))

    page.reload()  # the address keeps the filters and the search: the link can be shared
    expect(names(page)).to_have_text(["Filter Alpha"])
    expect(page.get_by_label("Search customers")).to_have_value("filter")
    expect(group).to_have_value(re.compile(r"^\d+$"))
    expect(tag).to_have_value("wholesale")

    page.get_by_role("button", name="Remove group filter").click()
    expect(names(page)).to_have_text(["Filter Alpha", "Filter Gamma"])  # either spelling of the tag
    expect(group).to_have_value("")

    tag.fill("no-such-tag")
    tag.press("Enter")  # any tag, in use or not, on Enter
    empty = page.locator(".empty-state")
    expect(empty).to_contain_text("No customers in this tab match the filters (tag “no-such-tag”)")
    empty.get_by_role("button", name="Clear filters").click()
    expect(names(page)).to_have_text(["Filter Alpha", "Filter Beta", "Filter Delta", "Filter Gamma"])
    expect(page.get_by_role("group", name="Active filters")).to_have_count(0)
    expect(tag).to_have_value("")
    expect(page).to_have_url(re.compile(r"/customers\?q=filter$"))
    page.context.close()
