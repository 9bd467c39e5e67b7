"""Files an admin downloads around a customer import: the sample workbook, the sample CSV and the error report."""

import csv
import io
from collections.abc import Iterable, Sequence
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.datavalidation import DataValidation

from customer_app.customers.models import APPLIES_TO, GENDERS, OWNERSHIP_TYPES, CustomField
from customer_app.customers.validation import MAX_AGE_YEARS
from customer_app.transfer.columns import COLUMNS, csv_text, custom_headers, is_risky
from customer_app.transfer.export import text_cell

IMPORT_FIELDS: tuple[str, ...] = (
    "kind",
    "first_name",
    "last_name",
    "name",
    "email",
    "phone",
    "mobile",
    "company_name",
    "position",
    "vat_number",
    "website",
    "date_of_birth",
    "gender",
    "ownership_type",
    "fax",
    "footnotes",
)
_KEEP = "when updating, an empty cell keeps the stored value"
_PHONE = (
    "include the country code, or the row's Country column (else the workspace's default country) is assumed; "
    "stored in international form"
)
FIELD_HELP: dict[str, str] = {
    "id": "Matches a row to the customer it was exported from so that customer is updated; "
    "leave it empty for new customers.",
    "kind": "Individual for a person or Institution for an organisation; a new customer without one is an Individual.",
    "first_name": f"The person's first name; an Individual needs a first or a last name ({_KEEP}).",
    "last_name": f"The person's last name; an Individual needs a first or a last name ({_KEEP}).",
    "name": f"The organisation's name, required for an Institution ({_KEEP}).",
    "email": f"Optional e-mail address like name@example.com, which can also match an existing customer ({_KEEP}).",
    "phone": f"Optional phone number like +44 20 7946 0958; {_PHONE} ({_KEEP}).",
    "mobile": f"Optional mobile number; {_PHONE} ({_KEEP}).",
    "fax": f"Optional fax number; {_PHONE} ({_KEEP}).",
    "company_name": f"Optional company the person works for ({_KEEP}).",
    "position": f"Optional job title ({_KEEP}).",
    "vat_number": "Optional VAT number with its country prefix like DE136695976, checked where the country's rules "
    f"are known, which can also match an existing customer ({_KEEP}).",
    "website": f"Optional website address like example.com; https:// is added when missing ({_KEEP}).",
    "date_of_birth": "Optional date of birth of an Individual, as a date cell or text like 1990-04-23, "
    f"neither in the future nor more than {MAX_AGE_YEARS} years ago ({_KEEP}).",
    "gender": f"Optional, for an Individual: one of {', '.join(GENDERS)} ({_KEEP}).",
    "ownership_type": f"Optional, for an Institution: one of {', '.join(OWNERSHIP_TYPES)} ({_KEEP}).",
    "footnotes": f"Optional notes; several lines are fine ({_KEEP}).",
}
_REQUIRED = {
    "id": "Only to update",
    "kind": "No (Individual)",
    "first_name": "Individual: first or last name",
    "last_name": "Individual: first or last name",
    "name": "Institution: yes",
}
_EXAMPLES: tuple[dict[str, object], ...] = (
    {
        "kind": "Individual",
        "first_name": "Ada",
        "last_name": "Lovelace",
        "email": "ada@example.com",
        "phone": "+44 20 7946 0958",
        "mobile": "+44 20 7946 0959",
        "company_name": "Analytical Engines Ltd",
        "position": "Mathematician",
        "date_of_birth": date(1990, 12, 10),
        "gender": "Female",
        "footnotes": "Prefers e-mail.",
    },
    {
        "kind": "Institution",
        "name": "Analytical Engines Ltd",
        "email": "contact@analytical-engines.example",
        "phone": "+44 161 496 0000",
        "vat_number": "GB980780684",
        "website": "analytical-engines.example",
        "ownership_type": "Limited liability company",
        "fax": "+44 161 496 0001",
    },
)
_CHOICES: dict[str, tuple[str, ...]] = {
    "kind": ("Individual", "Institution"),
    "gender": GENDERS,
    "ownership_type": OWNERSHIP_TYPES,
}
_CUSTOM_HELP = {
    "text": lambda field: "text of up to 500 characters",
    "number": lambda field: "a number like 1234.56",
    "date": lambda field: "a date cell or text like 2026-04-23",
    "choice": lambda field: "one of " + ", ".join(field.choices),
    "yes_no": lambda field: "Yes or No",
}
_TEXT_FORMAT = "@"  # Excel's Text format: what people type there stays as typed ("+44 ..." is not a formula)
_TEXT_COLUMNS = ("phone", "mobile", "fax", "vat_number")
_VALIDATED_ROWS = 10_000
_FORMULA_LIMIT = 255  # Excel refuses a list validation whose inline list is longer
_MAX_CELL_TEXT = 32_767  # Excel's limit; longer text makes it "repair" the whole workbook
_BOLD = Font(bold=True)
_EXCEL_VALUES = (str, int, float, Decimal, date, time, timedelta)  # bool is an int


