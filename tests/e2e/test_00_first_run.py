"""A new install, start to finish: first-run setup, sign in and out, a password reset by e-mail.

Named to run first: setup is only open while no staff account exists.
"""

import re

from playwright.sync_api import Browser, Page, expect

from tests.e2e.conftest import MAILBOX, open_customers
from tests.e2e.helpers import create_individual, dialog, rows, search

ADMIN_EMAIL = "ada@first-run.example"
PASSWORD = "correct horse battery staple"
NEW_PASSWORD = "violet tugboat chimney orbit"


# Notes whether the staff header or the sign-in form was ever in the page, however briefly.
GLIMPSES = """
window.__glimpsed = [];
const note = (what, selector) => {
  if (document.querySelector(selector) && !window.__glimpsed.includes(what)) window.__glimpsed.push(what);
};
new MutationObserver(() => {
  note('workspace', '.app-header');
  note('sign-in', 'input[autocomplete=current-password]');
}).observe(document, {childList: true, subtree: true});
"""


def glimpsed(page: Page) -> list[str]:
    """What the page showed since it was loaded: "workspace" (the staff header), "sign-in" (the sign-in form)."""
    return page.evaluate("window.__glimpsed")


def ready(page: Page) -> None:
    """Wait until the signed-out page has connected and can take input."""
    expect(page.locator("[data-hydrated]")).to_have_attribute("data-hydrated", "true")


def test_first_run_setup_sign_out_sign_in_and_author_in_history(browser: Browser, app_url: str):
    context = browser.new_context(viewport={"width": 1366, "height": 900})
    context.add_init_script(GLIMPSES)
    page = context.new_page()
    page.goto(f"{app_url}/customers")
    expect(page).to_have_url(re.compile(r"/setup$"))  # no account yet: setup, not a sign-in form
    ready(page)
    assert glimpsed(page) == []  # a wait on the way, not the workspace or a sign-in form
    page.get_by_label("Your name").fill("Ada Lovelace")
    page.get_by_label("Email").fill(ADMIN_EMAIL)
    page.get_by_label("Password", exact=True).fill("password123")
    page.get_by_label("Repeat password").fill("password123")
    page.get_by_role("button", name="Create admin account").click()
    expect(page.get_by_text("This is a very common password.")).to_be_visible()  # refused, explained

    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label("Repeat password").fill(PASSWORD)
    page.get_by_role("button", name="Create admin account").click()
    expect(page.get_by_text("Ada Lovelace")).to_be_visible()
    expect(page).to_have_url(re.compile(r"/customers$"))  # the address says what is shown
    assert glimpsed(page) == ["workspace"]  # straight in: no sign-in form flashed on the way

    create_individual(page, "Hedy", "Historic", "hedy.historic@example.com")
    search(page, "hedy.historic")
    rows(page).first.get_by_role("button", name="Edit").click()
    form = dialog(page)
    form.get_by_text("History", exact=True).click()
    history = form.get_by_role("list", name="Changes, newest first")
    expect(history.get_by_text("Ada Lovelace").first).to_be_visible()  # the author
    expect(history.get_by_text("hedy.historic@example.com").first).to_be_visible()  # what they set
    form.get_by_role("button", name="Cancel").click()

    page.get_by_role("button", name="Sign out").click()
    expect(page).to_have_url(re.compile(r"/login"))
    page.goto(f"{app_url}/customers")
    expect(page).to_have_url(re.compile(r"/login\?next=/customers"))  # signed out: sent to sign in, then back
    ready(page)

    page.get_by_label("Email").fill(ADMIN_EMAIL)
    page.get_by_label("Password").fill("wrong password entirely")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_text("The e-mail or password is not right.")).to_be_visible()
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(re.compile(r"/customers$"))
    page.context.close()


def test_typing_at_once_on_the_sign_in_page_is_kept_and_returns_to_the_view_asked_for(browser: Browser, app_url: str):
    page = browser.new_context(viewport={"width": 1366, "height": 900}).new_page()
    page.goto(f"{app_url}/customers?tab=trash&q=hedy")
    expect(page).to_have_url(re.compile(r"/login\?next="))
    # No wait for the page to settle: a fast typist types as soon as the fields are there.
    page.get_by_label("Email").press_sequentially(ADMIN_EMAIL)
    page.get_by_label("Password").press_sequentially(PASSWORD)
    expect(page.get_by_label("Email")).to_have_value(ADMIN_EMAIL)
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(re.compile(r"/customers\?tab=trash&q=hedy$"))  # back to the very view asked for
    expect(page.locator(".results")).to_have_attribute("data-tab", "trash")
    expect(page.get_by_label("Search customers")).to_have_value("hedy")
    page.goto(f"{app_url}/setup")  # setup is done: the address then says where the person is
    expect(page).to_have_url(re.compile(r"/customers$"))
    expect(page.locator(".results")).to_have_attribute("data-loaded", "true")
    page.context.close()


def test_password_reset_through_the_local_smtp_server(browser: Browser, app_url: str):
    page = browser.new_context(viewport={"width": 1366, "height": 900}).new_page()
    page.goto(f"{app_url}/login")
    ready(page)
    page.get_by_role("link", name="Forgot password?").click()
    expect(page).to_have_url(re.compile(r"/forgot$"))
    ready(page)
    page.get_by_label("Email").fill(ADMIN_EMAIL)
    page.get_by_role("button", name="Send reset link").click()
    expect(page.get_by_text("If an account uses this address")).to_be_visible()

    link = MAILBOX.link(MAILBOX.wait_for(ADMIN_EMAIL, "Reset your password"), "/reset/")
    page.goto(f"{app_url}{link}")
    ready(page)
    page.get_by_label("New password").fill(NEW_PASSWORD)
    page.get_by_label("Repeat password").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Save password").click()
    expect(page).to_have_url(re.compile(r"/customers$"))

    page.goto(f"{app_url}{link}")  # single use
    expect(page.get_by_text("This link is not valid any more")).to_be_visible()
    page.context.close()


def test_read_only_staff_see_customers_but_no_way_to_change_them(browser: Browser, app_url: str):
    page = open_customers(browser, app_url, role="read_only")
    expect(page.get_by_text("Read-only")).to_be_visible()
    expect(page.get_by_role("button", name="New Customer")).to_have_count(0)
    expect(page.get_by_role("button", name="Quick Insert")).to_have_count(0)
    search(page, "hedy.historic")
    expect(rows(page)).to_have_count(1)
    expect(rows(page).first.get_by_role("button", name="Edit")).to_have_count(0)
    expect(rows(page).first.get_by_role("button", name="Delete")).to_have_count(0)
    page.context.close()
