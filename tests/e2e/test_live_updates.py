"""Two staff members at once: changes appear without reload, and edits never silently overwrite."""

from playwright.sync_api import Browser, Page, expect

from tests.e2e.conftest import open_customers
from tests.e2e.helpers import create_individual, dialog, rows, search


def test_other_viewer_sees_create_and_delete_live(page: Page, browser: Browser, app_url: str):
    viewer = open_customers(browser, app_url)
    try:
        search(viewer, "liveupdate")
        expect(viewer.get_by_text("No customers match")).to_be_visible()
        create_individual(page, "Livia", "Liveupdate", "livia.liveupdate@example.com")
        expect(rows(viewer).filter(has_text="Livia Liveupdate")).to_have_count(1)
        expect(viewer.get_by_label("Search customers")).to_have_value("liveupdate")  # viewer keeps their search

        search(page, "liveupdate")
        rows(page).first.get_by_role("button", name="Delete").click()
        page.get_by_role("alertdialog").get_by_role("button", name="Delete").click()
        expect(viewer.get_by_text("No customers match")).to_be_visible()
    finally:
        viewer.context.close()


def test_stale_edit_shows_conflict_and_reloads(page: Page, browser: Browser, app_url: str):
    create_individual(page, "Connie", "Conflict", "connie.conflict@example.com")
    other = open_customers(browser, app_url)
    try:
        search(page, "connie.conflict")
        search(other, "connie.conflict")
        rows(page).first.get_by_role("button", name="Edit").click()
        rows(other).first.get_by_role("button", name="Edit").click()
        dialog(other).get_by_label("Last name").fill("Changed-First")
        dialog(other).get_by_role("button", name="Save").click()
        expect(dialog(other)).to_be_hidden()

        form = dialog(page)
        form.get_by_label("Last name").fill("Changed-Second")
        form.get_by_role("button", name="Save").click()
        expect(form.get_by_text("This customer was changed by someone else")).to_be_visible()
        form.get_by_role("button", name="Reload").click()
        expect(form.get_by_label("Last name")).to_have_value("Changed-First")
    finally:
        other.context.close()
