"""An import before it writes customers: the private upload, its sheets and columns, the preview and its report."""

import secrets
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from sqlmodel import Session, col, select

from customer_app.access.downloads import create_link
from customer_app.core import spreadsheet
from customer_app.core.columns import utcnow
from customer_app.core.permissions import Actor, require
from customer_app.customers import custom_fields
from customer_app.errors import ImportFileError
from customer_app.settings import settings
from customer_app.transfer import import_files, import_ids, imports
from customer_app.transfer.import_mapping import suggested_mapping, targets
from customer_app.transfer.import_rows import Plan
from customer_app.transfer.models import ImportJob

SAMPLE_VALUES = 3  # values shown per column on the mapping step
SAMPLE_ROWS = 50  # rows they are looked for in, so a column mostly left blank still shows what it holds
SAMPLE_NAMES = {"csv": "customers-sample.csv", "xlsx": "customers-sample.xlsx"}


@dataclass
class SheetColumns:
    """What the mapping step shows: the headers, a few values of each column, and the fields they could fill."""

    headers: list[str]
    samples: list[str]
    mapping: list[str]
    remembered: bool  # the mapping was chosen for a file like this before
    targets: dict[str, str]
    notice: str = ""  # why a column was left unmapped (another system's customer IDs)
    header_line: int = 1  # the file's line the headers are on
    top_rows: list[tuple[int, str]] = field(default_factory=list)  # the rows the header could be on instead


def sample_file(file_format: str, *, actor: Actor, session: Session) -> tuple[bytes, str]:
    """The sample file in `file_format` ("csv", else xlsx), with a column per custom field, and its file name."""
    require(actor, "customer.import")
    custom = custom_fields.defined_fields(session=session)
    if file_format == "csv":
        return import_files.sample_csv(custom), SAMPLE_NAMES["csv"]
    return import_files.sample_xlsx(custom), SAMPLE_NAMES["xlsx"]


def store_upload(chunks: Iterable[bytes], file_name: str, *, actor: Actor, session: Session) -> ImportJob:
    """Save an uploaded file privately, refusing it as soon as it is too big or of the wrong type."""
    require(actor, "customer.import")
    extension = spreadsheet.check_upload(file_name, 1)
    settings.import_dir.mkdir(parents=True, exist_ok=True)
    stored_as = f"{secrets.token_urlsafe(18)}{extension}"
    path = settings.import_dir / stored_as
    size = 0
    try:
        with path.open("wb") as handle:
            for chunk in chunks:
                size += len(chunk)
                if size > spreadsheet.MAX_BYTES:
                    break
                handle.write(chunk)
        spreadsheet.check_upload(file_name, size)
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    discard_abandoned(session=session)
    _discard_replaced(actor, session)
    job = ImportJob(
        file_name=Path(file_name).name[:255],
        stored_as=stored_as,
        created_by=actor.id,
        created_by_name=actor.name,
    )
    session.add(job)
    session.flush()
    return job


def discard_abandoned(*, session: Session) -> int:
    """Uploads nobody imported within a day go, with their files (they hold customer data); returns how many."""
    cutoff = utcnow() - imports.ABANDONED_AFTER
    stale = select(ImportJob).where(col(ImportJob.status) == "uploaded", col(ImportJob.created_at) < cutoff)
    return _discard(session.exec(stale).all(), "Not imported within a day; the file was deleted.", session)


def _discard_replaced(actor: Actor, session: Session) -> None:
    """An admin's earlier uploads that never started go when they upload another file: the page shows one at a time."""
    earlier = select(ImportJob).where(col(ImportJob.status) == "uploaded", col(ImportJob.created_by) == actor.id)
    _discard(session.exec(earlier).all(), "Replaced by a newer upload; the file was deleted.", session)


def _discard(jobs: Sequence[ImportJob], message: str, session: Session) -> int:
    for job in jobs:
        imports.discard_files(job)
        job.status, job.finished_at, job.message = "cancelled", utcnow(), message
        session.add(job)
    return len(jobs)


def sheet_names(job_id: int, *, actor: Actor, session: Session) -> list[str]:
    """The sheets of an uploaded workbook (one, unnamed, for CSV)."""
    job = imports.get_job(job_id, actor=actor, session=session)
    return spreadsheet.sheet_names(imports.upload_path(job))


def read_columns(
    job_id: int, sheet: str, *, actor: Actor, session: Session, header_line: int | None = None
) -> SheetColumns:
    """Keep the sheet and header row chosen for a job (without a row, the one that looks like a header) and read its
    columns, with the mapping suggested for them."""
    job = imports.get_job(job_id, actor=actor, session=session)
    if job.status != "uploaded":
        raise ImportFileError("This import has already started; upload the file again to import it anew.")
    job.sheet, job.header_line = sheet, header_line or 0
    table = imports.read_job_table(job)  # before the job is written: no write lock while the file is read
    job.header_line = table.header_line
    session.add(job)
    mapping, remembered = suggested_mapping(table.headers, actor=actor, session=session)
    mapping, notice = import_ids.drop_foreign_ids(table.headers, mapping, table.rows, session=session)
    known = targets(actor=actor, session=session)
    return SheetColumns(
        table.headers, _samples(table), mapping, remembered, known, notice, table.header_line, table.top_rows
    )


def _samples(table: spreadsheet.Table) -> list[str]:
    """The first few values of each column (blank cells passed over), as one line each."""
    first = table.rows[:SAMPLE_ROWS]
    found = []
    for i in range(len(table.headers)):
        values = [cells[i] for _line, cells in first if i < len(cells) and cells[i] not in (None, "")]
        found.append(", ".join(str(value) for value in values[:SAMPLE_VALUES]))
    return found


def fail_upload(job_id: int, message: str, *, actor: Actor, session: Session) -> None:
    """Give up on an upload that cannot be used: its file goes, and the job says why."""
    require(actor, "customer.import")
    job = session.get(ImportJob, job_id)
    if job is None:
        return
    imports.discard_files(job)
    job.status, job.message = "failed", message[:500]
    session.add(job)


def preview(job_id: int, plan: Plan, *, actor: Actor, session: Session) -> tuple[imports.Preview, str]:
    """What the import would do (`imports.preview_import`), and a download link to the rows to fix, if any."""
    found = imports.preview_import(job_id, plan, actor=actor, session=session)
    if not found.has_report:
        return found, ""
    job = imports.get_job(job_id, actor=actor, session=session)
    name = f"rows-to-fix-{job.file_name}.xlsx"
    return found, create_link(imports.report_path(job), name, actor=actor, session=session)
