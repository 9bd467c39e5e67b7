"""Which of a sheet's first rows is its header: files other systems export often start with a title or a report
name, a blank line and a section line before the real column names."""

import re
from datetime import date, time, timedelta

from customer_app.core.sheet_rules import is_blank

SCAN_ROWS = 10  # non-empty rows looked at (and offered to choose from) before the data is read
SUMMARY_CHARS = 80
_MIN_CELLS = 2  # a row with a single filled cell is a title, not a header
_MAX_LABEL = 100  # a column name is short; a longer cell is a sentence or a value
_VALUE_SHARE = 0.25  # at most this share of a header's cells may look like values (a column named 2024)
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
_NUMBER = re.compile(r"[\d\s+\-().,/:%€$£]+")  # numbers, phones, amounts, dates and times typed as text
_VALUE_TYPES = (int, float, date, time, timedelta)  # bool is an int, datetime a date


def header_index(rows: list[list]) -> int:
    """The index among `rows` (a sheet's first non-empty rows) of the first one that looks like a header followed
    by data; the first row when none does (a file without a header reads as before)."""
    above = 0  # the most cells filled in a row above: titles and section lines are narrower than the header
    for index, cells in enumerate(rows[:-1]):
        filled = _filled(cells)
        if filled > above and _looks_like_header(cells, rows[index + 1 :]):
            return index
        above = max(above, filled)
    return 0


def row_summary(cells: list) -> str:
    """A row's filled cells on one short line, to name it in a choice of header rows."""
    text = " · ".join(_text(cell) for cell in cells if not is_blank(cell))
    return text if len(text) <= SUMMARY_CHARS else text[: SUMMARY_CHARS - 1].rstrip() + "…"


def _looks_like_header(cells: list, following: list[list]) -> bool:
    filled = [cell for cell in cells if not is_blank(cell)]
    if len(filled) < _MIN_CELLS:
        return False
    names = [_text(cell).casefold() for cell in filled]
    if len(set(names)) < len(names):
        return False  # column names are distinct; a row of repeated values is data or decoration
    values = sum(1 for cell in filled if _is_value(cell))
    if values > _VALUE_SHARE * len(filled):
        return False
    # A short line above a wide table ("Report, Customers") is preamble: the header spans most of the table.
    return 2 * len(filled) >= max(map(_filled, following))


def _filled(cells: list) -> int:
    return sum(1 for cell in cells if not is_blank(cell))


def _is_value(cell: object) -> bool:
    if isinstance(cell, _VALUE_TYPES):
        return True
    text = str(cell).strip()
    return len(text) > _MAX_LABEL or bool(_EMAIL.fullmatch(text) or _NUMBER.fullmatch(text))


def _text(cell: object) -> str:
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    return "" if cell is None else " ".join(str(cell).split())
