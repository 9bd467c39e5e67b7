"""Reading uploaded spreadsheets: real files made in tmp_path with openpyxl, csv and hand-written zip archives."""

from __future__ import annotations

import datetime
import os
import struct
import zipfile
import zlib
from collections.abc import Iterable
from pathlib import Path

import openpyxl
import pytest
from openpyxl.utils import get_column_letter

from customer_app.core import spreadsheet, workbook_reader
from customer_app.core.spreadsheet import MAX_BYTES, check_upload, read_table, sheet_names
from customer_app.errors import ImportFileError
from tests.unit.spreadsheet_files import ODS_TYPE, csv_file, ods, text_cell, workbook, xlsx_by_hand

MB = 1024 * 1024
# What an admin reads; asserted word for word so that a change of wording is a deliberate one.
EMPTY = "The file is empty."
NO_DATA = "The file has a header row but no customers under it."
DAMAGED = "This file could not be read as a spreadsheet; it may be damaged or incomplete."
ZIP_BOMB = "This file unpacks to far more data than a spreadsheet should, so it was not opened."
TOO_BIG_TO_READ = "This sheet is too large to read."
NOT_TEXT = "This file does not look like CSV text."
ONE_COLUMN = "Only one column was found. Separate columns with commas, semicolons, tabs or | and try again."


def _refused(path: Path, message: str, **kwargs) -> None:
    with pytest.raises(ImportFileError) as caught:
        read_table(path, **kwargs)
    assert message in str(caught.value)


# --- check_upload ------------------------------------------------------------------------------------------------


def test_check_upload_returns_the_lower_cased_extension():
    assert check_upload("Customers 2024.XLSX", 10) == ".xlsx"
    assert check_upload("export.csv", MAX_BYTES) == ".csv"


@pytest.mark.parametrize(
    ("filename", "size", "message"),
    [
        ("customers.pdf", 10, "Choose an .xlsx, .xls, .ods or .csv file."),
        ("xlsx", 10, "Choose an .xlsx, .xls, .ods or .csv file."),
        ("customers.xlsx", MAX_BYTES + 1, "This file is larger than 200 MB"),
        ("customers.csv", 0, EMPTY),
    ],
)
def test_check_upload_refuses_wrong_type_oversize_and_empty_files(filename, size, message):
    with pytest.raises(ImportFileError, match=message):
        check_upload(filename, size)


def test_a_file_that_vanished_before_reading_asks_for_a_new_upload(tmp_path):
    _refused(tmp_path / "gone.xlsx", "no longer available")


# --- workbooks ---------------------------------------------------------------------------------------------------


@pytest.fixture
def several_sheets(tmp_path) -> Path:
    return workbook(
        tmp_path / "customers.xlsx",
        {
            "Secret": [["Name"], ["Hidden Person"]],
            "People": [
                ["Name", "Born", "Visits", "Active", "Joined at"],
                ["Ann", datetime.date(1990, 1, 2), 3, True, datetime.datetime(2024, 5, 6, 7, 8, 9)],
            ],
            "Companies": [["Company"], ["Acme"]],
        },
        hidden={"Secret"},
    )


def test_sheet_names_lists_the_visible_worksheets_in_order(several_sheets):
    assert sheet_names(several_sheets) == ["People", "Companies"]


def test_the_first_visible_sheet_is_read_with_typed_values(several_sheets):
    table = read_table(several_sheets)
    assert table.sheet == "People"
    assert table.headers == ["Name", "Born", "Visits", "Active", "Joined at"]
    assert table.rows == [(2, ["Ann", datetime.date(1990, 1, 2), 3, True, datetime.datetime(2024, 5, 6, 7, 8, 9)])]
    assert [type(cell) for cell in table.rows[0][1]] == [str, datetime.date, float, bool, datetime.datetime]
    assert (table.delimiter, table.encoding) == (None, None)


def test_a_named_sheet_is_read(several_sheets):
    table = read_table(several_sheets, sheet="Companies")
    assert (table.sheet, table.headers, table.rows) == ("Companies", ["Company"], [(2, ["Acme"])])


def test_a_hidden_or_missing_sheet_is_refused_by_name(several_sheets):
    _refused(several_sheets, 'The sheet "Secret" is hidden', sheet="Secret")
    _refused(several_sheets, 'There is no sheet named "Nope"', sheet="Nope")


def test_empty_rows_are_skipped_and_line_numbers_stay_true_to_the_sheet(tmp_path):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet["B3"], sheet["C3"], sheet["D3"] = "  Name ", "Email", "   "
    sheet["B4"] = "Ann"
    sheet["B6"], sheet["C6"] = "   ", None  # whitespace only: empty
    sheet["B7"], sheet["C7"] = "Bob", "bob@example.org"
    sheet["E9"] = "note"  # data under an unnamed column keeps that column
    book.save(tmp_path / "sparse.xlsx")

    table = read_table(tmp_path / "sparse.xlsx")

    assert table.headers == ["Name", "Email", "", ""]
    assert table.rows == [(4, ["Ann", "", "", ""]), (7, ["Bob", "bob@example.org", "", ""]), (9, ["", "", "", "note"])]


