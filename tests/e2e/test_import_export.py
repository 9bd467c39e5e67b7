"""Import and export as an admin does them: sample file, upload, mapping, preview, commit, undo, round trip."""

import csv
import io

from openpyxl import Workbook
from playwright.sync_api import Browser, Page, expect
from sqlmodel import col, select

from customer_app.core.db import session_scope
from customer_app.customers.models import Customer
from tests.e2e.conftest import signed_in_context
from tests.e2e.helpers import rows, search


def open_import(browser: Browser, app_url: str) -> Page:
    page = signed_in_context(browser, "admin").new_page()
    page.goto(f"{app_url}/customers/import")
    expect(page.get_by_role("button", name="Download sample (.xlsx)")).to_be_visible()
    return page


def upload(page: Page, path, sheet: str = "") -> None:
    page.locator("input[type=file]").set_input_files(path)
    if sheet:  # a workbook with several sheets asks which one
        page.get_by_role("button", name=sheet).click()
    expect(page.get_by_role("button", name="Preview")).to_be_visible()


def test_sample_upload_map_preview_commit_see_undo(browser: Browser, app_url: str, tmp_path):
    page = open_import(browser, app_url)
    with page.expect_download() as download:
        page.get_by_role("button", name="Download sample (.xlsx)").click()
    sample = tmp_path / "customers-sample.xlsx"
    download.value.save_as(sample)

    upload(page, sample, sheet="Customers")
    # Leave the position out of this import: the admin overrides one column's mapping.
    page.get_by_label("Position", exact=True).select_option("skip")
    page.get_by_role("button", name="Preview").click()
    totals = page.get_by_label("Preview totals")
    expect(totals).to_contain_text("New: 2")
    expect(page.get_by_role("row").filter(has_text="Ada Lovelace")).to_contain_text("New")

    page.get_by_role("button", name="Import 2 customers").click()
    outcome = page.get_by_test_id("import-outcome")
    expect(outcome).to_contain_text("Import finished")
    expect(outcome).to_contain_text("2 created")
    with session_scope() as session:
        ada = session.exec(select(Customer).where(Customer.last_name == "Lovelace")).one()
        assert ada.position is None
        assert ada.first_name == "Ada"

    page.get_by_role("link", name="See customers").click()
    search(page, "lovelace")
    expect(rows(page).filter(has_text="Ada Lovelace")).to_have_count(1)

    page.goto(f"{app_url}/admin/imports")
    history = page.get_by_role("row").filter(has_text="customers-sample.xlsx")
    expect(history).to_contain_text("2 created")
    history.get_by_role("button", name="Undo").click()
    page.get_by_role("alertdialog").get_by_role("button", name="Undo import").click()
    expect(page.get_by_text("Import undone: 2 moved to Trash")).to_be_visible()
    expect(history).to_contain_text("Undone")

    page.goto(f"{app_url}/customers")
    search(page, "lovelace")
    expect(rows(page)).to_have_count(0)
    page.context.close()


def test_export_the_current_view_and_reimport_it_with_zero_changes(browser: Browser, app_url: str, tmp_path):
    page = open_import(browser, app_url)
    data = "Vorname;Nachname;Mail;Tel.;Position\nRoundtrip;Eins;rt1@example.com;+49 30 901820;=Chef\n"
    data += "Roundtrip;Zwei;rt2@example.com;;Einkauf\n"
    source = tmp_path / "roundtrip.csv"
    source.write_bytes(data.encode("cp1252"))
    upload(page, source)
    page.get_by_role("button", name="Preview").click()
    page.get_by_role("button", name="Import 2 customers").click()
    expect(page.get_by_test_id("import-outcome")).to_contain_text("2 created")

    page.goto(f"{app_url}/customers")
    search(page, "roundtrip")
    expect(rows(page)).to_have_count(2)
    page.get_by_role("button", name="Export").click()
    dialog = page.get_by_role("dialog")
    dialog.get_by_label("Format").select_option("csv")
    with page.expect_download() as download:
        dialog.get_by_role("button", name="Export").click()
    exported = tmp_path / "export.csv"
    download.value.save_as(exported)
    table = list(csv.reader(io.StringIO(exported.read_text(encoding="utf-8-sig"))))
    assert table[0][0] == "Workspace customer ID"
    assert len(table) == 3
    assert "'=Chef" in table[1] or "'=Chef" in table[2]  # neutralised against formula injection

    page.goto(f"{app_url}/customers/import")
    upload(page, exported)
    expect(page.get_by_label("Match existing customers on")).to_have_value("id")
    page.get_by_role("button", name="Preview").click()
    expect(page.get_by_label("Preview totals")).to_have_text("Unchanged: 2")
    expect(page.get_by_role("button", name="Import 0 customers")).to_be_disabled()
    page.context.close()


