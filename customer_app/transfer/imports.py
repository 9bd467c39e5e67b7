"""Import jobs: a private upload, a preview that writes nothing, a chunked commit with progress, and undo."""

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from sqlalchemy import Engine, insert, update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, func, select

from customer_app.core import audit, spreadsheet
from customer_app.core.columns import utcnow
from customer_app.core.permissions import Actor, require
from customer_app.customers import custom_field_values, search_index
from customer_app.customers.customers import derived_fields
from customer_app.customers.models import Customer, CustomerInput
from customer_app.errors import ImportFileError, NotFoundError, ValidationError
from customer_app.settings import settings
from customer_app.transfer import import_files, import_related
from customer_app.transfer.import_mapping import check_mapping, remember_mapping, targets
from customer_app.transfer.import_rows import (
    DUPLICATE,
    ERROR,
    NEW,
    SKIPPED,
    STATUSES,
    UNCHANGED,
    UPDATE,
    Outcome,
    Plan,
    Seen,
    classify,
)
from customer_app.transfer.models import ImportChange, ImportJob

CHUNK = 1000  # rows classified and written per transaction: progress moves, locks stay short
PREVIEW_ROWS = 200
ABANDONED_AFTER = timedelta(days=1)
MODES = {"both": "Create and update", "create": "Create only", "update": "Update only"}
ACTIVE = ("running", "cancelling")
_COUNTERS = {NEW: "created_count", UPDATE: "updated_count", UNCHANGED: "unchanged_count", SKIPPED: "skipped_count"}


@dataclass
class Preview:
    """What an import would do: counts per status, the first rows worth a look, and whether a report exists."""

    counts: dict[str, int]
    rows: list[Outcome]
    total: int
    has_report: bool = False


def upload_path(job: ImportJob) -> Path:
    """Where a job's uploaded file is kept, outside every public folder."""
    return settings.import_dir / job.stored_as


def report_path(job: ImportJob) -> Path:
    """Where a job's error report is written."""
    return settings.import_dir / f"{job.stored_as}.errors.xlsx"


def get_job(job_id: int, *, actor: Actor, session: Session) -> ImportJob:
    """One import job."""
    require(actor, "customer.import")
    return _job(job_id, session)


def _job(job_id: int, session: Session) -> ImportJob:
    job = session.get(ImportJob, job_id)
    if job is None:
        raise NotFoundError("This import does not exist.")
    return job


def running_job(*, actor: Actor, session: Session) -> ImportJob | None:
    """The import still writing, if any (at most one runs at a time)."""
    require(actor, "customer.import")
    return session.exec(_running_jobs()).first()


def read_job_table(job: ImportJob) -> spreadsheet.Table:
    """The job's sheet, read from its private file, its header on the job's header line (until one is chosen, on
    the first line that looks like a header)."""
    if not job.stored_as or not upload_path(job).exists():
        raise ImportFileError("The uploaded file is gone; upload it again.")
    return spreadsheet.read_table(upload_path(job), sheet=job.sheet or None, header_line=job.header_line or None)


def preview_import(job_id: int, plan: Plan, *, actor: Actor, session: Session) -> Preview:
    """Classify every row without writing a customer; keep the choices and write the error report."""
    require(actor, "customer.import")
    job = _job(job_id, session)
    table = read_job_table(job)
    check_mapping(list(plan.mapping), match_on=plan.match_on, known=targets(actor=actor, session=session))
    if len(plan.mapping) != len(table.headers):
        raise ValidationError({"mapping": "The mapping does not fit this file's columns; upload it again."})
    if plan.mode not in MODES:
        raise ValidationError({"mode": "Choose create only, update only, or create and update."})
    counts: dict[str, int] = dict.fromkeys(STATUSES, 0)
    shown: list[Outcome] = []
    problems: list[tuple[list, str]] = []
    seen = Seen()
    for start in range(0, len(table.rows), CHUNK):
        rows = table.rows[start : start + CHUNK]
        for outcome, (_line, cells) in zip(classify(rows, plan, seen, session=session), rows, strict=True):
            counts[outcome.status] += 1
            if len(shown) < PREVIEW_ROWS and outcome.status != UNCHANGED:
                shown.append(outcome)
            if outcome.status in (ERROR, DUPLICATE):
                problems.append((cells, outcome.message))
    report = report_path(job)
    report.unlink(missing_ok=True)
    if problems:
        import_files.write_error_report(report, table.headers, problems)
    job.mapping, job.mode, job.match_on = json.dumps(list(plan.mapping)), plan.mode, plan.match_on
    job.total_rows = len(table.rows)
    remember_mapping(table.headers, list(plan.mapping), session=session)
    session.add(job)
    return Preview(counts, shown, len(table.rows), bool(problems))


def plan_of(job: ImportJob) -> Plan:
    """The choices saved with a job at preview."""
    return Plan(json.loads(job.mapping), job.mode, job.match_on, settings.default_phone_region)