def test_trailing_empty_header_columns_without_data_are_dropped(tmp_path):
    path = xlsx_by_hand(
        tmp_path / "styled.xlsx",
        [
            f'<row r="1">{text_cell("A1", "Name")}{text_cell("B1", " ")}<c r="C1" s="1"/></row>',
            f'<row r="2">{text_cell("A2", "Ann")}<c r="B2" s="1"/><c r="C2" s="1"/></row>',
        ],
    )
    assert read_table(path).headers == ["Name"]


def test_a_formula_cell_gives_its_cached_value(tmp_path):
    path = xlsx_by_hand(
        tmp_path / "formula.xlsx",
        [
            f'<row r="1">{text_cell("A1", "Name")}{text_cell("B1", "Total")}</row>',
            f'<row r="2">{text_cell("A2", "Ann")}<c r="B2"><f>21*2</f><v>42</v></c></row>',
        ],
    )
    assert read_table(path).rows == [(2, ["Ann", 42])]


def test_an_ods_sheet_is_read(tmp_path):
    path = ods(tmp_path / "people.ods", [["Name", "Age"], ["Ann", 41], [], ["Bob", 7.5]])
    assert sheet_names(path) == ["People"]
    table = read_table(path)
    assert (table.sheet, table.headers, table.rows) == (
        "People",
        ["Name", "Age"],
        [(2, ["Ann", 41]), (4, ["Bob", 7.5])],
    )


def test_a_long_sheet_arrives_whole_and_in_order(tmp_path):
    rows = [["Name", "Number"]] + [[f"Person {i}", i] for i in range(2500)]
    table = read_table(workbook(tmp_path / "long.xlsx", {"Data": rows}))
    assert table.rows == [(i + 2, [f"Person {i}", i]) for i in range(2500)]


def test_an_ods_sheet_repeating_a_value_over_every_cell_is_refused(tmp_path):
    path = ods(tmp_path / "repeat.ods", [["Name"]])
    repeated = (
        '<table:table-row table:number-rows-repeated="1048575"><table:table-cell office:value-type="float" '
        'office:value="1" table:number-columns-repeated="16384"/></table:table-row></table:table>'
    )
    with zipfile.ZipFile(path) as archive:
        content = archive.read("content.xml").decode().replace("</table:table>", repeated)
        manifest = archive.read("META-INF/manifest.xml")
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("mimetype", ODS_TYPE)
        archive.writestr("META-INF/manifest.xml", manifest)
        archive.writestr("content.xml", content)
    _refused(path, TOO_BIG_TO_READ)


def test_an_empty_sheet_or_a_header_without_customers_is_refused(tmp_path):
    _refused(workbook(tmp_path / "empty.xlsx", {"Data": []}), EMPTY)
    _refused(workbook(tmp_path / "header.xlsx", {"Data": [["Name", "Email"]]}), NO_DATA)


def test_a_million_styled_empty_rows_under_a_huge_dimension_give_only_the_real_rows(tmp_path):
    def rows() -> Iterable[str]:
        yield f'<row r="1">{text_cell("A1", "Name")}{text_cell("B1", "Email")}</row>'
        yield f'<row r="2">{text_cell("A2", "Ann")}{text_cell("B2", "ann@example.org")}</row>'
        step = 50_000
        for first in range(3, 1_048_577, step):
            yield "".join(
                f'<row r="{r}"><c r="A{r}" s="1"/><c r="K{r}" s="1"/></row>'
                for r in range(first, min(first + step, 1_048_577))
            )

    path = xlsx_by_hand(tmp_path / "million.xlsx", rows(), dimension="A1:K1048576")
    table = read_table(path)
    assert (table.headers, table.rows) == (["Name", "Email"], [(2, ["Ann", "ann@example.org"])])


def test_two_far_apart_cells_are_refused_without_harming_the_server(tmp_path):
    # calamine would allocate a 1,048,576 x 16,384 grid for these two values; the reader's memory limit stops it.
    path = xlsx_by_hand(
        tmp_path / "corners.xlsx",
        ['<row r="1"><c r="A1"><v>1</v></c></row>', '<row r="1048576"><c r="XFD1048576"><v>2</v></c></row>'],
    )
    _refused(path, TOO_BIG_TO_READ)