def sample_xlsx(custom: Sequence[CustomField] = ()) -> bytes:
    """The sample workbook: a Customers sheet (the `custom` fields' columns last, empty) and an Instructions sheet."""
    workbook = Workbook()
    sheet = workbook.worksheets[0]  # the active one of a new workbook
    sheet.title = "Customers"
    _fill_customers(sheet, custom)
    _fill_instructions(workbook.create_sheet("Instructions"), custom)
    for column, key in enumerate(IMPORT_FIELDS, start=1):
        if key in _CHOICES:
            _add_choice(workbook, sheet, get_column_letter(column), COLUMNS[key].header, _CHOICES[key])
    for column, field in enumerate(custom, start=len(IMPORT_FIELDS) + 1):
        if field.field_type in ("choice", "yes_no"):
            options = tuple(field.choices) if field.field_type == "choice" else ("Yes", "No")
            _add_choice(workbook, sheet, get_column_letter(column), field.label, options)
    _as_text(workbook)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def sample_csv(custom: Sequence[CustomField] = ()) -> bytes:
    """The same header and example rows as UTF-8 CSV with a BOM."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([csv_text(header) for header in _headers(custom)])
    for example in _EXAMPLES:
        writer.writerow([*(_example_text(example.get(key)) for key in IMPORT_FIELDS), *("" for _ in custom)])
    # The BOM is how spreadsheet programs learn the file is UTF-8.
    return buffer.getvalue().encode("utf-8-sig")


def write_error_report(path: Path, headers: list[str], rows: Iterable[tuple[list, str]]) -> int:
    """An xlsx of the original rows that need fixing, each with an Error column; returns the row count."""
    workbook = Workbook(write_only=True)  # streams: a 100k-row report never sits in memory as cells
    sheet = workbook.create_sheet("Rows to fix")
    sheet.freeze_panes = "A2"
    width = len(headers)
    sheet.column_dimensions[get_column_letter(width + 1)].width = 60
    sheet.append([_bold_cell(sheet, _report_value(sheet, header)) for header in [*headers, "Error"]])
    count = 0
    for values, error in rows:
        # Short rows are padded and any extra cells follow the error, so errors always sit under "Error".
        cells = [*values[:width], *[None] * (width - len(values)), error, *values[width:]]
        sheet.append([_report_value(sheet, value) for value in cells])
        count += 1
    workbook.save(path)
    return count


def _as_text(workbook) -> None:
    """Every cell that could read as a formula (a custom field labelled "=HYPERLINK(...)", a choice "+1") is text."""
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if is_risky(cell.value):
                    cell.data_type, cell.quotePrefix = "s", True


def _headers(custom: Sequence[CustomField] = ()) -> list[str]:
    return [COLUMNS[key].header for key in IMPORT_FIELDS] + list(custom_headers(custom).values())


def _example_text(value: object) -> str:
    return value.isoformat() if isinstance(value, date) else str(value or "")


def _fill_customers(sheet, custom: Sequence[CustomField]) -> None:
    sheet.append(_headers(custom))
    for cell in sheet[1]:
        cell.font = _BOLD
    sheet.freeze_panes = "A2"
    for example in _EXAMPLES:
        sheet.append([example.get(key) for key in IMPORT_FIELDS])
    for column, key in enumerate(IMPORT_FIELDS, start=1):
        letter = get_column_letter(column)
        texts = [COLUMNS[key].header, *(_example_text(example.get(key)) for example in _EXAMPLES)]
        sheet.column_dimensions[letter].width = min(max(map(len, texts)) + 3, 45)
        if key in _TEXT_COLUMNS:
            sheet.column_dimensions[letter].number_format = _TEXT_FORMAT
        for (cell,) in sheet.iter_rows(min_row=2, min_col=column, max_col=column):
            if key in _TEXT_COLUMNS:
                cell.number_format = _TEXT_FORMAT
            elif key == "date_of_birth":
                cell.number_format = "yyyy-mm-dd"
    for column, header in enumerate(custom_headers(custom).values(), start=len(IMPORT_FIELDS) + 1):
        sheet.column_dimensions[get_column_letter(column)].width = min(len(header) + 3, 45)


def _fill_instructions(sheet, custom: Sequence[CustomField]) -> None:
    sheet.append(["How to import customers"])
    sheet["A1"].font = Font(bold=True, size=14)
    for line in (
        "Put one customer on each row of the Customers sheet; the first row is the header.",
        "On upload you choose which field each column fills, so columns may be in any order.",
        "To update customers, start from an export: its Workspace customer ID column matches each row to its customer.",
        "A row without a Workspace customer ID can also match an existing customer by e-mail or VAT number.",
        "Addresses, a contact person, other e-mails and phones, tags, groups and a note can come in the same row: "
        "add columns such as Billing street, Billing city, Billing postcode, Shipping country, Contact person, Tags.",
        "Empty rows are skipped, and when updating an empty cell leaves the stored value unchanged.",
        "Rows with problems can be downloaded with their errors, fixed, and uploaded again.",
    ):
        sheet.append([line])
    sheet.append([])
    sheet.append(["Column", "Required", "Description", "Example"])
    for cell in sheet[sheet.max_row]:
        cell.font = _BOLD
    for key in (*IMPORT_FIELDS, "id"):
        example = next((_example_text(e[key]) for e in _EXAMPLES if e.get(key)), "1042" if key == "id" else "")
        sheet.append([COLUMNS[key].header, _REQUIRED.get(key, "No"), FIELD_HELP[key], example])
        sheet.cell(sheet.max_row, 3).alignment = Alignment(wrap_text=True, vertical="top")
    for field, header in zip(custom, custom_headers(custom).values(), strict=True):
        who = APPLIES_TO[field.applies_to].lower()
        required = f"New {who}: yes" if field.required else "No"
        sheet.append([header, required, f"Custom field for {who}: {_CUSTOM_HELP[field.field_type](field)} ({_KEEP})."])
        sheet.cell(sheet.max_row, 3).alignment = Alignment(wrap_text=True, vertical="top")
    for letter, width in zip("ABCD", (18, 30, 90, 36), strict=True):
        sheet.column_dimensions[letter].width = width


def _add_choice(workbook, sheet, letter: str, header: str, options: tuple[str, ...]) -> None:
    """A drop-down on one column of the Customers sheet that refuses anything not in the list."""
    inline = '"' + ",".join(options) + '"'
    # An inline list cannot hold commas or quotes, nor be longer than Excel allows: those go on a hidden sheet.
    if len(inline) > _FORMULA_LIMIT or any("," in o or '"' in o for o in options):
        inline = _listed_range(workbook, options)
    validation = DataValidation(
        type="list",
        formula1=inline,
        allow_blank=True,
        showErrorMessage=True,
        errorTitle=f"Unknown {header.lower()}",
        error=f"Choose a {header.lower()} from the drop-down list.",
    )
    validation.add(f"{letter}2:{letter}{_VALIDATED_ROWS}")
    sheet.add_data_validation(validation)


def _listed_range(workbook, options: tuple[str, ...]) -> str:
    """Write the options as a new column of the hidden Lists sheet; returns an absolute reference to them."""
    if "Lists" not in workbook.sheetnames:
        workbook.create_sheet("Lists").sheet_state = "hidden"
    lists = workbook["Lists"]
    column = 1 if lists["A1"].value is None else lists.max_column + 1
    for row, option in enumerate(options, start=1):
        lists.cell(row, column, option)
    letter = get_column_letter(column)
    return f"{quote_sheetname('Lists')}!${letter}$1:${letter}${len(options)}"


def _report_value(sheet, value: object) -> object:
    """A value openpyxl can write that a spreadsheet shows exactly as read: text never becomes a formula."""
    if value is None:
        return None
    if isinstance(value, datetime | time) and value.tzinfo is not None:
        return value.isoformat()  # Excel has no time zones; text keeps the offset the file had
    if not isinstance(value, _EXCEL_VALUES):
        value = str(value)
    if isinstance(value, str):
        # Control characters are not allowed in the file format at all.
        value = ILLEGAL_CHARACTERS_RE.sub("", value)[:_MAX_CELL_TEXT]
        if is_risky(value):
            return text_cell(sheet, value)
    return value


def _bold_cell(sheet, value: Any) -> Cell:
    cell = value if isinstance(value, Cell) else WriteOnlyCell(sheet, value)
    cell.font = _BOLD
    return cell
