"""The customers list keeps its whole view in the address: a copied link, a reload, Back and Forward show what was
shown; the header's Customers link opens the plain list; nonsense in the address is quietly the default; typing at
once is kept."""

import re

import pytest
from playwright.sync_api import Browser, Page, expect

from customer_app.core.db import session_scope
from customer_app.core.permissions import Actor, Role
from customer_app.customers.customers import create_customer, trash_customers
from customer_app.customers.validation import validate_customer
from tests.e2e.browsing import session_token
from tests.e2e.conftest import open_customers, signed_in_context
from tests.e2e.helpers import rows

SEEDER = Actor(id=0, email="seed@e2e.example", name="Seed", role=Role.ADMIN)
STAFF_CHROME = """
window.__sawStaffChrome = false;
new MutationObserver(() => {
  if (document.querySelector('.app-header')) window.__sawStaffChrome = true;
}).observe(document, {childList: true, subtree: true});
"""


@pytest.fixture(scope="module", autouse=True)
def seed(harness) -> None:
    """30 people "Addr Person 01".."30" (e-mails in the same order), an institution, one person in Trash."""
    with session_scope() as session:
        for number in range(1, 31):
            raw = {"first_name": "Addr Person", "last_name": f"{number:02d}", "email": f"addr{number:02d}@view.example"}
            create_customer(validate_customer(raw, phone_region="US"), actor=SEEDER, session=session)
        institution = {"kind": "institution", "name": "Addr Person Institution"}
        create_customer(validate_customer(institution, phone_region="US"), actor=SEEDER, session=session)
        gone = {"first_name": "Addr Person", "last_name": "Gone", "email": "addr-gone@view.example"}
        gone_id = create_customer(validate_customer(gone, phone_region="US"), actor=SEEDER, session=session).id
        trash_customers([gone_id], actor=SEEDER, session=session)


def results(page: Page):
    """The table of results, which says which tab and search it answers."""
    return page.locator(".results")


def first_row(page: Page):
    return rows(page).first.get_by_role("link")


def email_header(page: Page):
    return page.get_by_role("columnheader", name="Email")


def history_length(page: Page) -> int:
    return page.evaluate("window.history.length")


def test_the_view_survives_a_copied_link_a_reload_back_and_forward_and_the_menu_opens_the_plain_list(
    browser: Browser, app_url: str
):
    page = open_customers(browser, app_url, role="staff")
    expect(page).to_have_url(re.compile(r"/customers$"))
    box = page.get_by_label("Search customers")
    steps = history_length(page)
    box.press_sequentially("addr pe", delay=400)  # slower than the box waits: several searches on the way
    expect(results(page)).to_have_attribute("data-search", "addr pe")
    expect(box).to_have_value("addr pe")  # no answer to an earlier search put back the text it was sent with
    expect(page).to_have_url(re.compile(r"/customers\?q=addr\+pe$"))
    assert history_length(page) == steps  # typing replaced the address; Back does not replay every pause

    email_header(page).get_by_role("button").click()
    expect(page).to_have_url(re.compile(r"\?q=addr\+pe&sort=email$"))
    email_header(page).get_by_role("button").click()
    expect(page).to_have_url(re.compile(r"\?q=addr\+pe&sort=-email$"))
    expect(first_row(page)).to_have_text("Addr Person 30")
    page.get_by_role("button", name="Next page").click()
    expect(page).to_have_url(re.compile(r"\?q=addr\+pe&sort=-email&page=2$"))
    expect(first_row(page)).to_have_text("Addr Person 05")
    assert history_length(page) == steps + 3  # one step for each thing chosen

    copied = signed_in_context(browser, "staff").new_page()  # a colleague opens the copied link
    copied.goto(page.url)
    expect(first_row(copied)).to_have_text("Addr Person 05")
    expect(copied.get_by_label("Search customers")).to_have_value("addr pe")
    expect(email_header(copied)).to_have_attribute("aria-sort", "descending")
    expect(copied.get_by_text("Page 2 of 2")).to_be_visible()
    copied.context.close()

    page.go_back()
    expect(page).to_have_url(re.compile(r"\?q=addr\+pe&sort=-email$"))
    expect(first_row(page)).to_have_text("Addr Person 30")
    page.go_back()
    expect(page).to_have_url(re.compile(r"\?q=addr\+pe&sort=email$"))
    expect(first_row(page)).to_have_text("Addr Person 01")
    expect(email_header(page)).to_have_attribute("aria-sort", "ascending")
    page.go_forward()
    expect(first_row(page)).to_have_text("Addr Person 30")
    page.reload()
    expect(first_row(page)).to_have_text("Addr Person 30")
    expect(page.get_by_label("Search customers")).to_have_value("addr pe")

    page.get_by_role("tab", name="Trash").click()
    expect(page).to_have_url(re.compile(r"/customers\?tab=trash&q=addr\+pe$"))  # Trash's own sort: not written
    expect(rows(page).first).to_contain_text("Addr Person Gone")  # Trash rows are not links
    page.get_by_role("link", name="Customers", exact=True).click()  # the header's menu
    expect(page).to_have_url(re.compile(r"/customers$"))
    expect(results(page)).to_have_attribute("data-tab", "individual")
    expect(results(page)).to_have_attribute("data-search", "")
    expect(page.get_by_label("Search customers")).to_have_value("")
    expect(page.get_by_role("tab", name="Individuals")).to_have_attribute("aria-selected", "true")
    page.go_back()  # and Back still knows the Trash view
    expect(results(page)).to_have_attribute("data-tab", "trash")
    expect(page.get_by_label("Search customers")).to_have_value("addr pe")
    page.context.close()


