"""Read an uploaded customer spreadsheet (CSV or workbook) safely into a header row and data rows."""

from __future__ import annotations

import codecs
import csv
import io
import json
import logging
import os
import pickle
import subprocess
import sys
import zipfile
from collections.abc import Iterable, Iterator
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path

from customer_app.errors import ImportFileError

EXTENSIONS = (".xlsx", ".xls", ".ods", ".csv")
MAX_BYTES = 50 * 1024 * 1024
MAX_COLUMNS = 200
MAX_ROWS = 1_000_000
MAX_UNZIPPED_BYTES = 500 * 1024 * 1024
MAX_ZIP_RATIO = 200  # real workbooks compress 5-20:1; far beyond that is a zip bomb
# calamine lays a sheet out as a dense grid of 32-byte cells from the first filled cell to the last, so a tiny file
# with values in A1 and XFD1048576 asks for 550 GB and aborts the whole process. Workbooks are therefore parsed in
# a child process that may use at most this much memory and CPU time.
READER_MEMORY_BYTES = 2 * 1024**3
READER_CPU_SECONDS = 120

WRONG_TYPE = "Choose an .xlsx, .xls, .ods or .csv file."
TOO_LARGE = f"This file is larger than {MAX_BYTES // 2**20} MB. Split it into smaller files and import them one by one."
EMPTY_FILE = "The file is empty. Choose a file with a header row and one customer per row under it."
DAMAGED = (
    "This file could not be read as a spreadsheet; it may be damaged or incomplete. "
    "Open it in your spreadsheet program, save it again and retry."
)
ZIP_BOMB = (
    "This file unpacks to far more data than a spreadsheet should, so it was not opened. Save it again and retry."
)
TOO_BIG_TO_READ = "This sheet is too large to read. Delete unused rows and columns or split the file, then try again."
NOT_TEXT = "This file does not look like CSV text. Save the sheet as CSV (comma-separated values) and try again."
ONE_COLUMN = "Only one column was found. Separate columns with commas, semicolons, tabs or | and try again."
NO_DATA = "The file has a header row but no customers under it."
NO_SHEET = "This workbook has no visible sheet to import."
GONE = "The uploaded file is no longer available. Upload it again."

DELIMITERS = (",", ";", "\t", "|")
_SAMPLE_BYTES = 64 * 1024
_SAMPLE_RECORDS = 20
_ZIPPED = (".xlsx", ".ods")
_BATCH = 1000
_CELL_TYPES = {"date", "datetime", "time", "timedelta"}
_log = logging.getLogger(__name__)


@dataclass
class Table:
    """The header row and the non-empty data rows of one sheet."""

    headers: list[str]
    rows: list[tuple[int, list]]
    sheet: str | None = None
    delimiter: str | None = None
    encoding: str | None = None


def check_upload(filename: str, size: int) -> str:
    """The lower-cased extension if the file may be imported; raises ImportFileError otherwise (type, size, empty)."""
    extension = Path(filename).suffix.lower()
    if extension not in EXTENSIONS:
        raise ImportFileError(WRONG_TYPE)
    if size > MAX_BYTES:
        raise ImportFileError(TOO_LARGE)
    if size <= 0:
        raise ImportFileError(EMPTY_FILE)
    return extension


def sheet_names(path: Path) -> list[str]:
    """Names of the visible worksheets of a workbook, in order ([] for a CSV). Raises ImportFileError if unreadable."""
    if _checked_extension(path) == ".csv":
        return []
    with closing(_workbook_messages(path, "names", None)) as messages:
        return next(messages)


def read_table(path: Path, *, sheet: str | None = None) -> Table:
    """Read a CSV or workbook sheet (the first visible one unless named)."""
    if _checked_extension(path) == ".csv":
        return _read_csv(path)
    with closing(_workbook_messages(path, "table", sheet)) as messages:
        name = next(messages)
        headers, rows = _build_table(record for batch in messages for record in batch)
    return Table(headers, rows, sheet=name)


def _checked_extension(path: Path) -> str:
    try:
        size = path.stat().st_size
    except OSError:
        raise ImportFileError(GONE) from None
    return check_upload(path.name, size)


