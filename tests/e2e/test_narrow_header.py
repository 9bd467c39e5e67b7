"""On a phone the staff header stays short: the admin pages sit in one Admin menu, and it opens them."""

from playwright.sync_api import Browser, expect

from customer_app import routes
from tests.e2e.conftest import signed_in_context

PHONE = {"width": 390, "height": 844}


def test_on_a_phone_an_admin_reaches_settings_from_the_admin_menu(browser: Browser, app_url: str):
    page = signed_in_context(browser, "admin").new_page()
    page.set_viewport_size(PHONE)
    page.goto(f"{app_url}/customers")
    page.get_by_role("tab", name="Individuals").wait_for()
    expect(page.get_by_role("link", name="Audit log")).to_have_count(0)  # not a row of links that wraps
    header = page.locator(".app-header").bounding_box()
    assert header is not None
    assert header["height"] < 100  # two lines (85 px); three are over 100, and it took four before the menu
    page.get_by_role("button", name="Admin").click()
    page.get_by_role("menuitem", name="Settings").click()
    expect(page).to_have_url(f"{app_url}{routes.SETTINGS}")
    page.context.close()


def test_on_a_wide_screen_the_admin_pages_are_links_in_the_header(browser: Browser, app_url: str):
    page = signed_in_context(browser, "admin").new_page()
    page.goto(f"{app_url}/customers")
    page.get_by_role("tab", name="Individuals").wait_for()
    expect(page.get_by_role("link", name="Audit log")).to_be_visible()
    expect(page.get_by_role("button", name="Admin")).to_have_count(0)
    page.context.close()


def test_staff_see_no_admin_menu_on_a_phone(browser: Browser, app_url: str):
    page = signed_in_context(browser, "staff").new_page()
    page.set_viewport_size(PHONE)
    page.goto(f"{app_url}/customers")
    page.get_by_role("tab", name="Individuals").wait_for()
    expect(page.get_by_role("button", name="Admin")).to_have_count(0)
    page.context.close()
