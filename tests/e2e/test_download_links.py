"""A download link works for the signed-in person who made it, in their browser; anywhere else it says why not."""

from playwright.sync_api import Browser, Page, expect

from tests.e2e.conftest import signed_in_context
from tests.e2e.test_import_export import open_import, upload

NOT_YOURS = "This download opens only from the workspace page that made it, for the person signed in there."


def address_of(page: Page, element_id: str) -> str:
    """The address the page downloads from (a form's target, or a plain link's)."""
    return page.locator(f"#{element_id}").evaluate("e => e.form ? e.form.action : e.href")


def assert_refused_elsewhere(browser: Browser, url: str) -> None:
    """Another browser, signed out or signed in as another admin, gets the reason and no file."""
    for context in (browser.new_context(), signed_in_context(browser, "admin")):
        page = context.new_page()
        answer = page.goto(url)
        assert answer is not None
        assert answer.status == 403
        expect(page.get_by_text(NOT_YOURS)).to_be_visible()
        context.close()


def test_an_export_downloads_for_its_maker_and_nobody_else(browser: Browser, app_url: str, tmp_path):
    page = open_import(browser, app_url)
    page.goto(f"{app_url}/customers")
    page.get_by_role("button", name="Export").click()
    dialog = page.get_by_role("dialog")
    dialog.get_by_label("Format").select_option("csv")
    with page.expect_download() as download:
        dialog.get_by_role("button", name="Export").click()
    download.value.save_as(tmp_path / "first.csv")
    assert (tmp_path / "first.csv").read_text(encoding="utf-8-sig").startswith("Workspace customer ID")

    assert_refused_elsewhere(browser, address_of(page, "export-download"))
    with page.expect_download() as again:  # the maker can still use it
        dialog.locator("#export-download").click()
    again.value.save_as(tmp_path / "again.csv")
    assert (tmp_path / "again.csv").read_bytes() == (tmp_path / "first.csv").read_bytes()
    page.context.close()


def test_the_rows_to_fix_download_for_their_maker_and_nobody_else(browser: Browser, app_url: str, tmp_path):
    page = open_import(browser, app_url)
    source = tmp_path / "with-errors.csv"
    source.write_text("First name,Last name,Email\nGood,Row,good-row@example.com\nBad,Row,not-an-email\n")
    upload(page, source)
    page.get_by_role("button", name="Preview").click()
    report = page.locator("#error-report")
    expect(report).to_contain_text("Download the rows to fix")

    with page.expect_download() as download:
        report.click()
    assert download.value.suggested_filename == "rows-to-fix-with-errors.csv.xlsx"
    download.value.save_as(tmp_path / "rows-to-fix.xlsx")
    assert (tmp_path / "rows-to-fix.xlsx").read_bytes().startswith(b"PK")

    assert_refused_elsewhere(browser, address_of(page, "error-report"))
    page.context.close()