def test_a_file_that_is_not_a_spreadsheet_gets_a_clear_message(browser: Browser, app_url: str, tmp_path):
    page = open_import(browser, app_url)
    garbage = tmp_path / "customers.csv"
    garbage.write_bytes(bytes(range(256)) * 64)
    page.locator("input[type=file]").set_input_files(garbage)
    expect(page.get_by_role("alert")).to_contain_text("does not look like CSV text")
    page.context.close()


def test_another_systems_customer_ids_are_left_out_and_the_mapping_shows_sample_values(
    browser: Browser, app_url: str, tmp_path
):
    page = open_import(browser, app_url)
    data = "Contact ID,Display Name,First Name,Last Name,EmailID,Designation,Department\n"
    data += "460000000026049,Grace Hopper,Grace,Hopper,grace.zoho@example.com,Rear Admiral,\n"
    data += "460000000026051,Katherine Johnson,Katherine,Johnson,katherine.zoho@example.com,,Flight Research\n"
    data += "460000000026053,Dorothy Vaughan,Dorothy,Vaughan,dorothy.zoho@example.com,Supervisor,\n"
    data += "460000000026055,Mary Jackson,Mary,Jackson,mary.zoho@example.com,Engineer,\n"
    source = tmp_path / "zoho-contacts.csv"
    source.write_text(data, encoding="utf-8")
    upload(page, source)
    expect(page.locator("#import-notice")).to_contain_text(
        "The values in “Contact ID” are not this workspace's customer IDs; matching on e-mail instead."
    )
    expect(page.locator("#map-0")).to_have_value("skip")
    expect(page.get_by_label("EmailID")).to_have_value("email")
    expect(page.get_by_label("Match existing customers on")).to_have_value("email")
    designation = page.get_by_role("row").filter(has_text="Designation")
    expect(designation).to_contain_text("Rear Admiral, Supervisor, Engineer")  # three values, blanks passed over
    page.get_by_role("button", name="Preview").click()
    totals = page.get_by_label("Preview totals")
    expect(totals).to_contain_text("New: 4")
    expect(totals).not_to_contain_text("Error")


def test_a_workbook_with_a_title_row_maps_its_real_header_and_imports(browser: Browser, app_url: str, tmp_path):
    book = Workbook()
    sheet = book.active
    sheet.append(["Customer list — exported 2026"])
    sheet.merge_cells("A1:D1")
    sheet.append(["First name", "Last name", "E-mail", "Company"])
    sheet.append(["Titled", "Lovelace", "titled.ada@example.com", "Engines Ltd"])
    sheet.append(["Titled", "Turing", "titled.alan@example.com", "Bletchley"])
    source = tmp_path / "titled.xlsx"
    book.save(source)
    page = open_import(browser, app_url)
    upload(page, source)
    expect(page.get_by_text("The header is on row 2")).to_be_visible()
    expect(page.get_by_label("Header row")).to_have_value("2")
    expect(page.get_by_label("E-mail", exact=True)).to_have_value("email")
    expect(page.get_by_label("Last name", exact=True)).to_have_value("last_name")
    page.screenshot(path=tmp_path / "mapping-with-header-row.png", full_page=True)

    page.get_by_role("button", name="Preview").click()
    expect(page.get_by_label("Preview totals")).to_contain_text("New: 2")
    page.get_by_role("button", name="Import 2 customers").click()
    expect(page.get_by_test_id("import-outcome")).to_contain_text("2 created")
    page.goto(f"{app_url}/customers")
    search(page, "titled")
    expect(rows(page).filter(has_text="Titled Lovelace")).to_have_count(1)
    expect(rows(page).filter(has_text="Titled Turing")).to_have_count(1)
    page.context.close()


