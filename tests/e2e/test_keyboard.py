"""Keyboard: shortcuts that stay quiet while typing, pop-ups that keep focus and give it back when they close."""

from playwright.sync_api import Browser, Page, expect

from tests.e2e.conftest import open_customers
from tests.e2e.helpers import rows, search
from tests.e2e.test_customer_detail import make_customer


def focus_is_in_dialog(page: Page) -> bool:
    """Whether the focused element sits inside the open pop-up."""
    return page.evaluate("document.activeElement?.closest('[role=dialog], [role=alertdialog]') !== null")


def test_slash_focuses_the_search_box_and_n_opens_a_new_customer(browser: Browser, app_url: str):
    page = open_customers(browser, app_url, "staff")
    page.keyboard.press("/")
    expect(page.get_by_label("Search customers")).to_be_focused()
    expect(page.get_by_label("Search customers")).to_have_value("")  # the slash opened the box, it is not typed
    page.locator("body").click(position={"x": 5, "y": 300})  # leave the box
    page.keyboard.press("n")
    expect(page.get_by_role("dialog", name="New customer")).to_be_visible()
    page.keyboard.press("Escape")
    expect(page.get_by_role("dialog")).to_be_hidden()
    page.context.close()


def test_shortcuts_stay_quiet_while_typing_or_with_a_modifier_held(browser: Browser, app_url: str):
    page = open_customers(browser, app_url, "staff")
    box = page.get_by_label("Search customers")
    box.click()
    box.press_sequentially("n/?")
    expect(box).to_have_value("n/?")  # typed, not taken as shortcuts
    expect(page.get_by_role("dialog")).to_have_count(0)
    page.locator("body").click(position={"x": 5, "y": 300})
    page.keyboard.press("Alt+n")
    page.keyboard.press("Control+/")
    page.keyboard.press("Meta+n")
    page.keyboard.press("?")  # the one unmodified key, as a marker that every earlier press was handled
    expect(page.get_by_role("dialog", name="Keyboard shortcuts")).to_be_visible()
    expect(page.get_by_role("dialog")).to_have_count(1)  # no New Customer pop-up under it
    expect(box).not_to_be_focused()
    page.context.close()


def test_question_mark_lists_the_shortcuts_and_escape_gives_focus_back(browser: Browser, app_url: str):
    page = open_customers(browser, app_url, "read_only")
    page.keyboard.press("?")
    help_dialog = page.get_by_role("dialog", name="Keyboard shortcuts")
    expect(help_dialog).to_contain_text("Search customers")
    expect(help_dialog).to_contain_text("New customer")
    page.keyboard.press("Escape")
    expect(help_dialog).to_be_hidden()
    page.keyboard.press("n")  # a read-only person cannot create: the key does nothing
    page.get_by_role("button", name="Keyboard shortcuts").click()
    expect(help_dialog).to_be_visible()
    expect(page.get_by_role("dialog")).to_have_count(1)
    page.get_by_role("button", name="Close").click()
    expect(page.get_by_role("button", name="Keyboard shortcuts")).to_be_focused()
    page.context.close()


def test_the_new_customer_pop_up_traps_focus_and_returns_it_to_its_button(browser: Browser, app_url: str):
    page = open_customers(browser, app_url, "staff")
    opener = page.get_by_role("button", name="New Customer").first
    opener.focus()
    page.keyboard.press("Enter")
    form = page.get_by_role("dialog", name="New customer")
    expect(form.get_by_label("First name")).to_be_focused()
    for _ in range(40):  # more stops than the form has: Tab must cycle inside it
        page.keyboard.press("Tab")
        assert focus_is_in_dialog(page)
    page.keyboard.press("Shift+Tab")
    assert focus_is_in_dialog(page)
    page.keyboard.press("Escape")
    expect(form).to_be_hidden()
    expect(opener).to_be_focused()  # opened from state, with no trigger of Radix's own
    page.context.close()


def test_a_row_pop_up_opened_from_state_returns_focus_to_its_row_button(browser: Browser, app_url: str):
    make_customer("Focus", "Returner")
    page = open_customers(browser, app_url, "staff")
    search(page, "focus returner")
    delete = rows(page).first.get_by_role("button", name="Delete")
    delete.click()
    confirm = page.get_by_role("alertdialog").or_(page.get_by_role("dialog"))
    expect(confirm).to_be_visible()
    page.keyboard.press("Escape")
    expect(confirm).to_be_hidden()
    expect(delete).to_be_focused()
    page.context.close()
