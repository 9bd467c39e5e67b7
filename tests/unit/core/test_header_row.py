"""Finding the header below a title, a report name or a section line, and reading the sheet from a chosen row."""

import openpyxl
import pytest

from customer_app.core.header_row import header_index, row_summary
from customer_app.core.spreadsheet import read_table
from customer_app.errors import ImportFileError
from tests.unit.spreadsheet_files import csv_file, workbook

HEADER = ["First name", "Last name", "E-mail", "Phone", "Company", "City", "Notes"]
ADA = ["Ada", "Lovelace", "ada@example.com", "+44 20 7946 0958", "Engines Ltd", "London", "Met at the fair"]
ALAN = ["Alan", "Turing", "alan@example.com", "+44 161 496 0000", "Bletchley", "Manchester", ""]


def _titled_workbook(path):
    """A workbook as reporting tools export it: a merged title across the table, then the header."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Customers"
    sheet.append(["Customer list — exported 2026"])
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(HEADER))
    for row in (HEADER, ADA, ALAN):
        sheet.append(row)
    book.save(path)
    return path


def test_a_merged_title_above_the_header_is_ignored(tmp_path):
    table = read_table(_titled_workbook(tmp_path / "titled.xlsx"))
    assert table.headers == HEADER
    assert table.header_line == 2
    assert [(line, cells[:2]) for line, cells in table.rows] == [(3, ["Ada", "Lovelace"]), (4, ["Alan", "Turing"])]
    assert table.top_rows[0] == (1, "Customer list — exported 2026")
    assert table.top_rows[1][0] == 2


def test_a_report_name_a_blank_line_and_a_section_line_above_the_header_are_ignored(tmp_path):
    text = "Customer report\n\nSection: active customers\n" + "\n".join(",".join(row) for row in (HEADER, ADA, ALAN))
    table = read_table(csv_file(tmp_path / "report.csv", text + "\n"))
    assert table.headers == HEADER
    assert table.header_line == 4
    assert [line for line, _cells in table.rows] == [5, 6]
    assert [line for line, _text in table.top_rows] == [1, 3, 4, 5, 6]


def test_the_delimiter_is_found_below_a_report_name(tmp_path):
    text = "Customer report\n" + "\n".join(";".join(row) for row in (HEADER, ADA, ALAN)) + "\n"
    table = read_table(csv_file(tmp_path / "semicolons.csv", text))
    assert (table.delimiter, table.headers, table.header_line) == (";", HEADER, 2)


@pytest.mark.parametrize("name", ["plain.xlsx", "plain.csv"])
def test_a_header_on_the_first_row_stays_the_header(tmp_path, name):
    rows = [HEADER, ADA, ALAN]
    if name.endswith(".csv"):
        path = csv_file(tmp_path / name, "\n".join(",".join(row) for row in rows) + "\n")
    else:
        path = workbook(tmp_path / name, {"Customers": rows})
    table = read_table(path)
    assert (table.headers, table.header_line, [line for line, _ in table.rows]) == (HEADER, 1, [2, 3])


def test_another_of_the_first_rows_can_be_chosen_as_the_header(tmp_path):
    path = _titled_workbook(tmp_path / "titled.xlsx")
    table = read_table(path, header_line=1)
    assert table.headers[0] == "Customer list — exported 2026"
    assert [line for line, _cells in table.rows] == [2, 3, 4]
    assert read_table(path, header_line=3).headers == ADA


@pytest.mark.parametrize("line", [0, 9, 5000])
def test_a_header_row_that_is_not_one_of_the_first_rows_is_refused(tmp_path, line):
    with pytest.raises(ImportFileError, match=f"Row {line} cannot be the header"):
        read_table(_titled_workbook(tmp_path / "titled.xlsx"), header_line=line)


@pytest.mark.parametrize(
    ("rows", "expected"),
    [
        # A short line above a wide table is preamble, however many words it has.
        ([["Report", "Customers"], HEADER, ADA], 1),
        # A row of values (e-mails, phones, dates) is data, not a header: without a header the first row stays.
        ([ADA, ALAN], 0),
        # A column named after a year is still a header when the other names are words.
        ([["Name", "City", "Country", "2024"], ["Ada", "London", "UK", "12"]], 0),
        # Repeated cells are decoration or data.
        ([["Customers", "Customers"], ["Name", "City", "Country"], ["Ada", "London", "UK"]], 1),
        # A first row that is not header-like but as wide as the rows below is the header all the same: a data
        # row of plain words under it is never taken for the header.
        ([["Name", "2024"], ["Ada", "London"], ["Bob", "Paris"]], 0),
    ],
)
def test_the_header_is_the_first_row_that_looks_like_one(rows, expected):
    assert header_index(rows) == expected


def test_a_row_is_named_by_its_filled_cells_on_one_short_line():
    assert row_summary(["Name", None, " City\n", 2024.0]) == "Name · City · 2024"
    assert len(row_summary(["word " * 40, "more"])) == 80
