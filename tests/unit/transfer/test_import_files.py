"""Import downloads: a sample workbook and CSV that import cleanly; an error report that keeps each cell as read."""

import csv
import io
from datetime import date, datetime, time, timedelta

import pytest
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter
from python_calamine import CalamineWorkbook

from customer_app.customers.models import GENDERS, OWNERSHIP_TYPES
from customer_app.customers.validation import validate_customer
from customer_app.transfer import import_files
from customer_app.transfer.columns import COLUMNS
from customer_app.transfer.import_files import (
    FIELD_HELP,
    IMPORT_FIELDS,
    sample_csv,
    sample_xlsx,
    write_error_report,
)

HEADERS = [COLUMNS[key].header for key in IMPORT_FIELDS]
KINDS = {"Individual": "individual", "Institution": "institution"}


def calamine_rows(data: bytes, sheet: str) -> list[list]:
    return CalamineWorkbook.from_filelike(io.BytesIO(data)).get_sheet_by_name(sheet).to_python()


def as_raw(row: list) -> dict[str, object]:
    """A sample row as the importer hands it to validation: field keys, the kind as its stored value."""
    raw = dict(zip(IMPORT_FIELDS, row, strict=True))
    raw["kind"] = KINDS[raw["kind"]]
    return raw


def column_letter(header: str) -> str:
    return get_column_letter(HEADERS.index(header) + 1)


@pytest.fixture(scope="module")
def sample() -> bytes:
    return sample_xlsx()


def test_the_sample_opens_on_customers_followed_by_instructions(sample):
    workbook = load_workbook(io.BytesIO(sample))
    assert workbook.sheetnames == ["Customers", "Instructions"]
    assert workbook.active.title == "Customers"
    sheet = workbook["Customers"]
    assert sheet.freeze_panes == "A2"
    assert all(cell.font.bold for cell in sheet[1])
    assert all(sheet.column_dimensions[get_column_letter(i)].width >= 8 for i in range(1, len(HEADERS) + 1))


def test_the_sample_header_is_the_export_header_of_every_importable_field(sample):
    rows = calamine_rows(sample, "Customers")
    assert rows[0] == HEADERS
    assert [row[0] for row in rows[1:]] == ["Individual", "Institution"]


@pytest.mark.parametrize("row", [1, 2])
def test_the_sample_examples_pass_validation(sample, row):
    customer = validate_customer(as_raw(calamine_rows(sample, "Customers")[row]), phone_region="US")
    assert customer.kind == ("individual", "institution")[row - 1]
    assert customer.phone.startswith("+44")


def test_sample_phones_are_text_cells_that_keep_their_plus(sample):
    sheet = load_workbook(io.BytesIO(sample))["Customers"]
    phone = sheet[f"{column_letter('Phone')}2"]
    assert phone.data_type == "s"
    assert phone.value == "+44 20 7946 0958"
    assert phone.number_format == "@"  # what someone types there later stays text too


def test_the_sample_date_of_birth_is_a_real_date_shown_as_iso(sample):
    cell = load_workbook(io.BytesIO(sample))["Customers"][f"{column_letter('Date of birth')}2"]
    assert cell.is_date
    assert cell.number_format == "yyyy-mm-dd"
    assert isinstance(calamine_rows(sample, "Customers")[1][HEADERS.index("Date of birth")], date)


def test_kind_gender_and_ownership_type_columns_offer_drop_downs_that_refuse_other_values(sample):
    sheet = load_workbook(io.BytesIO(sample))["Customers"]
    found = {str(v.sqref): v for v in sheet.data_validations.dataValidation}
    for header, options in (("Kind", ("Individual", "Institution")), ("Gender", GENDERS)):
        letter = column_letter(header)
        validation = found.pop(f"{letter}2:{letter}10000")
        assert validation.type == "list"
        assert validation.showErrorMessage
        assert validation.error
        assert validation.formula1 == '"' + ",".join(options) + '"'
    letter = column_letter("Ownership type")
    assert found.pop(f"{letter}2:{letter}10000").formula1 == '"' + ",".join(OWNERSHIP_TYPES) + '"'
    assert not found


def test_a_list_too_long_for_excel_moves_to_a_hidden_lists_sheet(monkeypatch):
    many = tuple(f"Gender option number {n}" for n in range(20))
    monkeypatch.setitem(import_files._CHOICES, "gender", many)
    workbook = load_workbook(io.BytesIO(sample_xlsx()))
    assert workbook.sheetnames == ["Customers", "Instructions", "Lists"]
    assert workbook.active.title == "Customers"
    assert workbook["Lists"].sheet_state == "hidden"
    letter = column_letter("Gender")
    validation = next(v for v in workbook["Customers"].data_validations.dataValidation if letter in str(v.sqref))
    assert validation.formula1 == "'Lists'!$A$1:$A$20"
    assert tuple(row[0] for row in workbook["Lists"].iter_rows(values_only=True)) == many