def start_import(job_id: int, *, actor: Actor, session: Session) -> ImportJob:
    """Mark a previewed job as running (only one import runs at a time, so two cannot race on the same rows)."""
    require(actor, "customer.import")
    job = _job(job_id, session)
    if job.status != "uploaded" or not job.total_rows:
        raise ValidationError({"import": "Preview this import before starting it."})
    if session.exec(_running_jobs()).first() is not None:
        raise ValidationError({"import": "Another import is running; wait until it finishes."})
    job.status, job.started_at, job.done_rows = "running", utcnow(), 0
    session.add(job)
    return job


def run_import(
    job_id: int,
    *,
    actor: Actor,
    engine: Engine,
    progress: Callable[[ImportJob], None] | None = None,
    fence: Callable[[Session], None] | None = None,
) -> ImportJob:
    """Import a started job a chunk per transaction, from where an earlier run stopped; stops between chunks when
    cancelled. `fence` runs inside each chunk's transaction and raises when the job is no longer this run's, so
    two runs never write the same chunk. Returns the final job."""
    with Session(engine, expire_on_commit=False) as session:
        job = _job(job_id, session)
        if job.status not in ACTIVE:
            return job
        try:
            table = read_job_table(job)
        except ImportFileError as exc:
            return _finish(session, job, "failed", str(exc), fence)
        plan, seen = plan_of(job), Seen()
        if job.done_rows:  # a run that died: what it committed stays; the rows it read are seen again, not written
            classify(table.rows[: job.done_rows], plan, seen, session=session)
        for start in range(job.done_rows, len(table.rows), CHUNK):
            session.refresh(job)
            if job.status == "cancelling":
                message = f"Cancelled after {job.done_rows:,} of {job.total_rows:,} rows."
                return _finish(session, job, "cancelled", message, fence)
            rows = table.rows[start : start + CHUNK]
            _import_chunk(rows, plan, seen, job, actor=actor, session=session)
            job.done_rows = start + len(rows)
            session.add(job)
            if fence is not None:
                fence(session)
            session.commit()
            if progress is not None:
                progress(job)
        audit.record(
            session,
            actor=actor,
            action="import",
            entity_type="import",
            entity_id=job.id,
            summary=f"Imported {job.file_name}: {summary(job)}",
        )
        return _finish(session, job, "done", "", fence)


def _import_chunk(rows, plan: Plan, seen: Seen, job: ImportJob, *, actor: Actor, session: Session) -> None:
    before = Seen(dict(seen.keys), dict(seen.emails))
    outcomes = classify(rows, plan, seen, session=session)
    try:
        _write(outcomes, job, actor, session)
    except IntegrityError:
        # Someone saved a customer with one of these e-mails since the rows were read: read them again.
        session.rollback()
        seen.keys, seen.emails = before.keys, before.emails
        _write(classify(rows, plan, seen, session=session), job, actor, session)


def _values(outcome: Outcome) -> CustomerInput:
    """The validated customer of a new or updated row (classify gives every such row its values)."""
    if outcome.values is None:
        raise ValueError(f"Line {outcome.line} has no values to write.")
    return outcome.values


