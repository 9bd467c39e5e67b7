"""Another system's "Customer ID" column is not taken for this workspace's: rows match by e-mail instead, while
this workspace's own exports (old ones headed "Customer ID" too) still match on its IDs."""

import csv
import io

import pytest

from customer_app.transfer import columns, export
from tests.unit.transfer.test_importer_state import drive, import_state, upload


@pytest.fixture(autouse=True)
def private_folders(tmp_path, monkeypatch):
    monkeypatch.setenv("IMPORT_DIR", str(tmp_path / "imports"))
    monkeypatch.setenv("EXPORT_DIR", str(tmp_path / "exports"))


def csv_file(headers: list[str], *rows: list[object]) -> bytes:
    out = io.StringIO()
    csv.writer(out).writerows([headers, *rows])
    return out.getvalue().encode()


def counted(state) -> dict[str, int]:
    """The preview's totals that are not zero."""
    return {status: count for status, count in state.counts.items() if count}


ZOHO_IDS = ["460000000026049", "460000000026051"]
XERO_IDS = ["3f9a1e44-7b1c-4c1e-9d62-0f1b2a3c4d5e", "8c2d7e10-51aa-4f0b-b7d3-6e5f4a3b2c1d"]


@pytest.mark.parametrize("foreign", [ZOHO_IDS, XERO_IDS, ["7001", "7002"]], ids=["zoho", "xero", "small numbers"])
def test_another_systems_customer_ids_are_not_the_match_key_and_rows_import_by_email(foreign, new_tab, admin_user, add):
    ada = add(first_name="Ada", last_name="Lovelace", email="ada@example.com")
    data = csv_file(
        ["Customer ID", "First Name", "Last Name", "EmailID", "Designation"],
        [foreign[0], "Ada", "Lovelace", "ada@example.com", "Analyst"],
        [foreign[1], "Alan", "Turing", "alan@example.com", "Mathematician"],
    )
    state = import_state(new_tab, admin_user)
    upload(state, "contacts.csv", data)
    assert state.step == "map"
    assert state.mapping == ["", "first_name", "last_name", "email", "position"]
    assert state.match_on == "email"
    assert state.notice == (
        "The values in “Customer ID” are not this workspace's customer IDs; matching on e-mail instead."
    )
    drive(state.preview())
    assert state.step == "preview", state.error
    assert counted(state) == {"update": 1, "new": 1}
    assert [row["message"] for row in state.preview_rows if row["status"] == "error"] == []
    assert ada.id  # Ada is found by her e-mail, not by a number another system gave her


def test_an_old_export_headed_customer_id_still_matches_on_our_ids(new_tab, admin_user, add):
    ada = add(first_name="Ada", last_name="Lovelace", email="ada@example.com")
    data = csv_file(["Customer ID", "Email", "Position"], [ada.id, "ada.l@example.com", "Analyst"])
    state = import_state(new_tab, admin_user)
    upload(state, "old-export.csv", data)
    assert (state.mapping, state.match_on, state.notice) == (["id", "email", "position"], "id", "")
    drive(state.preview())
    assert counted(state) == {"update": 1}  # her e-mail changes: only her ID could have found her


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_our_export_comes_back_with_zero_changes_through_the_import_page(
    file_format, new_tab, admin_user, admin, add, session
):
    add(first_name="Ada", last_name="Lovelace", email="ada@example.com", company_name="Analytical Engines")
    add(kind="institution", name="Acme", vat_number="DE136695976", website="acme.example")
    add(first_name="Alan", last_name="Turing", position="Mathematician")
    path, count = export.write_export(
        export.ExportScope(), columns.DEFAULT_COLUMNS, file_format, actor=admin, session=session
    )
    session.commit()
    state = import_state(new_tab, admin_user)
    upload(state, f"export.{file_format}", path.read_bytes())
    assert state.headers[0] == "Workspace customer ID"
    assert (state.mapping[0], state.match_on, state.notice) == ("id", "id", "")
    drive(state.preview())
    assert counted(state) == {"unchanged": count}


def test_the_match_key_follows_the_id_column_as_the_mapping_changes(new_tab, admin_user, add):
    ada = add(first_name="Ada", last_name="Lovelace", email="ada@example.com")
    state = import_state(new_tab, admin_user)
    upload(state, "ours.csv", csv_file(["ID", "Email", "VAT"], [ada.id, "ada@example.com", ""]))
    assert state.match_on == "id"
    state.set_field("0", "skip")
    assert state.match_on == "email"  # never matched on a column no longer imported
    state.set_match_on("vat_number")
    state.set_field("1", "skip")
    assert state.match_on == "vat_number"  # the admin's choice stands while its column is mapped
    state.set_field("0", "id")
    assert state.match_on == "id"


@pytest.mark.parametrize(
    ("headers", "notice"),
    [
        (["Contact ID", "Company", "VAT"], "The values in “Contact ID” are not this workspace's customer IDs; "
         "matching on VAT number instead."),
        (["ID", "Company", "Phone"], "The values in “ID” are not this workspace's customer IDs; "
         "that column is not imported."),
    ],
)  # fmt: skip
def test_the_notice_names_the_key_rows_match_on_instead(headers, notice, new_tab, admin_user):
    state = import_state(new_tab, admin_user)
    upload(state, "companies.csv", csv_file(headers, ["C-0001", "Acme", "DE136695976"]))
    assert state.mapping[0] == ""
    assert state.notice == notice