def test_a_titled_workbook_brings_billing_and_shipping_addresses_to_the_customer_page(
    browser: Browser, app_url: str, tmp_path
):
    book = Workbook()
    sheet = book.active
    sheet.append(["Clients — exported 4 December 2026"])
    sheet.merge_cells("A1:J1")
    sheet.append([])
    sheet.append([
        "Company Name", "Email", "Billing Street", "Billing City", "Billing Postal Code", "Billing Country",
        "Shipping Street", "Shipping City", "Shipping Postal Code", "Shipping Country",
    ])  # fmt: skip
    sheet.append([
        "Addressed Engines GmbH", "addressed@engines.example", "Friedrichstraße 43", "Berlin", "10117", "Germany",
        "Hafenstraße 5", "Hamburg", "20457", "Germany",
    ])  # fmt: skip
    source = tmp_path / "clients.xlsx"
    book.save(source)
    page = open_import(browser, app_url)
    upload(page, source)
    expect(page.get_by_label("Header row")).to_have_value("3")
    expect(page.get_by_label("Billing City", exact=True)).to_have_value("billing_city")
    expect(page.get_by_label("Shipping Street", exact=True)).to_have_value("shipping_street")
    page.screenshot(path=tmp_path / "mapping-with-addresses.png", full_page=True)
    page.get_by_role("button", name="Preview").click()
    expect(page.get_by_label("Preview totals")).to_contain_text("New: 1")
    expect(page.get_by_text("With billing address, shipping address.")).to_be_visible()
    expect(page.get_by_text("1 row read from clients.xlsx.")).to_be_visible()
    page.screenshot(path=tmp_path / "preview-with-addresses.png", full_page=True)
    page.get_by_role("button", name="Import 1 customer").click()
    expect(page.get_by_test_id("import-outcome")).to_contain_text("1 created")

    with session_scope() as session:
        customer = session.exec(select(Customer).where(Customer.email == "addressed@engines.example")).one()
    page.goto(f"{app_url}/customers/{customer.id}?tab=addresses")
    addresses = page.get_by_test_id("address")
    expect(addresses).to_have_count(2)
    billing = addresses.filter(has_text="Default billing")
    expect(billing).to_contain_text("Friedrichstraße 43")
    expect(billing).to_contain_text("10117 BERLIN")
    shipping = addresses.filter(has_text="Default shipping")
    expect(shipping).to_contain_text("Hafenstraße 5")
    expect(shipping).to_contain_text("20457 HAMBURG")
    page.screenshot(path=tmp_path / "imported-addresses.png", full_page=True)
    page.context.close()


def test_a_file_big_enough_for_the_worker_processes_imports_through_the_page(browser: Browser, app_url: str, tmp_path):
    # Past the rows checked in place, the import checks rows in spawned worker processes of the web server itself.
    count = 6000
    lines = ["First name,Last name,Email,Phone"]
    lines += [f"Pooled{i},Person,pooled{i}@example.com,+1 415 555 {i % 10000:04d}" for i in range(count)]
    source = tmp_path / "pooled.csv"
    source.write_text("\n".join(lines), encoding="utf-8")
    page = open_import(browser, app_url)
    upload(page, source)
    page.get_by_role("button", name="Preview").click()
    expect(page.get_by_label("Preview totals")).to_contain_text(f"New: {count:,}", timeout=60_000)
    page.get_by_role("button", name=f"Import {count:,} customers").click()
    expect(page.get_by_test_id("import-outcome")).to_contain_text(f"{count:,} created", timeout=120_000)
    with session_scope() as session:
        stored = session.exec(select(Customer.email).where(col(Customer.email).startswith("pooled"))).all()
    assert len(stored) == count
    page.context.close()
