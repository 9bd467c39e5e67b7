"""A mistaken bulk Trash comes back in one action: Undo in the message right after, or Restore all in Trash."""

from playwright.sync_api import Browser, Page, expect

from tests.e2e.conftest import open_customers
from tests.e2e.helpers import open_tab, rows, search
from tests.e2e.test_customers_list import seed


def _trash_selected(page: Page) -> None:
    page.get_by_role("button", name="Delete selected").click()
    page.get_by_role("alertdialog").get_by_role("button", name="Remove customer(s)").click()


def test_undo_a_bulk_trash_from_the_message_then_restore_all_from_trash(page: Page, browser: Browser, app_url: str):
    seed("Undoable", 4)
    page.reload()
    search(page, "undoable")
    expect(rows(page)).to_have_count(4)

    for n in range(3):
        rows(page).nth(n).get_by_role("checkbox").click()
    _trash_selected(page)
    expect(rows(page)).to_have_count(1)
    page.get_by_role("button", name="Undo").click()
    expect(page.get_by_text("3 customer(s) restored.")).to_be_visible()
    expect(rows(page)).to_have_count(4)

    page.get_by_role("checkbox", name="Select all on page").click()
    _trash_selected(page)
    expect(page.get_by_text("No customers match")).to_be_visible()

    viewer = open_customers(browser, app_url, role="read_only")  # someone else watching Trash
    try:
        open_tab(viewer, "Trash")
        search(viewer, "undoable")
        expect(rows(viewer)).to_have_count(4)
        newest = viewer.get_by_test_id("removal").first
        expect(newest).to_contain_text("4 customers removed on ")
        expect(newest).to_contain_text("by E2E Admin")
        expect(newest.get_by_role("button", name="Restore all")).to_have_count(0)  # read-only: nothing to press

        open_tab(page, "Trash")
        removal = page.get_by_test_id("removal").first
        expect(removal).to_contain_text("4 customers removed on ")
        removal.get_by_role("button", name="Restore all").click()
        confirm = page.get_by_role("alertdialog")
        expect(confirm).to_contain_text("Bring back the 4 customer(s) still in Trash from this removal")
        confirm.get_by_role("button", name="Restore all").click()
        expect(page.get_by_text("4 customer(s) restored.")).to_be_visible()
        expect(page.get_by_text("No customers match")).to_be_visible()

        expect(rows(viewer)).to_have_count(0)  # the other open list follows without a reload
        open_tab(page, "Individuals")
        expect(rows(page)).to_have_count(4)
    finally:
        viewer.context.close()
