"""Reading an ECB reference rates file: eurofxref-hist.csv, the daily eurofxref.csv, or either in its zip; any other
file is refused whole with the reason."""

import csv
import io
import re
import zipfile
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from customer_app.errors import CustomerAppError

EURO = "EUR"  # the ECB quotes every rate against it
MAX_FILE_BYTES = 8 * 2**20  # the full ECB history is about 1.6 MB unpacked
MIN_LINES = 2  # the currencies, then at least one day
MAX_RATE_TEXT = 20


def parse_ecb(data: bytes) -> dict[tuple[str, date], Decimal]:
    """The rates of an ECB file by (currency, day); a CustomerAppError says what is wrong with any other file."""
    if len(data) > MAX_FILE_BYTES:
        raise CustomerAppError(f"This file is larger than an ECB rates file ({MAX_FILE_BYTES // 2**20} MB at most).")
    text = _text_of(_unpacked(data))
    rows = [line for line in csv.reader(io.StringIO(text)) if any(cell.strip() for cell in line)]
    if len(rows) < MIN_LINES or rows[0][0].strip() != "Date":
        raise CustomerAppError("This is not an ECB rates file: its first line should start with Date, USD, JPY, ...")
    currencies = [name.strip() for name in rows[0][1:]]
    unknown = [name for name in currencies if name and not re.fullmatch(r"[A-Z]{3}", name)]
    if unknown:
        raise CustomerAppError(f"This is not an ECB rates file: {unknown[0][:20]} is not a currency code.")
    found: dict[tuple[str, date], Decimal] = {}
    for number, line in enumerate(rows[1:], start=2):
        day = _file_day(line[0], number)
        for currency, cell in zip(currencies, line[1:], strict=False):
            value = cell.strip()
            if currency and currency != EURO and value and value != "N/A":
                found[(currency, day)] = _file_rate(value, currency, number)
    if not found:
        raise CustomerAppError("This ECB file holds no rates.")
    return found


def _unpacked(data: bytes) -> bytes:
    """The CSV itself, out of its zip when it comes in one."""
    if not data.startswith(b"PK"):
        return data
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = [n for n in archive.namelist() if n.lower().endswith(".csv")]
            if len(names) != 1 or archive.getinfo(names[0]).file_size > MAX_FILE_BYTES:
                raise CustomerAppError("This zip file should hold one ECB rates file (.csv).")
            return archive.read(names[0])
    except (zipfile.BadZipFile, OSError) as exc:
        raise CustomerAppError("This zip file is damaged: download it from the ECB again.") from exc


def _text_of(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise CustomerAppError("This is not an ECB rates file: it is not text (upload the .csv or its .zip).") from exc


def _file_day(cell: str, number: int) -> date:
    typed = cell.strip()
    for pattern in ("%Y-%m-%d", "%d %B %Y"):  # the history says 2026-10-30, the daily file 30 October 2026
        try:
            return datetime.strptime(typed, pattern).date()
        except ValueError:
            continue
    raise CustomerAppError(f"Line {number} of the file: {typed[:30]!r} is not a day like 2026-10-30.")


def _file_rate(value: str, currency: str, number: int) -> Decimal:
    try:
        rate = Decimal(value)
    except InvalidOperation:
        rate = Decimal(0)
    if not rate.is_finite() or rate <= 0 or len(value) > MAX_RATE_TEXT:
        raise CustomerAppError(f"Line {number} of the file: the {currency} rate {value[:20]!r} is not a rate.")
    return rate