def test_the_widest_possible_sheet_is_refused_with_its_column_count(tmp_path):
    header = "".join(f'<c r="{get_column_letter(i)}1"><v>{i}</v></c>' for i in range(1, 16_385))
    path = xlsx_by_hand(
        tmp_path / "wide.xlsx", [f'<row r="1">{header}</row>', '<row r="2"><c r="A2"><v>1</v></c></row>']
    )
    _refused(path, "The sheet has 16,384 columns; at most 200 can be imported.")


def test_too_many_customer_rows_are_refused(tmp_path, monkeypatch):
    monkeypatch.setattr(spreadsheet, "MAX_ROWS", 2)
    path = workbook(tmp_path / "many.xlsx", {"Data": [["Name"], ["Ann"], ["Bob"], ["Cy"]]})
    _refused(path, "more than 2 customers")
    _refused(csv_file(tmp_path / "many.csv", "Name\nAnn\nBob\nCy\n"), "more than 2 customers")


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("truncated.xlsx", None),
        ("not-a-zip.xlsx", b"Name,Email\nAnn,ann@example.org\n"),
        ("not-a-zip.ods", b"\x89PNG\r\n\x1a\n" + bytes(100)),
        ("garbage.xls", os.urandom(4096)),
        ("empty-zip.xlsx", b"PK\x05\x06" + bytes(18)),
    ],
)
def test_damaged_workbooks_are_refused_without_library_details(tmp_path, several_sheets, name, content):
    path = tmp_path / name
    path.write_bytes(content if content is not None else several_sheets.read_bytes()[:2000])
    _refused(path, DAMAGED)
    with pytest.raises(ImportFileError, match="could not be read as a spreadsheet"):
        sheet_names(path)


def test_a_zip_bomb_named_xlsx_is_not_unpacked(tmp_path):
    path = xlsx_by_hand(tmp_path / "bomb.xlsx", ['<row r="1"><c r="A1"><v>1</v></c></row>'])
    with zipfile.ZipFile(path, "a", zipfile.ZIP_DEFLATED) as archive, archive.open("xl/media/filler.bin", "w") as out:
        chunk = bytes(MB)
        for _ in range(20):
            out.write(chunk)
    _refused(path, ZIP_BOMB)


def test_a_workbook_unpacking_beyond_the_limit_is_refused(tmp_path, monkeypatch):
    monkeypatch.setattr(workbook_reader, "MAX_UNZIPPED_BYTES", MB)
    path = xlsx_by_hand(tmp_path / "big.xlsx", [])
    with zipfile.ZipFile(path, "a", zipfile.ZIP_STORED) as archive:
        archive.writestr("xl/media/photo.bin", os.urandom(MB))
    _refused(path, ZIP_BOMB)


# --- CSV ---------------------------------------------------------------------------------------------------------


def test_sheet_names_of_a_csv_is_empty(tmp_path):
    assert sheet_names(csv_file(tmp_path / "people.csv", "Name\nAnn\n")) == []


@pytest.mark.parametrize("delimiter", [",", ";", "\t", "|"])
def test_each_csv_delimiter_is_detected(tmp_path, delimiter):
    lines = [["Name", "Email", "City"], ["Ann", "ann@example.org", "Paris"], ["Bob", "", "Lyon"]]
    path = csv_file(tmp_path / "people.csv", "".join(delimiter.join(line) + "\r\n" for line in lines))
    table = read_table(path)
    assert (table.delimiter, table.headers, table.sheet) == (delimiter, ["Name", "Email", "City"], None)
    assert table.rows == [(2, ["Ann", "ann@example.org", "Paris"]), (3, ["Bob", "", "Lyon"])]


def test_semicolons_win_over_decimal_commas(tmp_path):
    path = csv_file(tmp_path / "amounts.csv", "Name;Balance;Rate\nAnn;1,50;0,2\nBob;3,25;1,0\n")
    table = read_table(path)
    assert (table.delimiter, table.rows[0]) == (";", (2, ["Ann", "1,50", "0,2"]))


@pytest.mark.parametrize(
    ("encoding", "detected"),
    [("utf-8", "utf-8"), ("utf-8-sig", "utf-8-sig"), ("utf-16", "utf-16"), ("cp1252", "cp1252")],
)
def test_each_csv_encoding_is_detected(tmp_path, encoding, detected):
    path = csv_file(tmp_path / "people.csv", "Nom,Société\nRené,Café 5 €\n", encoding)
    table = read_table(path)
    assert (table.encoding, table.headers, table.rows) == (detected, ["Nom", "Société"], [(2, ["René", "Café 5 €"])])


def test_bytes_outside_windows_1252_fall_back_to_latin_1(tmp_path):
    path = tmp_path / "odd.csv"
    path.write_bytes(b"Name,Code\nAnn,\x81X\nBob,Y\nCy,Z\nDee,W\n")
    table = read_table(path)
    assert (table.encoding, table.rows[0]) == ("latin-1", (2, ["Ann", "\x81X"]))