def test_instructions_describe_every_column_including_the_customer_id(sample):
    rows = calamine_rows(sample, "Instructions")
    assert rows[0][0] == "How to import customers"
    text = " ".join(str(row[0]) for row in rows[1:8])
    assert "header" in text
    assert "Workspace customer ID" in text
    assert "unchanged" in text
    table = rows[[row[:4] for row in rows].index(["Column", "Required", "Description", "Example"]) + 1 :]
    assert [row[0] for row in table] == [*HEADERS, "Workspace customer ID"]
    assert all(row[2] == FIELD_HELP[key] for row, key in zip(table, (*IMPORT_FIELDS, "id"), strict=True))
    assert {row[0]: row[1] for row in table}["Name"] == "Institution: yes"


def test_field_help_is_one_sentence_for_every_importable_field_and_the_customer_id():
    assert set(FIELD_HELP) == {*IMPORT_FIELDS, "id"}
    assert all(text.endswith(".") and text.count(". ") == 0 for text in FIELD_HELP.values())
    assert all(option in FIELD_HELP["ownership_type"] for option in OWNERSHIP_TYPES)


def test_the_sample_csv_starts_with_a_bom_and_matches_the_workbook(sample):
    data = sample_csv()
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    workbook_rows = calamine_rows(sample, "Customers")
    assert rows[0] == HEADERS
    expected = [[v.isoformat() if isinstance(v, date) else v for v in row] for row in workbook_rows[1:]]
    assert rows[1:] == expected
    assert [validate_customer(as_raw(row), phone_region="US").kind for row in rows[1:]] == list(KINDS.values())


def report(tmp_path, headers, rows) -> tuple[int, list[list]]:
    path = tmp_path / "errors.xlsx"
    count = write_error_report(path, headers, rows)
    return count, calamine_rows(path.read_bytes(), "Rows to fix")


def test_the_error_report_keeps_each_original_value_and_adds_its_error(tmp_path):
    rows = [
        (["Ann", 42, 1.5, True, date(1990, 4, 23), datetime(2024, 1, 2, 3, 4, 5)], "Email: enter a valid e-mail."),
        (["Bob", None, None, False, None, None], "Enter a first or last name."),
    ]
    count, back = report(tmp_path, ["First name", "Age", "Score", "VIP", "Born", "Seen"], rows)
    assert count == 2
    assert back[0] == ["First name", "Age", "Score", "VIP", "Born", "Seen", "Error"]
    assert back[1] == ["Ann", 42, 1.5, True, date(1990, 4, 23), datetime(2024, 1, 2, 3, 4, 5), rows[0][1]]
    assert back[2] == ["Bob", "", "", False, "", "", rows[1][1]]


def test_formula_like_text_in_the_error_report_stays_text(tmp_path):
    path = tmp_path / "errors.xlsx"
    write_error_report(path, ["=Header", "Phone"], [(["=1+1", "+44 20 7946 0958"], "@bad")])
    sheet = load_workbook(path)["Rows to fix"]
    cells = [*sheet[1], *sheet[2]]
    assert [c.value for c in cells] == ["=Header", "Phone", "Error", "=1+1", "+44 20 7946 0958", "@bad"]
    assert all(c.data_type == "s" for c in cells)
    assert sheet.freeze_panes == "A2"
    assert sheet["A1"].font.bold


def test_an_error_report_without_rows_is_just_the_header(tmp_path):
    count, back = report(tmp_path, ["Email"], [])
    assert count == 0
    assert back == [["Email", "Error"]]


def test_the_error_stays_under_its_header_when_a_row_is_short_or_long(tmp_path):
    _, back = report(tmp_path, ["A", "B"], [(["a"], "short"), (["a", "b", "extra"], "long")])
    assert back[1:] == [["a", "", "short", ""], ["a", "b", "long", "extra"]]


def test_the_error_report_accepts_times_durations_time_zones_and_control_characters(tmp_path):
    aware = datetime.fromisoformat("2024-01-02T03:04:05+02:00")
    values = [time(9, 30), timedelta(hours=5), aware, "bell\x07here", complex(1, 2)]
    _, back = report(tmp_path, ["Time", "Duration", "Seen", "Note", "Odd"], [(values, "x")])
    assert back[1] == [time(9, 30), timedelta(hours=5), aware.isoformat(), "bellhere", "(1+2j)", "x"]
