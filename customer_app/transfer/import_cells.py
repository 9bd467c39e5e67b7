"""Read spreadsheet cells the way people fill them: numbers that are really phone numbers, Excel's serial dates,
kinds written in several languages."""

import functools
import re
from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation

from customer_app.core import normalize
from customer_app.customers.models import CustomerKind
from customer_app.transfer.columns import is_risky
from customer_app.transfer.import_mapping import header_key

PHONES = ("phone", "mobile", "fax", "person_phone", "other_phone")
_MULTILINE = ("footnotes", "note")  # kept with their line breaks

_EXCEL_LAST_DAY = 2_958_465  # 9999-12-31, the last date Excel can show
_EXCEL_EPOCH = date(1899, 12, 30)  # day 0 of Excel's serial dates (it counts a 29 February 1900 that never was)
_SCIENTIFIC = re.compile(r"[0-9](?:[.,][0-9]+)?[eE]\+?[0-9]{1,2}")
_DATE_FORMATS = ("%Y-%m-%d", "%Y/%m/%d", "%d.%m.%Y", "%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M:%S")
_KINDS = {
    **dict.fromkeys(("individual", "person", "private", "privateperson", "individuel"), CustomerKind.INDIVIDUAL),
    **dict.fromkeys(
        ("institution", "company", "organisation", "organization", "business", "legalentity"), CustomerKind.INSTITUTION
    ),
    # A yes/no column headed "Is a Company" (Odoo) is the kind too.
    **dict.fromkeys(("yes", "true", "1", "ja", "oui", "si"), CustomerKind.INSTITUTION),
    **dict.fromkeys(("no", "false", "0", "nein", "non"), CustomerKind.INDIVIDUAL),
}


def cell_text(name: str, value: object) -> str | None:
    """A cell as the text a person meant: dates, numbers-as-text, exported apostrophes and stray spaces handled."""
    if value is None or value == "":
        return None
    if type(value) is str:  # most cells: skip the type checks below
        return _text(name, value)
    if isinstance(value, datetime | date):
        day = value.date() if isinstance(value, datetime) else value
        return day.isoformat() if name == "date_of_birth" else value.isoformat()
    if isinstance(value, bool):
        return _text(name, "Yes" if value else "No")
    if isinstance(value, int | float):
        if name == "date_of_birth" and 0 < value <= _EXCEL_LAST_DAY:
            return (_EXCEL_EPOCH + timedelta(days=int(value))).isoformat()
        if isinstance(value, float) and value.is_integer():
            value = int(value)  # a phone or ID typed into a number cell: 4155550123.0 → 4155550123
        return str(value)
    if isinstance(value, timedelta):
        return str(value)
    return _text(name, str(value))


def _text(name: str, value: str) -> str | None:
    text = normalize.clean_text(value) if name not in _MULTILINE else value.strip()
    if not text:
        return None
    if text[0] == "'" and is_risky(text[1:]):
        text = text[1:]  # an export neutralised this cell against formula injection: take the text back
    if name in PHONES and _SCIENTIFIC.fullmatch(text):
        text = _plain_digits(text)
    elif name == "date_of_birth":
        text = _iso_date(text)
    elif name == "kind":
        text = _kind(text)
    return text


@functools.lru_cache(maxsize=64)
def _kind(text: str) -> str:
    return _KINDS.get(header_key(text), text)


def phone_text(value: object, text: str, region: str) -> str:
    """A phone a spreadsheet stored as a number lost its leading "+" or "0": put back whichever makes it valid."""
    if not isinstance(value, int | float) and not _SCIENTIFIC.fullmatch(str(value).strip()):
        return text
    for candidate in (text, f"+{text}", f"0{text}"):
        try:
            normalize.normalize_phone(candidate, region)
        except ValueError:
            continue
        return candidate
    return text


def _plain_digits(text: str) -> str:
    try:
        return str(int(Decimal(text.replace(",", "."))))
    except InvalidOperation:
        return text


def _iso_date(text: str) -> str:
    try:
        return (
            date.fromisoformat(text[:10]).isoformat() if len(text) == len("yyyy-mm-dd") or text[10:11] in " T" else text
        )
    except ValueError:
        pass
    for pattern in _DATE_FORMATS:
        try:
            return datetime.strptime(text, pattern).date().isoformat()
        except ValueError:
            continue
    return text  # validation explains the expected form