def _build_table(records: Iterable[tuple[int, list]]) -> tuple[list[str], list[tuple[int, list]]]:
    """Split numbered rows into trimmed headers and non-empty data rows, all as wide as the widest of them."""
    header: list | None = None
    rows: list[tuple[int, list]] = []
    width = 0
    for line, cells in records:
        cells = _without_trailing_blanks(cells)
        if not cells:
            continue
        if len(cells) > MAX_COLUMNS:
            raise ImportFileError(_too_many_columns(len(cells)))
        if header is None:
            header = cells
            continue
        if len(rows) == MAX_ROWS:
            raise ImportFileError(f"The file has more than {MAX_ROWS:,} customers. Split it and import the parts.")
        rows.append((line, cells))
        width = max(width, len(cells))
    if header is None:
        raise ImportFileError(EMPTY_FILE)
    if not rows:
        raise ImportFileError(NO_DATA)
    width = max(width, len(header))
    for _, cells in rows:
        cells.extend([""] * (width - len(cells)))
    return [_header_text(cell) for cell in header] + [""] * (width - len(header)), rows


def _without_trailing_blanks(cells: list) -> list:
    end = len(cells)
    while end and _is_blank(cells[end - 1]):
        end -= 1
    return cells[:end] if end < len(cells) else cells


def _is_blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _header_text(value: object) -> str:
    # Numbers from workbooks are floats: a header typed as 2024 should read "2024", not "2024.0".
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return "" if value is None else str(value).strip()


def _too_many_columns(count: int) -> str:
    return (
        f"The sheet has {count:,} columns; at most {MAX_COLUMNS} can be imported. "
        "Delete the columns you do not need and try again."
    )


# --- CSV ---------------------------------------------------------------------------------------------------------


def _read_csv(path: Path) -> Table:
    raw = path.read_bytes()
    encoding = _encoding(raw)
    # A character cut in two at the end of the sample is dropped; the sample only has to show the file's shape.
    sample = raw[:_SAMPLE_BYTES].decode(encoding, errors="ignore")
    if "\x00" in sample or _control_share(sample) > 0.05:
        raise ImportFileError(NOT_TEXT)
    delimiter = _detect_delimiter(sample, complete=len(raw) <= _SAMPLE_BYTES)
    # Decoding as the reader goes keeps memory near the file's size; newline="" lets csv see quoted line breaks.
    text = io.TextIOWrapper(io.BytesIO(raw), encoding=encoding, newline="")
    try:
        headers, rows = _build_table(enumerate(csv.reader(_text_lines(text), delimiter=delimiter), start=1))
    except (csv.Error, UnicodeDecodeError):
        # Broken UTF-16 or a cell longer than csv allows: not a table of customers.
        raise ImportFileError(NOT_TEXT) from None
    if len(headers) == 1 and any(separator in headers[0] for separator in ":/~"):
        raise ImportFileError(ONE_COLUMN)
    return Table(headers, rows, delimiter=delimiter, encoding=encoding)


def _text_lines(lines: Iterable[str]) -> Iterator[str]:
    """The lines unchanged, refusing the file at the first NUL (csv passes NULs through; databases reject them)."""
    for line in lines:
        if "\x00" in line:
            raise ImportFileError(NOT_TEXT)
        yield line


def _encoding(raw: bytes) -> str:
    """The encoding a CSV file decodes with: its BOM's, else UTF-8, else Windows-1252, else latin-1."""
    if raw.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    # Excel on Windows saves "CSV" in the ANSI code page; latin-1 decodes anything (the binary check judges it).
    for encoding in ("utf-8", "cp1252"):
        try:
            raw.decode(encoding)
        except UnicodeDecodeError:
            continue
        return encoding
    return "latin-1"


def _control_share(sample: str) -> float:
    controls = sum(1 for char in sample if (char < " " and char not in "\t\r\n") or "\x7f" <= char <= "\x9f")
    return controls / max(len(sample), 1)


def _detect_delimiter(sample: str, *, complete: bool) -> str:
    """The candidate that splits the header into the most fields and keeps that count over the first records."""
    best, best_score = DELIMITERS[0], (0, 0)
    for candidate in DELIMITERS:
        records = [record for record in csv.reader(io.StringIO(sample, newline=""), delimiter=candidate) if record]
        if not complete:
            records = records[:-1]  # the sample may cut the last record in half
        records = records[:_SAMPLE_RECORDS]
        if not records or len(records[0]) < 2:
            continue
        width = len(records[0])
        score = (sum(len(record) == width for record in records), width)
        if score > best_score:
            best, best_score = candidate, score
    return best


# --- Workbooks (parsed in a resource-limited child process) -----------------------------------------------------


class _CellUnpickler(pickle.Unpickler):
    """Unpickles plain data and the datetime types a cell can hold, nothing else."""

    def find_class(self, module: str, name: str) -> type:
        if module == "datetime" and name in _CELL_TYPES:
            return super().find_class(module, name)
        raise pickle.UnpicklingError(f"{module}.{name} is not a cell value")