def test_a_customer_page_leads_back_to_the_list_as_it_was(browser: Browser, app_url: str):
    page = open_customers(browser, app_url, role="staff")
    page.goto(f"{app_url}/customers?tab=institution&q=addr")
    expect(first_row(page)).to_have_text("Addr Person Institution")
    first_row(page).click()
    expect(page).to_have_url(re.compile(r"/customers/\d+/?$"))
    page.get_by_role("main").get_by_role("link", name="Customers", exact=True).click()  # "← Customers" above it
    expect(page).to_have_url(re.compile(r"/customers\?tab=institution&q=addr$"))
    expect(first_row(page)).to_have_text("Addr Person Institution")
    page.context.close()


def test_nonsense_in_the_address_shows_the_plain_list_without_an_error(browser: Browser, app_url: str):
    page = open_customers(browser, app_url, role="staff")
    page.goto(f"{app_url}/customers?tab=everything&page=-4&sort=evil&size=7&group=x")
    expect(page).to_have_url(re.compile(r"/customers$"))  # read as the default, and written so
    expect(results(page)).to_have_attribute("data-tab", "individual")
    expect(page.get_by_role("tab", name="Individuals")).to_have_attribute("aria-selected", "true")
    expect(page.get_by_text(re.compile(r"^Page 1 of"))).to_be_visible()
    expect(page.get_by_role("alert")).to_have_count(0)
    expect(page.locator("[data-sonner-toast]")).to_have_count(0)
    page.goto(f"{app_url}/customers?open_balance=1&page=999")  # the filters still read; a page past the end: the last
    expect(page).to_have_url(re.compile(r"/customers\?open_balance=1$"))
    expect(page.get_by_role("checkbox", name="With open balance")).to_be_checked()
    page.context.close()


def test_a_signed_out_visitor_sees_no_workspace_before_the_sign_in_page(browser: Browser, app_url: str):
    session_token("staff")  # someone has an account: the sign-in page, not first-run setup
    context = browser.new_context(viewport={"width": 1366, "height": 900})
    context.add_init_script(STAFF_CHROME)
    page = context.new_page()
    page.goto(f"{app_url}/customers?tab=trash")
    expect(page.get_by_label("Email")).to_be_visible()
    expect(page).to_have_url(re.compile(r"/login\?next=/customers%3Ftab%3Dtrash$"))
    assert page.evaluate("window.__sawStaffChrome") is False  # no header, no New Customer, no empty list on the way
    page.go_back()  # the page that sent it away is not in the history
    expect(page).not_to_have_url(re.compile(r"/customers"))
    context.close()


def test_until_the_server_has_answered_pages_show_a_neutral_wait(browser: Browser, app_url: str):
    page = signed_in_context(browser, "staff").new_page()
    page.route_web_socket(re.compile(r"/_event"), lambda socket: None)  # the server never answers this tab
    page.goto(f"{app_url}/customers")
    expect(page.get_by_role("status", name="Loading")).to_be_visible()  # rendered, and knows nobody yet
    expect(page.locator(".app-header")).to_have_count(0)
    expect(page.get_by_role("button", name="New Customer")).to_have_count(0)
    expect(page.get_by_role("table")).to_have_count(0)
    page.goto(f"{app_url}/login")
    expect(page.get_by_role("status", name="Loading")).to_be_visible()
    expect(page.get_by_label("Email")).to_have_count(0)  # not a form that may be sent elsewhere at once
    page.context.close()


def test_searching_at_once_after_the_page_opens_is_kept_and_filters(browser: Browser, app_url: str):
    page = signed_in_context(browser, "staff").new_page()
    page.goto(f"{app_url}/customers")
    box = page.get_by_label("Search customers")
    box.press_sequentially("addr person institution")  # as soon as the box is there: no wait for the page to settle
    expect(results(page)).to_have_attribute("data-search", "addr person institution")
    expect(box).to_have_value("addr person institution")
    expect(page.get_by_role("tab", name="Institutions")).to_contain_text("1")
    expect(page.get_by_role("tab", name="Individuals")).to_contain_text("0")
    expect(page).to_have_url(re.compile(r"/customers\?q=addr\+person\+institution$"))
    page.context.close()