def _write(outcomes: list[Outcome], job: ImportJob, actor: Actor, session: Session) -> None:
    now = utcnow()
    created = [o for o in outcomes if o.status == NEW]
    changes: list[dict] = []
    custom_values: dict[tuple[int, int], str] = {}
    related: list[tuple[int, import_related.Related]] = []
    if created:
        rows = [
            values.model_dump() | derived_fields(values) | {"created_at": now, "updated_at": now, "version": 1}
            for values in map(_values, created)
        ]
        # In the rows' order, so each new id meets its row's custom field values.
        statement = insert(Customer).returning(
            col(Customer.id), col(Customer.display_name), sort_by_parameter_order=True
        )
        with search_index.indexed_in_bulk(session.connection()) as indexed:
            made = session.connection().execute(statement, rows).all()  # Core: the ORM's bulk path is far slower
            indexed.extend(row_id for row_id, _name in made)
        custom_values |= {
            (row_id, field_id): value
            for outcome, (row_id, _name) in zip(created, made, strict=True)
            for field_id, value in outcome.custom.items()
        }
        changes += [{"customer_id": row_id, "action": "create", "before": "{}", "after": "{}"} for row_id, _ in made]
        related += [(row_id, o.related) for o, (row_id, _name) in zip(created, made, strict=True) if o.related]
        audit.record_many(
            session,
            actor=actor,
            action="create",
            entity_type="customer",
            summaries=((row_id, f"Created {name} (import #{job.id})") for row_id, name in made),
        )
    updated = []
    for outcome in outcomes:
        if outcome.status != UPDATE or outcome.customer_id is None:  # an update always names its customer
            continue
        fields = _values(outcome).model_dump() | derived_fields(_values(outcome))
        if not outcome.after:  # only related values to add: the customer row stays as it is
            updated.append((outcome.customer_id, f"Added to {fields['display_name']} (import #{job.id})"))
            if outcome.related:
                related.append((outcome.customer_id, outcome.related))
            continue
        statement = (
            update(Customer)
            .where(col(Customer.id) == outcome.customer_id, col(Customer.version) == outcome.version)
            .values(**fields, version=outcome.version + 1, updated_at=now)
        )
        if session.connection().execute(statement).rowcount != 1:
            outcome.status, outcome.messages = ERROR, {"": "Changed by someone else during the import; left alone."}
            continue
        updated.append((outcome.customer_id, f"Updated {fields['display_name']} (import #{job.id})"))
        if outcome.related:
            related.append((outcome.customer_id, outcome.related))
        custom_values |= {(outcome.customer_id, field_id): value for field_id, value in outcome.custom.items()}
        changes.append(
            {
                "customer_id": outcome.customer_id,
                "action": "update",
                "before": json.dumps(outcome.before, default=str),
                "after": json.dumps(outcome.after, default=str),
            }
        )
    if updated:
        audit.record_many(session, actor=actor, action="update", entity_type="customer", summaries=updated)
    custom_field_values.write_values(custom_values, session=session)
    existing = {customer_id for customer_id, _summary in updated}
    taken = import_related.write(related, existing=existing, author=(actor.id, actor.name), session=session)
    changes += [
        {"customer_id": customer_id, "action": "related", "before": "{}", "after": json.dumps(what)}
        for customer_id, what in taken.items()
    ]
    if changes:
        session.connection().execute(insert(ImportChange), [change | {"job_id": job.id} for change in changes])
    for outcome in outcomes:
        counter = _COUNTERS.get(outcome.status, "error_count")
        setattr(job, counter, getattr(job, counter) + 1)


def _finish(
    session: Session, job: ImportJob, status: str, message: str, fence: Callable[[Session], None] | None = None
) -> ImportJob:
    files = (upload_path(job), report_path(job)) if job.stored_as else ()
    job.status, job.message, job.finished_at, job.stored_as = status, message[:500], utcnow(), ""
    session.add(job)
    if fence is not None:
        fence(session)
    session.commit()
    for path in files:  # after the commit: a run that lost its job leaves the file to the run that took it over
        path.unlink(missing_ok=True)
    return job


def discard_files(job: ImportJob) -> None:
    """Delete a job's uploaded file and error report: they hold customer data nobody needs any more."""
    if job.stored_as:
        upload_path(job).unlink(missing_ok=True)
        report_path(job).unlink(missing_ok=True)
        job.stored_as = ""


def _running_jobs():
    """The query for imports still writing (at most one)."""
    return select(ImportJob).where(col(ImportJob.status).in_(ACTIVE))


def fail_job(job_id: int, message: str, *, session: Session) -> None:
    """End a job that could not finish, so it neither blocks later imports nor keeps its files; what it committed
    stays, and can be undone."""
    job = _job(job_id, session)
    if job.status in (*ACTIVE, "uploaded"):
        _finish(session, job, "failed", message)


def summary(job: ImportJob) -> str:
    """One line of what a job did."""
    counts = (
        (job.created_count, "created"),
        (job.updated_count, "updated"),
        (job.unchanged_count, "unchanged"),
        (job.skipped_count, "skipped"),
        (job.error_count, "not imported (errors or duplicates)"),
    )
    return ", ".join(f"{count:,} {label}" for count, label in counts if count) or "Nothing imported"


def cancel_import(job_id: int, *, actor: Actor, session: Session) -> ImportJob:
    """Ask a running import to stop after its current chunk, or drop one that never started."""
    require(actor, "customer.import")
    job = _job(job_id, session)
    if job.status == "running":
        job.status = "cancelling"
    elif job.status == "uploaded":
        job.status, job.finished_at, job.message = "cancelled", utcnow(), "Cancelled before anything was imported."
        discard_files(job)
    session.add(job)
    return job


def import_history(
    *, actor: Actor, session: Session, page: int = 1, page_size: int = settings.page_sizes[0]
) -> tuple[list[ImportJob], int]:
    """One page of the imports that were started, newest first, and how many there are (uploads that were only
    previewed are no part of the history)."""
    require(actor, "customer.import")
    size, page = max(1, min(page_size, max(settings.page_sizes))), max(1, page)
    started = col(ImportJob.started_at).is_not(None)
    total = session.exec(select(func.count()).select_from(ImportJob).where(started)).one()
    jobs = session.exec(
        select(ImportJob)
        .where(started)
        .order_by(col(ImportJob.created_at).desc(), col(ImportJob.id).desc())
        .offset((page - 1) * size)
        .limit(size)
    ).all()
    return list(jobs), total
