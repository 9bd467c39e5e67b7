"""Read an uploaded customer spreadsheet (CSV or workbook) safely into a header row and data rows."""

from __future__ import annotations

import codecs
import csv
import io
from collections.abc import Iterable, Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass, field
from itertools import chain, dropwhile, islice
from pathlib import Path
from typing import BinaryIO

from customer_app.core.header_row import SCAN_ROWS, header_index, row_summary
from customer_app.core.sheet_rules import (
    EMPTY_FILE,
    EXTENSIONS,
    GONE,
    MAX_BYTES,
    MAX_COLUMNS,
    MAX_ROWS,
    NO_DATA,
    NOT_TEXT,
    ONE_COLUMN,
    TOO_LARGE,
    WRONG_TYPE,
    is_blank,
    too_many_columns,
)
from customer_app.core.workbook_reader import workbook_messages
from customer_app.errors import ImportFileError

DELIMITERS = (",", ";", "\t", "|")
_SAMPLE_BYTES = 64 * 1024
_SAMPLE_RECORDS = 20
_DECODE_BLOCK = 1024 * 1024

_MAX_CONTROL_SHARE = 0.05  # more control characters than this and the file is binary, not text
_MIN_FIELDS = 2  # a delimiter has to split the header at least once


@dataclass
class Table:
    """The header row and the non-empty data rows of one sheet."""

    headers: list[str]
    rows: list[tuple[int, list]]
    header_line: int = 1  # the file's line the header is on; rows above it are ignored
    top_rows: list[tuple[int, str]] = field(default_factory=list)  # the first rows, each a header one could choose
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
    with closing(workbook_messages(path, "names", None)) as messages:
        return next(messages)


def read_table(path: Path, *, sheet: str | None = None, header_line: int | None = None) -> Table:
    """Read a CSV or workbook sheet (the first visible one unless named), its header on `header_line` (one of the
    first rows) or, without one, on the first row that looks like a header."""
    with open_rows(path, sheet=sheet, header_line=header_line) as stream:
        rows = list(stream.rows)
    width = stream.width
    for _, cells in rows:
        cells.extend([""] * (width - len(cells)))
    return Table(
        stream.headers,
        rows,
        header_line=stream.header_line,
        top_rows=stream.top_rows,
        sheet=stream.sheet,
        delimiter=stream.delimiter,
        encoding=stream.encoding,
    )


@dataclass
class Stream:
    """A sheet read as it goes: its header now, its data rows one at a time (as they are in the file, not padded).

    `headers` and `width` grow to the widest row met so far: they are the table's once `rows` is exhausted.
    """

    header: list[str]
    rows: Iterator[tuple[int, list]]
    header_line: int = 1
    top_rows: list[tuple[int, str]] = field(default_factory=list)
    sheet: str | None = None
    delimiter: str | None = None
    encoding: str | None = None
    width: int = 0
    count: int = 0  # data rows read so far

    @property
    def headers(self) -> list[str]:
        """The header row, padded with empty names to the widest row read so far."""
        return self.header + [""] * (self.width - len(self.header))


@contextmanager
def open_rows(path: Path, *, sheet: str | None = None, header_line: int | None = None) -> Iterator[Stream]:
    """Open a CSV or workbook sheet like `read_table` does, but hand its rows out lazily, so a million-row file never
    sits in memory whole. The file (or the workbook reader process) is closed when the block ends."""
    if _checked_extension(path) == ".csv":
        with path.open("rb") as handle:
            yield _csv_stream(handle, header_line)
        return
    with closing(workbook_messages(path, "table", sheet)) as messages:
        name = next(messages)
        stream = _stream((record for batch in messages for record in batch), header_line)
        stream.sheet = name
        yield stream


def _checked_extension(path: Path) -> str:
    try:
        size = path.stat().st_size
    except OSError:
        raise ImportFileError(GONE) from None
    return check_upload(path.name, size)


def _stream(records: Iterable[tuple[int, list]], header_line: int | None = None) -> Stream:
    """Find the header among the first non-empty rows and hand out the data rows under it as they are read."""
    numbered = _non_empty(records)
    top = list(islice(numbered, SCAN_ROWS))
    if not top:
        raise ImportFileError(EMPTY_FILE)
    lines = [line for line, _cells in top]
    if header_line is None:
        index = header_index([cells for _line, cells in top])
    elif header_line in lines:
        index = lines.index(header_line)
    else:
        raise ImportFileError(f"Row {header_line} cannot be the header; choose one of the first rows of the file.")
    line, header = top[index]
    stream = Stream(
        [_header_text(cell) for cell in header],
        iter(()),
        header_line=line,
        top_rows=[(n, row_summary(cells)) for n, cells in top],
        width=len(header),
    )
    stream.rows = _counted(stream, chain(top[index + 1 :], numbered))
    return stream


