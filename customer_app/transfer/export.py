"""Customer exports to CSV and xlsx: chosen columns, a scope, safe cells, streamed a chunk at a time."""

import csv
import secrets
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from sqlalchemy import DateTime, case, func, type_coerce
from sqlmodel import Session, col, select

from customer_app.core.permissions import Actor, require
from customer_app.customers import custom_fields
from customer_app.customers.models import APPLIES_TO, Customer, CustomField, CustomFieldValue
from customer_app.customers.queries import tab_filter
from customer_app.errors import ValidationError
from customer_app.settings import settings

CHUNK = 2000  # rows read per query: a million-row export never holds more than this in memory
# Spreadsheet programs run a cell that starts with one of these as a formula (CSV injection).
_FORMULA_STARTS = frozenset("=+-@\t\r")


@dataclass(frozen=True)
class Column:
    """One exportable column: its header and the SQL expression that reads it."""

    key: str
    header: str
    expression: object

    @property
    def is_text(self) -> bool:
        """Whether cells of this column are free text (the only ones that can look like a formula)."""
        return self.key not in ("id", "date_of_birth", "created_at")

    def csv_expression(self):
        """The expression with risky text already quote-prefixed by the database (fast: no Python per cell)."""
        if self.key == "created_at":
            # Read as a plain timestamp: UTC as stored, written without a zone (as in xlsx), and no Python per row.
            return type_coerce(self.expression, DateTime())
        if not self.is_text or self.key == "kind":
            return self.expression
        return case(
            (func.substr(self.expression, 1, 1).in_(sorted(_FORMULA_STARTS)), "'" + self.expression),
            else_=self.expression,
        )


_KIND_LABEL = case((col(Customer.kind) == "individual", "Individual"), else_="Institution")
_HEADERS = {
    "id": "Customer ID",
    "kind": "Kind",
    "first_name": "First name",
    "last_name": "Last name",
    "name": "Name",
    "email": "Email",
    "phone": "Phone",
    "mobile": "Mobile",
    "fax": "Fax",
    "company_name": "Company name",
    "website": "Website",
    "vat_number": "VAT number",
    "position": "Position",
    "date_of_birth": "Date of birth",
    "gender": "Gender",
    "ownership_type": "Ownership type",
    "footnotes": "Footnotes",
    "created_at": "Created",
}
# Values are read in SQL (even the kind's label), so writing a row costs no Python per cell beyond the safety check.
COLUMNS = {
    key: Column(key, header, _KIND_LABEL if key == "kind" else getattr(Customer, key))
    for key, header in _HEADERS.items()
}
DEFAULT_COLUMNS = tuple(COLUMNS)
CUSTOM_PREFIX = "custom_"  # then the custom field's id


@dataclass(frozen=True)
class ExportScope:
    """Which customers: a tab, search and filters as on screen, chosen ids, or everyone not in Trash."""

    tab: str = ""
    search: str = ""
    ids: tuple[int, ...] = ()
    group_id: int | None = None
    tag: str = ""


def is_risky(value: object) -> bool:
    """Whether a spreadsheet program could take this text for a formula (CSV/formula injection)."""
    return value.__class__ is str and value[:1] in _FORMULA_STARTS


def custom_headers(fields: Sequence[CustomField]) -> dict[int, str]:
    """Each custom field's column header: its label, told apart when it repeats a built-in header or another label."""
    taken = {c.header.casefold() for c in COLUMNS.values()}
    repeats = Counter(field.label.casefold() for field in fields)
    headers = {}
    for field in fields:
        header = field.label
        if repeats[field.label.casefold()] > 1:
            header = f"{field.label} ({APPLIES_TO[field.applies_to].lower()})"
        elif field.label.casefold() in taken:
            header = f"{field.label} (custom field)"
        headers[field.id] = header
    return headers


def custom_columns(session: Session) -> dict[str, Column]:
    """A column per custom field (`custom_<id>`), headed by `custom_headers`."""
    fields = custom_fields.defined_fields(session=session)
    found = {}
    for field_id, header in custom_headers(fields).items():
        value = (
            select(CustomFieldValue.value)
            .where(col(CustomFieldValue.customer_id) == col(Customer.id), col(CustomFieldValue.field_id) == field_id)
            .scalar_subquery()
        )
        key = f"{CUSTOM_PREFIX}{field_id}"
        found[key] = Column(key, header, value)
    return found


def checked_columns(keys: Iterable[str], custom: Mapping[str, Column] | None = None) -> list[Column]:
    """The chosen columns in the chosen order; the customer ID always comes first so re-imports can match.

    `custom` holds the custom field columns (`custom_columns`), when they may be chosen.
    """
    keys, available = list(keys), COLUMNS | dict(custom or {})
    chosen = [key for key in dict.fromkeys(keys) if key in available and key != "id"]
    unknown = [key for key in keys if key not in available]
    if unknown:
        raise ValidationError({"columns": f"Unknown column(s): {', '.join(map(str, unknown))}."})
    return [COLUMNS["id"], *(available[key] for key in chosen)]


