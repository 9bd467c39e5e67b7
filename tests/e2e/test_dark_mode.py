"""Dark mode: follows the system by default, a header menu picks light, dark or system, and the browser keeps it."""

from playwright.sync_api import Browser, Page, expect

from tests.e2e.conftest import signed_in_context


def background_lightness(page: Page) -> float:
    """The page background's mean channel value (0 black to 255 white), as painted."""
    colour = page.evaluate("getComputedStyle(document.querySelector('.radix-themes')).backgroundColor")
    channels = [float(part) for part in colour[colour.index("(") + 1 : colour.index(")")].split(",")[:3]]
    return sum(channels) / 3


def open_list(browser: Browser, app_url: str, scheme: str) -> Page:
    page = signed_in_context(browser, "staff", color_scheme=scheme).new_page()
    page.goto(f"{app_url}/customers")
    page.get_by_role("tab", name="Individuals").wait_for()
    return page


def test_the_workspace_follows_the_systems_dark_setting(browser: Browser, app_url: str):
    page = open_list(browser, app_url, "dark")
    expect(page.locator("html")).to_have_class("dark")
    assert background_lightness(page) < 60
    page.context.close()
    page = open_list(browser, app_url, "light")
    expect(page.locator("html")).to_have_class("light")
    assert background_lightness(page) > 200
    page.context.close()


def test_the_header_menu_chooses_dark_and_the_browser_remembers_it(browser: Browser, app_url: str):
    page = open_list(browser, app_url, "light")
    page.get_by_role("button", name="Colour theme").click()
    expect(page.get_by_role("menuitemradio", name="System")).to_have_attribute("aria-checked", "true")
    page.get_by_role("menuitemradio", name="Dark").click()
    expect(page.locator("html")).to_have_class("dark")
    page.reload()
    page.get_by_role("tab", name="Individuals").wait_for()
    expect(page.locator("html")).to_have_class("dark")  # still dark while the system is light
    assert background_lightness(page) < 60
    page.get_by_role("button", name="Colour theme").click()
    expect(page.get_by_role("menuitemradio", name="Dark")).to_have_attribute("aria-checked", "true")
    page.get_by_role("menuitemradio", name="System").click()
    expect(page.locator("html")).to_have_class("light")
    page.context.close()
