"""Customer exports to CSV and xlsx: chosen columns (`columns`), a scope, safe cells, streamed a chunk at a time."""

import csv
import secrets
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import Cell
from sqlmodel import Session, col, func, select

from customer_app.core.permissions import Actor, require
from customer_app.customers.models import Customer
from customer_app.customers.queries import tab_filter
from customer_app.errors import ValidationError
from customer_app.settings import settings
from customer_app.transfer.columns import Column, checked_columns, csv_text, custom_columns, is_risky

CHUNK = 2000  # rows read per query: a million-row export never holds more than this in memory


@dataclass(frozen=True)
class ExportScope:
    """Which customers: a tab, search and filters as on screen, chosen ids, or everyone not in Trash."""

    tab: str = ""
    search: str = ""
    ids: tuple[int, ...] = ()
    group_id: int | None = None
    tag: str = ""
    flags: tuple[str, ...] = ()  # the list's added yes/no filters (e.g. "open_balance")


def _conditions(scope: ExportScope, session: Session) -> list:
    if scope.tab:
        conditions = tab_filter(
            scope.tab, scope.search, session, group_id=scope.group_id, tag=scope.tag, flags=scope.flags
        )
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
        writer.writerow([csv_text(c.header) for c in columns])  # headers are custom field labels too
        for row in rows:
            writer.writerow(row)
            count += 1
    return count


def write_xlsx(path: Path, columns: list[Column], rows: Iterable[list]) -> int:
    """Write an xlsx workbook in openpyxl's streaming mode; returns the row count."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Customers")
    sheet.append([text_cell(sheet, c.header) if is_risky(c.header) else c.header for c in columns])
    text = [i for i, c in enumerate(columns) if c.is_text]
    times = [i for i, c in enumerate(columns) if c.key == "created_at"]
    count = 0
    for row in rows:
        cells = list(row)
        for i in text:
            if is_risky(cells[i]):
                cells[i] = text_cell(sheet, cells[i])
        for i in times:  # spreadsheets have no time zones: stored times are UTC, written without the zone
            cells[i] = cells[i].replace(tzinfo=None)
        sheet.append(cells)
        count += 1
    workbook.save(path)
    return count


def text_cell(sheet, value: str) -> Cell:
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
    columns = checked_columns(keys, custom_columns(actor=actor, session=session))
    rows = export_rows(scope, columns, actor=actor, session=session, for_csv=file_format == "csv")
    folder = settings.export_dir
    folder.mkdir(parents=True, exist_ok=True)
    delete_old_exports()
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


EXPORTS_KEPT = 3600  # seconds; a download link lives 15 minutes, after that the file is only customer data lying around


def delete_old_exports() -> int:
    """Delete finished exports older than EXPORTS_KEPT (run on every export and by the hourly housekeeping)."""
    folder, cutoff, gone = settings.export_dir, time.time() - EXPORTS_KEPT, 0
    for old in folder.iterdir() if folder.exists() else ():
        if old.is_file() and old.stat().st_mtime < cutoff:
            old.unlink(missing_ok=True)
            gone += 1
    return gone
