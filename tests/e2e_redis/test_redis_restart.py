"""Redis restarts while staff have customers pages open: saves land where they belong, or say plainly they did not."""

import re

import redis
from playwright.sync_api import Browser, Page, expect
from sqlmodel import select

from customer_app.access.state.auth import STATE_LOST
from customer_app.core.db import session_scope
from customer_app.customers.models import Customer
from customer_app.errors import FORM_LOST, UNEXPECTED
from tests.e2e.browsing import open_customers, signed_in_context
from tests.e2e.helpers import create_individual, dialog, rows, search
from tests.redis_server import RedisServer


def stored(first_name: str) -> list[tuple[int, str, str, int]]:
    """Every customer (Trash too) with this first name: id, last name, e-mail and version."""
    with session_scope() as session:
        found = session.exec(select(Customer).where(Customer.first_name == first_name).order_by(Customer.id)).all()
        return [(c.id, c.last_name or "", c.email or "", c.version) for c in found]


def two_pages_editing(browser: Browser, app_url: str, first: str, last: str) -> tuple[Page, Page]:
    """Page A with the customer open in the edit pop-up, page B listing it; both searching for its last name."""
    writer, viewer = open_customers(browser, app_url), open_customers(browser, app_url)
    create_individual(writer, first, last, f"{first}.{last}@example.com".lower())
    for page in (writer, viewer):
        search(page, last.lower())
        expect(rows(page).filter(has_text=f"{first} {last}")).to_have_count(1)
    rows(writer).first.get_by_role("button", name="Edit").click()
    expect(dialog(writer).get_by_label("Last name")).to_have_value(last)
    return writer, viewer


def still_signed_in(page: Page) -> None:
    """On the customers page with its list, as the same person (never sent away to sign in)."""
    expect(page).to_have_url(re.compile(r"/customers(\?q=[a-z]+)?$"))  # the list (its search kept in the address)
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()
    expect(page.locator(".results")).to_have_attribute("data-loaded", "true")


def test_a_save_after_a_restart_that_kept_the_data_updates_the_customer_everywhere(
    browser: Browser, app_url: str, keeping_redis: RedisServer
):
    writer, viewer = two_pages_editing(browser, app_url, "Rhea", "Restart")
    try:
        [(customer_id, _, email, _)] = stored("Rhea")
        dialog(writer).get_by_label("Last name").fill("Restarted")

        keeping_redis.restart(keep=True)
        dialog(writer).get_by_role("button", name="Save").click()

        expect(writer.get_by_text("Changes saved.")).to_be_visible()
        expect(dialog(writer)).to_be_hidden()
        assert stored("Rhea") == [(customer_id, "Restarted", email, 2)]  # the same customer, changed once
        expect(rows(viewer).filter(has_text="Rhea Restarted")).to_have_count(1)  # live, without a reload
        for page in (writer, viewer):
            still_signed_in(page)
    finally:
        writer.context.close()
        viewer.context.close()


def test_a_save_while_redis_is_down_changes_nothing_says_so_and_works_once_it_is_back(
    browser: Browser, app_url: str, keeping_redis: RedisServer
):
    writer, viewer = two_pages_editing(browser, app_url, "Dora", "Down")
    try:
        before = stored("Dora")
        form = dialog(writer)
        form.get_by_label("Last name").fill("Downtime")

        keeping_redis.stop()
        form.get_by_role("button", name="Save").click()
        expect(writer.get_by_text(UNEXPECTED)).to_be_visible()
        expect(form.get_by_label("Last name")).to_have_value("Downtime")  # the pop-up stays, as typed
        assert stored("Dora") == before

        keeping_redis.start(keep=True)
        form.get_by_role("button", name="Save").click()
        expect(writer.get_by_text("Changes saved.")).to_be_visible()
        [(customer_id, _, email, _)] = before
        assert stored("Dora") == [(customer_id, "Downtime", email, 2)]
        expect(rows(viewer).filter(has_text="Dora Downtime")).to_have_count(1)
    finally:
        writer.context.close()
        viewer.context.close()


def test_after_a_restart_that_lost_every_state_open_pages_read_afresh_say_so_and_stay_live(
    browser: Browser, app_url: str, redis_server: RedisServer
):
    writer, viewer = two_pages_editing(browser, app_url, "Lena", "Lost")
    [(customer_id, _, email, _)] = before = stored("Lena")
    reader = signed_in_context(browser).new_page()  # and a third person on the customer's own page
    reader.goto(f"{app_url}/customers/{customer_id}?tab=notes")
    expect(reader.get_by_role("heading", name="Lena Lost")).to_be_visible()
    try:
        form = dialog(writer)
        form.get_by_label("Last name").fill("Changed")
        form.get_by_label("Email").fill("lena.changed@example.com")

        redis_server.restart(keep=False)

        for page in (writer, viewer, reader):  # each page notices by itself, without anyone touching it
            expect(page.get_by_text(STATE_LOST)).to_be_visible()
        expect(form).to_be_hidden()  # its customer and version went with the server's copy: it cannot be saved
        assert stored("Lena") == before  # nothing half-written, no second customer
        for page in (writer, viewer):
            still_signed_in(page)
        expect(reader).to_have_url(re.compile(rf"/customers/{customer_id}\?tab=notes$"))
        expect(reader.get_by_role("tab", name="Notes")).to_have_attribute("aria-selected", "true")

        # The person opens the customer again and saves; the other pages see it at once.
        search(writer, "lost")
        rows(writer).first.get_by_role("button", name="Edit").click()
        dialog(writer).get_by_label("Last name").fill("Changed")
        dialog(writer).get_by_role("button", name="Save").click()
        expect(writer.get_by_text("Changes saved.")).to_be_visible()
        assert stored("Lena") == [(customer_id, "Changed", email, 2)]
        expect(rows(viewer).filter(has_text="Lena Changed")).to_have_count(1)
        expect(reader.get_by_role("heading", name="Lena Changed")).to_be_visible()
    finally:
        for page in (writer, viewer, reader):
            page.context.close()


def test_a_pop_up_whose_state_alone_expired_never_saves_its_edit_as_a_new_customer(
    browser: Browser, app_url: str, redis_server: RedisServer
):
    writer, viewer = two_pages_editing(browser, app_url, "Esme", "Expired")
    try:
        before = stored("Esme")
        form = dialog(writer)
        form.get_by_label("Last name").fill("Changed")
        form.get_by_label("Email").fill("esme.changed@example.com")
        # Redis drops the pop-up's entry alone, as when it outlives its expiry or memory runs short.
        client = redis.from_url(redis_server.url)
        dropped = [client.delete(key) for key in client.scan_iter("*customer_form_state")]
        assert dropped

        form.get_by_role("button", name="Save").click()

        expect(writer.get_by_text(FORM_LOST)).to_be_visible()
        expect(form.get_by_label("Last name")).to_have_value("Changed")  # what was typed is still there to copy
        assert stored("Esme") == before  # above all, no second customer
        form.get_by_role("button", name="Cancel").click()
        expect(form).to_be_hidden()
        still_signed_in(writer)
    finally:
        writer.context.close()
        viewer.context.close()