def _workbook_messages(path: Path, mode: str, sheet: str | None) -> Iterator:
    """Run the reader child on a workbook and yield what it sends: sheet names, or a sheet name then row batches."""
    request = {
        "mode": mode,
        "path": str(path),
        "sheet": sheet,
        "max_columns": MAX_COLUMNS,
        "max_unzipped": MAX_UNZIPPED_BYTES,
    }
    root = str(Path(__file__).resolve().parents[2])
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [root, os.environ.get("PYTHONPATH")]))}
    command = [sys.executable, "-m", __name__, json.dumps(request)]
    child = subprocess.Popen(
        command, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env
    )
    try:
        while True:
            try:
                kind, payload = _CellUnpickler(child.stdout).load()
            except EOFError:
                break
            if kind == "error":
                raise ImportFileError(payload)
            if kind == "end":
                return
            yield payload
        # The child ended without finishing: killed by its memory or CPU limit, or crashed.
        code = child.wait()
        _log.warning("spreadsheet reader exited with %s on %s", code, path.name)
        raise ImportFileError(TOO_BIG_TO_READ if code < 0 else DAMAGED)
    finally:
        child.stdout.close()
        child.kill()
        child.wait()


def _serve(request: dict) -> None:
    """Child process: read the workbook named in the request and pickle the results to stdout."""
    _limit_resources()
    out = sys.stdout.buffer
    try:
        path = Path(request["path"])
        if path.suffix.lower() in _ZIPPED:
            _check_zip(path, request["max_unzipped"])
        for message in _workbook_results(path, request):
            pickle.dump(message, out, protocol=pickle.HIGHEST_PROTOCOL)
    except ImportFileError as error:
        pickle.dump(("error", str(error)), out)
    except MemoryError:
        pickle.dump(("error", TOO_BIG_TO_READ), out)
    except BaseException as error:  # calamine raises its own errors and, on some damaged files, Rust panics
        # calamine refuses sheets beyond its own cell limit (ODS repeats); that file is big, not damaged.
        pickle.dump(("error", TOO_BIG_TO_READ if "limit exceeded" in str(error).lower() else DAMAGED), out)
    out.flush()


def _workbook_results(path: Path, request: dict) -> Iterator[tuple[str, object]]:
    from python_calamine import CalamineWorkbook, SheetTypeEnum, SheetVisibleEnum

    with CalamineWorkbook.from_path(path) as book:
        visible = [
            meta.name
            for meta in book.sheets_metadata
            if meta.visible == SheetVisibleEnum.Visible and meta.typ == SheetTypeEnum.WorkSheet
        ]
        if request["mode"] == "names":
            yield "names", visible
            yield "end", None
            return
        name = _chosen_sheet(request["sheet"], visible, book.sheet_names)
        data = book.get_sheet_by_name(name)
        if data.width > request["max_columns"]:
            raise ImportFileError(_too_many_columns(data.width))
        yield "sheet", name
        batch = []
        # iter_rows starts at the sheet's first row (leading empty rows included), so index + 1 is the true line.
        for index, cells in enumerate(data.iter_rows()):
            if not all(_is_blank(cell) for cell in cells):
                batch.append((index + 1, cells))
            if len(batch) == _BATCH:
                yield "rows", batch
                batch = []
        yield "rows", batch
        yield "end", None


def _chosen_sheet(sheet: str | None, visible: list[str], every: list[str]) -> str:
    if sheet is None:
        if not visible:
            raise ImportFileError(NO_SHEET)
        return visible[0]
    if sheet in visible:
        return sheet
    if sheet in every:
        raise ImportFileError(f'The sheet "{sheet}" is hidden. Show it in your spreadsheet program or choose another.')
    raise ImportFileError(f'There is no sheet named "{sheet}" in this file. Choose one of its sheets and try again.')


def _check_zip(path: Path, max_unzipped: int) -> None:
    """Refuse a file that is not a zip archive, or that unpacks to an absurd size (a zip bomb)."""
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError):
        raise ImportFileError(DAMAGED) from None
    if sum(member.file_size for member in members) > max_unzipped:
        raise ImportFileError(ZIP_BOMB)
    for member in members:
        if member.file_size > 2**20 and member.file_size > MAX_ZIP_RATIO * max(member.compress_size, 1):
            raise ImportFileError(ZIP_BOMB)


def _limit_resources() -> None:
    import resource

    for kind, limit in ((resource.RLIMIT_AS, READER_MEMORY_BYTES), (resource.RLIMIT_CPU, READER_CPU_SECONDS)):
        _, hard = resource.getrlimit(kind)
        limit = limit if hard == resource.RLIM_INFINITY else min(limit, hard)
        resource.setrlimit(kind, (limit, hard))


if __name__ == "__main__":
    _serve(json.loads(sys.argv[1]))