def test_quoted_csv_fields_keep_their_commas_and_newlines(tmp_path):
    text = 'Name,Address,Notes\n"Smith, Ann","1 Main St\nSpringfield","said ""hi"""\n\nBob,,\n'
    table = read_table(csv_file(tmp_path / "quoted.csv", text))
    assert table.rows == [(2, ["Smith, Ann", "1 Main St\nSpringfield", 'said "hi"']), (4, ["Bob", "", ""])]


def test_a_single_column_csv_is_fine(tmp_path):
    table = read_table(csv_file(tmp_path / "emails.csv", "Email\nann@example.org\n"))
    assert (table.headers, table.rows) == (["Email"], [(2, ["ann@example.org"])])


def test_a_csv_with_an_unknown_separator_asks_for_a_real_one(tmp_path):
    _refused(csv_file(tmp_path / "colons.csv", "Name:Email\nAnn:ann@example.org\n"), ONE_COLUMN)


@pytest.mark.parametrize(
    "content",
    [
        os.urandom(8192),
        b"\x89PNG\r\n\x1a\n" + struct.pack(">I", 13) + b"IHDR" + zlib.compress(bytes(4000)),
        b"\x01\x02\x03\x04\x05\x06\x07\x08\x0b\x0e\x0f\x10" * 100,
    ],
    ids=["random", "png", "controls"],
)
def test_binary_files_named_csv_are_refused(tmp_path, content):
    path = tmp_path / "people.csv"
    path.write_bytes(content)
    _refused(path, NOT_TEXT)


def test_binary_bytes_after_the_first_lines_are_refused(tmp_path):
    path = tmp_path / "people.csv"
    path.write_bytes(b"Name,Email\n" + b"Ann,ann@example.org\n" * 5000 + b"Bob\x00\x00,x\n")
    _refused(path, NOT_TEXT)


def test_broken_utf_16_is_refused(tmp_path):
    path = tmp_path / "people.csv"
    path.write_bytes(b"\xff\xfe" + "Name,Email\nAnn,a@b.org\n".encode("utf-16-le") + b"\x00\xdc")
    _refused(path, NOT_TEXT)


def test_a_zip_renamed_to_csv_is_refused(tmp_path, several_sheets):
    path = tmp_path / "people.csv"
    path.write_bytes(several_sheets.read_bytes())
    _refused(path, NOT_TEXT)


def test_empty_and_header_only_csv_files_are_refused(tmp_path):
    _refused(csv_file(tmp_path / "blank.csv", "\r\n ,  , \r\n\r\n"), EMPTY)
    _refused(csv_file(tmp_path / "header.csv", "Name,Email\n,\n"), NO_DATA)
    _refused(csv_file(tmp_path / "zero.csv", ""), EMPTY)


def test_a_csv_with_too_many_columns_is_refused(tmp_path):
    header = ",".join(f"Column {i}" for i in range(1, 302))
    _refused(
        csv_file(tmp_path / "wide.csv", f"{header}\n1\n"), "The sheet has 301 columns; at most 200 can be imported."
    )


# --- open_rows: a stream for files too big to hold ---------------------------------------------------------------


def test_a_streamed_csv_hands_out_its_rows_as_it_reads_them(tmp_path):
    # A NUL far into the file (past the part sniffed for the delimiter) refuses the file only when the reader gets
    # there: every row before it was handed out already, so nothing read the whole file first.
    lines = ["Name,Email", *(f"Person {n},p{n}@example.com" for n in range(5000)), "Bad\x00,row"]
    path = csv_file(tmp_path / "big.csv", "\n".join(lines) + "\n")
    with spreadsheet.open_rows(path) as stream:
        assert stream.headers == ["Name", "Email"]
        first = next(stream.rows)
        assert (first, stream.count) == ((2, ["Person 0", "p0@example.com"]), 1)
        handed = [first]
        with pytest.raises(ImportFileError, match=NOT_TEXT):
            handed.extend(stream.rows)  # keeps each row it was handed before the error
    assert len(handed) == 5000


def test_a_streamed_sheet_knows_its_width_once_every_row_was_read(tmp_path):
    path = csv_file(tmp_path / "ragged.csv", "Name,Email\nAnn,ann@example.com\nBob,bob@example.com,VIP,extra\n")
    with spreadsheet.open_rows(path) as stream:
        rows = list(stream.rows)
    assert rows == [(2, ["Ann", "ann@example.com"]), (3, ["Bob", "bob@example.com", "VIP", "extra"])]
    assert (stream.width, stream.headers) == (4, ["Name", "Email", "", ""])
    assert read_table(path).rows[0] == (2, ["Ann", "ann@example.com", "", ""])  # a whole table is padded