def _counted(stream: Stream, rows: Iterator[tuple[int, list]]) -> Iterator[tuple[int, list]]:
    """The data rows, keeping the stream's width and count current; refuses a file with too many rows or none."""
    for numbered_row in rows:
        if stream.count >= MAX_ROWS:
            raise ImportFileError(f"The file has more than {MAX_ROWS:,} customers. Split it and import the parts.")
        stream.count += 1
        stream.width = max(stream.width, len(numbered_row[1]))
        yield numbered_row
    if not stream.count:
        raise ImportFileError(NO_DATA)
    # A CSV read as one column whose header holds a separator we do not split on: the delimiter is unusual.
    if stream.delimiter and stream.width == 1 and any(separator in stream.header[0] for separator in ":/~"):
        raise ImportFileError(ONE_COLUMN)


def _non_empty(records: Iterable[tuple[int, list]]) -> Iterator[tuple[int, list]]:
    """The rows with something in them, without their trailing blank cells; refuses a row wider than we import."""
    for line, read in records:
        cells = _without_trailing_blanks(read)
        if not cells:
            continue
        if len(cells) > MAX_COLUMNS:
            raise ImportFileError(too_many_columns(len(cells)))
        yield line, cells


def _without_trailing_blanks(cells: list) -> list:
    end = len(cells)
    while end and is_blank(cells[end - 1]):
        end -= 1
    return cells[:end] if end < len(cells) else cells


def _header_text(value: object) -> str:
    # Numbers from workbooks are floats: a header typed as 2024 should read "2024", not "2024.0".
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return "" if value is None else str(value).strip()


# --- CSV ---------------------------------------------------------------------------------------------------------


def _csv_stream(handle: BinaryIO, header_line: int | None = None) -> Stream:
    encoding = _encoding(handle)
    handle.seek(0)
    raw = handle.read(_SAMPLE_BYTES + 1)
    handle.seek(0)
    # A character cut in two at the end of the sample is dropped; the sample only has to show the file's shape.
    sample = raw[:_SAMPLE_BYTES].decode(encoding, errors="ignore")
    if "\x00" in sample or _control_share(sample) > _MAX_CONTROL_SHARE:
        raise ImportFileError(NOT_TEXT)
    delimiter = _detect_delimiter(sample, complete=len(raw) <= _SAMPLE_BYTES)
    # Decoding as the reader goes keeps memory flat; newline="" lets csv see quoted line breaks.
    text = io.TextIOWrapper(handle, encoding=encoding, newline="")
    stream = _stream(_csv_records(text, delimiter), header_line)
    stream.delimiter, stream.encoding = delimiter, encoding
    return stream


def _csv_records(text: io.TextIOWrapper, delimiter: str) -> Iterator[tuple[int, list]]:
    try:
        yield from enumerate(csv.reader(_text_lines(text), delimiter=delimiter), start=1)
    except (csv.Error, UnicodeDecodeError):
        # Broken UTF-16 or a cell longer than csv allows: not a table of customers.
        raise ImportFileError(NOT_TEXT) from None


def _text_lines(lines: Iterable[str]) -> Iterator[str]:
    """The lines unchanged, refusing the file at the first NUL (csv passes NULs through; databases reject them)."""
    for line in lines:
        if "\x00" in line:
            raise ImportFileError(NOT_TEXT)
        yield line


def _encoding(handle: BinaryIO) -> str:
    """The encoding a CSV file decodes with: its BOM's, else UTF-8, else Windows-1252, else latin-1."""
    start = handle.read(4)
    if start.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if start.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    # Excel on Windows saves "CSV" in the ANSI code page; latin-1 decodes anything (the binary check judges it).
    for encoding in ("utf-8", "cp1252"):
        if _decodes(handle, encoding):
            return encoding
    return "latin-1"


def _decodes(handle: BinaryIO, encoding: str) -> bool:
    """Whether the whole file decodes, read a block at a time (a 200 MB file is never in memory at once)."""
    handle.seek(0)
    decoder = codecs.getincrementaldecoder(encoding)()
    try:
        while block := handle.read(_DECODE_BLOCK):
            decoder.decode(block)
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True


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
        # A title or report name above the header is one field long whatever the delimiter: look past it.
        records = list(dropwhile(lambda record: len(record) < _MIN_FIELDS, records))[:_SAMPLE_RECORDS]
        if not records:
            continue
        width = len(records[0])
        score = (sum(len(record) == width for record in records), width)
        if score > best_score:
            best, best_score = candidate, score
    return best
