"""Deleting never loses anything: Trash, Restore, and permanent deletion with confirmation."""

from playwright.sync_api import Page, expect

from tests.e2e.helpers import create_individual, open_tab, rows, search
from tests.e2e.test_customers_list import seed


def test_delete_goes_to_trash_and_restores(page: Page):
    create_individual(page, "Trashy", "Restorable", "trashy.restorable@example.com")
    search(page, "trashy")
    rows(page).first.get_by_role("button", name="Delete").click()
    confirm = page.get_by_role("alertdialog")
    expect(confirm).to_contain_text("Trashy Restorable will be moved to Trash")
    confirm.get_by_role("button", name="Delete").click()
    expect(page.get_by_text("No customers match")).to_be_visible()

    open_tab(page, "Trash")
    row = rows(page).filter(has_text="Trashy Restorable")
    expect(row).to_have_count(1)
    row.get_by_role("button", name="Restore").click()
    expect(row).to_have_count(0)
    open_tab(page, "Individuals")
    expect(rows(page).filter(has_text="Trashy Restorable")).to_have_count(1)


def test_permanent_delete_only_from_trash_after_confirmation(page: Page):
    create_individual(page, "Purge", "Forever", "purge.forever@example.com")
    search(page, "purge.forever")
    rows(page).first.get_by_role("button", name="Delete").click()
    page.get_by_role("alertdialog").get_by_role("button", name="Delete").click()
    open_tab(page, "Trash")
    row = rows(page).filter(has_text="Purge Forever")
    row.get_by_role("button", name="Delete permanently").click()
    confirm = page.get_by_role("alertdialog")
    expect(confirm).to_contain_text("cannot be undone")
    confirm.get_by_role("button", name="Cancel").click()
    expect(row).to_have_count(1)  # cancelling keeps it
    row.get_by_role("button", name="Delete permanently").click()
    page.get_by_role("alertdialog").get_by_role("button", name="Delete permanently").click()
    expect(row).to_have_count(0)
    expect(page.get_by_text("No customers match")).to_be_visible()


def test_bulk_delete_three_way_dialog(page: Page):
    seed("Bulkington", 5)
    page.reload()
    search(page, "bulkington")
    expect(rows(page)).to_have_count(5)

    rows(page).nth(0).get_by_role("checkbox").click()
    page.get_by_role("button", name="Delete selected").click()
    dialog = page.get_by_role("alertdialog")
    expect(dialog.get_by_role("button", name="Remove all (5)")).to_be_visible()
    dialog.get_by_role("button", name="Dismiss").click()
    expect(rows(page)).to_have_count(5)  # Dismiss changes nothing

    rows(page).nth(1).get_by_role("checkbox").click()
    page.get_by_role("button", name="Delete selected").click()
    page.get_by_role("alertdialog").get_by_role("button", name="Remove customer(s)").click()
    expect(rows(page)).to_have_count(3)

    page.get_by_role("checkbox", name="Select all on page").click()
    page.get_by_role("button", name="Delete selected").click()
    page.get_by_role("alertdialog").get_by_role("button", name="Remove all (3)").click()
    expect(page.get_by_text("No customers match")).to_be_visible()

    open_tab(page, "Trash")
    expect(rows(page).filter(has_text="Bulkington")).to_have_count(5)