def _conditions(scope: ExportScope, session: Session) -> list:
    if scope.tab:
        conditions = tab_filter(scope.tab, scope.search, session, group_id=scope.group_id, tag=scope.tag)
    else:
        conditions = [col(Customer.deleted_at).is_(None)]
    if scope.ids:
        conditions.append(col(Customer.id).in_(scope.ids))
    return conditions


def count_rows(scope: ExportScope, *, actor: Actor, session: Session) -> int:
    """How many customers an export of this scope will hold (for its progress bar)."""
    require(actor, "customer.export")
    return session.exec(select(func.count()).select_from(Customer).where(*_conditions(scope, session))).one()


def export_rows(
    scope: ExportScope, columns: list[Column], *, actor: Actor, session: Session, for_csv: bool = False
) -> Iterator[tuple]:
    """Every row of the export, read by ascending id a chunk at a time (keyset, so deep chunks stay fast).

    `for_csv` has the database quote-prefix risky text, since CSV cannot mark a cell as text.
    """
    require(actor, "customer.export")
    conditions = _conditions(scope, session)
    last_id = 0
    while True:
        # Core rows, not ORM objects: no loading overhead, nothing piles up in the session's identity map.
        batch = (
            session.connection()
            .execute(
                select(*(c.csv_expression() if for_csv else c.expression for c in columns))
                .where(*conditions, col(Customer.id) > last_id)
                .order_by(col(Customer.id))
                .limit(CHUNK)
            )
            .all()
        )
        if not batch:
            return
        yield from batch
        last_id = batch[-1][0]  # the customer ID is always the first column


def write_csv(path: Path, columns: list[Column], rows: Iterable[tuple]) -> int:
    """Write UTF-8 CSV (with a BOM so spreadsheet programs detect the encoding) from rows read `for_csv`."""
    count = 0
    with path.open("w", newline="", encoding="utf-8-sig") as handle:
        writer = csv.writer(handle)
        writer.writerow([c.header for c in columns])
        for row in rows:
            writer.writerow(row)
            count += 1
    return count


def write_xlsx(path: Path, columns: list[Column], rows: Iterable[list]) -> int:
    """Write an xlsx workbook in openpyxl's streaming mode; returns the row count."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Customers")
    sheet.append([c.header for c in columns])
    text = [i for i, c in enumerate(columns) if c.is_text]
    times = [i for i, c in enumerate(columns) if c.key == "created_at"]
    count = 0
    for row in rows:
        cells = list(row)
        for i in text:
            if is_risky(cells[i]):
                cells[i] = _text_cell(sheet, cells[i])
        for i in times:  # spreadsheets have no time zones: stored times are UTC, written without the zone
            cells[i] = cells[i].replace(tzinfo=None)
        sheet.append(cells)
        count += 1
    workbook.save(path)
    return count


def _text_cell(sheet, value: str) -> WriteOnlyCell:
    """A cell that is text whatever it starts with: stored as a string and quote-prefixed, never a formula."""
    cell = WriteOnlyCell(sheet, value)
    cell.data_type = "s"  # openpyxl would otherwise store "=..." as a formula
    cell.quotePrefix = True
    return cell


WRITERS = {"csv": write_csv, "xlsx": write_xlsx}
FORMATS = tuple(WRITERS)


def write_export(
    scope: ExportScope,
    keys: Iterable[str],
    file_format: str,
    *,
    actor: Actor,
    session: Session,
    progress: Callable[[int], None] | None = None,
) -> tuple[Path, int]:
    """Write an export into the private export folder; returns the file and its row count.

    `progress` hears the number of rows written so far, every chunk.
    """
    require(actor, "customer.export")
    if file_format not in WRITERS:
        raise ValidationError({"format": "Choose xlsx or CSV."})
    columns = checked_columns(keys, custom_columns(session))
    rows = export_rows(scope, columns, actor=actor, session=session, for_csv=file_format == "csv")
    folder = settings.export_dir
    folder.mkdir(parents=True, exist_ok=True)
    _delete_old_exports(folder)
    path = folder / f"{secrets.token_urlsafe(18)}.{file_format}"
    try:
        return path, WRITERS[file_format](path, columns, _counted(rows, progress))
    except BaseException:
        path.unlink(missing_ok=True)
        raise


def _counted(rows: Iterable[tuple], progress: Callable[[int], None] | None) -> Iterator[tuple]:
    for count, row in enumerate(rows, start=1):
        if progress is not None and count % CHUNK == 0:
            progress(count)
        yield row


def _delete_old_exports(folder: Path) -> None:
    """Exports are downloaded within minutes; a day-old one is only a copy of customer data lying around."""
    cutoff = time.time() - 24 * 3600
    for old in folder.iterdir():
        if old.is_file() and old.stat().st_mtime < cutoff:
            old.unlink(missing_ok=True)
