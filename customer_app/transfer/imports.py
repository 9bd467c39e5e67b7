"""Import jobs: a private upload, a preview that writes nothing, a chunked commit with progress, and undo."""

import json
import pickle
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import timedelta
from itertools import chain, islice
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, text, update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, func, select

from customer_app.core import audit, bulk, collector, db, spreadsheet
from customer_app.core.columns import utcnow
from customer_app.core.permissions import Actor, require
from customer_app.customers import custom_field_values, custom_fields, search_index
from customer_app.customers.customers import derived_fields
from customer_app.customers.models import Customer, CustomerInput
from customer_app.errors import ImportFileError, NotFoundError, ValidationError
from customer_app.settings import settings
from customer_app.transfer import import_files, import_pool, import_related, import_reuse
from customer_app.transfer.import_mapping import check_mapping, remember_mapping, targets
from customer_app.transfer.import_rows import (
    DUPLICATE,
    ERROR,
    NEW,
    SKIPPED,
    STATUSES,
    UNCHANGED,
    UPDATE,
    Checked,
    Outcome,
    Plan,
    Seen,
    classify,
    field_snapshot,
    remember_keys,
    stored_columns,
)
from customer_app.transfer.models import ImportChange, ImportJob

CHUNK = 1000  # rows classified and written per transaction: progress moves, locks stay short
# A checked preview's rows written per transaction. Its rows only need writing (~0.4 s a transaction on SQLite); each
# commit rewrites the index pages the transaction touched, and five times fewer cut a 100,000-row import by a fifth.
WRITE_ROWS = 5000
ANALYZE_AFTER = 10_000  # customers written by an import after which PostgreSQL's statistics are gathered at its end
PREVIEW_ROWS = 200
ABANDONED_AFTER = timedelta(days=1)
MODES = {"both": "Create and update", "create": "Create only", "update": "Update only"}
ACTIVE = ("running", "cancelling")
BAD = (ERROR, DUPLICATE)  # the rows the error report lists
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


def outcomes_path(job: ImportJob) -> Path:
    """Where a job's preview keeps its outcomes for the import to reuse."""
    return settings.import_dir / f"{job.stored_as}.outcomes"


def read_job_table(job: ImportJob) -> spreadsheet.Table:
    """The job's sheet, read from its private file, its header on the job's header line (until one is chosen, on
    the first line that looks like a header)."""
    _check_file(job)
    return spreadsheet.read_table(upload_path(job), sheet=job.sheet or None, header_line=job.header_line or None)


def _job_rows(job: ImportJob):
    """The job's sheet as a stream of rows (see `spreadsheet.open_rows`)."""
    _check_file(job)
    return spreadsheet.open_rows(upload_path(job), sheet=job.sheet or None, header_line=job.header_line or None)


def _check_file(job: ImportJob) -> None:
    if not job.stored_as or not upload_path(job).exists():
        raise ImportFileError("The uploaded file is gone; upload it again.")


def preview_import(job_id: int, plan: Plan, *, actor: Actor, session: Session) -> Preview:
    """Classify every row without writing a customer; keep the choices, the outcomes and the error report."""
    require(actor, "customer.import")
    job = _job(job_id, session)
    fields = field_snapshot(custom_fields.defined_fields(session=session))
    state = import_reuse.mark(session)
    counts: dict[str, int] = dict.fromkeys(STATUSES, 0)
    seen, shown = Seen(), list[Outcome]()
    with (
        collector.fewer_collections(),
        _job_rows(job) as stream,
        import_pool.Checker(plan, fields) as checker,
        tempfile.TemporaryFile(dir=settings.import_dir) as problems,
        import_reuse.writer(outcomes_path(job)) as kept,
    ):
        check_mapping(list(plan.mapping), match_on=plan.match_on, known=targets(actor=actor, session=session))
        _check_choices(plan, len(stream.header), complete=False)
        for rows, checked in checker.checked(_chunks(stream.rows), session=session):
            outcomes = classify(rows, plan, seen, session=session, checked=checked)
            for outcome in outcomes:
                counts[outcome.status] += 1
                if len(shown) < PREVIEW_ROWS and outcome.status != UNCHANGED:
                    shown.append(outcome)
            kept.add(outcomes)
            bad = [(cells, o.message) for o, (_line, cells) in zip(outcomes, rows, strict=True) if o.status in BAD]
            if bad:  # to a private temporary file: the report's header is known once every row was read
                pickle.dump(bad, problems)
        _check_choices(plan, stream.width, complete=True)
        has_report = _write_report(job, stream.headers, problems)
        if import_reuse.mark(session) == state:  # nobody wrote a customer while the rows were classified
            kept.keep(import_reuse.key(plan, fields, job.sheet, job.header_line, state))
    job.mapping, job.mode, job.match_on = json.dumps(list(plan.mapping)), plan.mode, plan.match_on
    job.total_rows = stream.count
    remember_mapping(stream.headers, list(plan.mapping), session=session)
    session.add(job)
    return Preview(counts, shown, stream.count, has_report)


def _check_choices(plan: Plan, width: int, *, complete: bool) -> None:
    """The mapping must name every column (`width` so far, or of the whole file once `complete`) and the mode one of
    the modes."""
    if len(plan.mapping) < width or (complete and len(plan.mapping) != width):
        raise ValidationError({"mapping": "The mapping does not fit this file's columns; upload it again."})
    if plan.mode not in MODES:
        raise ValidationError({"mode": "Choose create only, update only, or create and update."})


def _write_report(job: ImportJob, headers: list[str], problems) -> bool:
    """Write the error report from the spooled rows; whether there is one."""
    report = report_path(job)
    report.unlink(missing_ok=True)
    if not problems.tell():
        return False
    problems.seek(0)
    import_files.write_error_report(report, headers, _spooled(problems))
    return True


def _spooled(handle) -> Iterator:
    while True:
        try:
            yield from pickle.load(handle)
        except EOFError:
            return


def _chunks(rows: Iterator[Any], size: int | None = None) -> Iterator[list[Any]]:
    """Rows (or their outcomes) in lists of `size`, CHUNK unless said."""
    while chunk := list(islice(rows, size or CHUNK)):
        yield chunk


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
        run = _Run(job, plan_of(job), actor, session, progress, fence)
        try:
            with collector.fewer_collections():
                cancelled, finished = run.reused() if run.can_reuse() else (None, False)
                if not finished:
                    cancelled = run.classified()
        except ImportFileError as exc:
            session.rollback()
            return _finish(session, job, "failed", str(exc), fence)
        if cancelled:
            return _finish(session, job, "cancelled", cancelled, fence)
        audit.record(
            session,
            actor=actor,
            action="import",
            entity_type="import",
            entity_id=job.id,
            summary=f"Imported {job.file_name}: {summary(job)}",
        )
        return _finish(session, job, "done", "", fence)


class _Stale(Exception):
    """The preview's outcomes no longer hold: someone else wrote customers since."""


@dataclass
class _Run:
    """One run of an import: writes chunk after chunk, from the preview's outcomes or from the file."""

    job: ImportJob
    plan: Plan
    actor: Actor
    session: Session
    progress: Callable[[ImportJob], None] | None
    fence: Callable[[Session], None] | None

    def can_reuse(self) -> bool:
        """Whether the preview's outcomes may be written as they are: nothing written since, same choices."""
        if self.job.done_rows:  # a run died: the database has moved on from what the preview saw
            return False
        fields = field_snapshot(custom_fields.defined_fields(session=self.session))
        state = import_reuse.mark(self.session)
        wanted = import_reuse.key(self.plan, fields, self.job.sheet, self.job.header_line, state)
        return import_reuse.valid_key(outcomes_path(self.job)) == wanted

    def reused(self) -> tuple[str | None, bool]:
        """Write the preview's outcomes: the message of a cancelled run, and whether every row was written (False:
        they stopped holding at a chunk, and the rest is read from the file)."""
        last = import_reuse.quick_mark(self.session)
        try:
            kept = chain.from_iterable(import_reuse.chunks(outcomes_path(self.job)))
            for outcomes in _chunks(kept, WRITE_ROWS):
                if self._cancelled():
                    return self._stopped(), True
                if import_reuse.quick_mark(self.session) != last:
                    raise _Stale
                _write(outcomes, self.job, self.actor, self.session)
                last = import_reuse.quick_mark(self.session)  # our own writes, read before they commit
                self._commit(len(outcomes))
        except (_Stale, IntegrityError):
            # Someone saved a customer since the preview: the rest is read and checked again, as after a crash.
            self.session.rollback()
            self.session.refresh(self.job)
            return None, False
        finally:
            import_reuse.discard(outcomes_path(self.job))
        return None, True

    def classified(self) -> str | None:
        """Read, classify and write the rows after those done; returns the message of a cancelled run."""
        seen, done = Seen(), self.job.done_rows
        fields = field_snapshot(custom_fields.defined_fields(session=self.session))
        with _job_rows(self.job) as stream, import_pool.Checker(self.plan, fields) as checker:
            if done:  # a run that died: what it committed stays; the rows it read are seen again, not written
                self._replay(_chunks(islice(stream.rows, done)), checker, seen)
            chunks = _chunks(stream.rows)
            for rows, checked in checker.checked(chunks, session=self.session, first=done):
                if self._cancelled():
                    return self._stopped()
                _import_chunk(rows, self.plan, seen, self.job, actor=self.actor, session=self.session, checked=checked)
                self._commit(len(rows))
        return None

    def _replay(self, chunks: Iterator[list], checker: import_pool.Checker, seen: Seen) -> None:
        """Note what the rows done hold, so later rows that repeat them are still flagged."""
        if self.plan.match_on == "email":  # their keys are all that matters: no need to check them again
            for rows in chunks:
                remember_keys(rows, self.plan, seen)
            return
        for rows, checked in checker.checked(chunks, session=self.session):
            classify(rows, self.plan, seen, session=self.session, checked=checked)

    def _cancelled(self) -> bool:
        self.session.refresh(self.job)
        return self.job.status == "cancelling"

    def _stopped(self) -> str:
        return f"Cancelled after {self.job.done_rows:,} of {self.job.total_rows:,} rows."

    def _commit(self, rows: int) -> None:
        """End a chunk's transaction (inside the fence) and tell whoever listens."""
        self.job.done_rows += rows
        self.session.add(self.job)
        if self.fence is not None:
            self.fence(self.session)
        self.session.commit()
        if self.progress is not None:
            self.progress(self.job)


def _import_chunk(
    rows, plan: Plan, seen: Seen, job: ImportJob, *, actor: Actor, session: Session, checked: Checked | None = None
) -> None:
    before = Seen(dict(seen.keys), dict(seen.emails))
    outcomes = classify(rows, plan, seen, session=session, checked=checked)
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


def _record(outcome: Outcome) -> dict[str, object]:
    """The stored columns of a new customer (classify gives every such row its record)."""
    if outcome.record is None:
        raise ValueError(f"Line {outcome.line} has no customer to create.")
    return stored_columns(outcome.record)


def _write(outcomes: list[Outcome], job: ImportJob, actor: Actor, session: Session) -> None:
    with db.bulk_cache(session.connection()):
        _write_outcomes(outcomes, job, actor, session)


def _write_outcomes(outcomes: list[Outcome], job: ImportJob, actor: Actor, session: Session) -> None:
    now = utcnow()
    created = [o for o in outcomes if o.status == NEW]
    changes: list[dict] = []
    custom_values: dict[tuple[int, int], str] = {}
    related: list[tuple[int, import_related.Related]] = []
    if created:
        rows = [_record(outcome) | {"created_at": now, "updated_at": now, "version": 1} for outcome in created]
        with search_index.inserted_in_bulk(session.connection()) as indexed:
            ids = _inserted(session.connection(), rows)
            indexed.extend(ids)
        made = [(row_id, row["display_name"]) for row_id, row in zip(ids, rows, strict=True)]
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
    taken = import_related.write(related, existing=existing, actor=actor, session=session)
    changes += [
        {"customer_id": customer_id, "action": "related", "before": "{}", "after": json.dumps(what)}
        for customer_id, what in taken.items()
    ]
    if changes:
        bulk.insert_many(session.connection(), ImportChange, [change | {"job_id": job.id} for change in changes])
    for outcome in outcomes:
        counter = _COUNTERS.get(outcome.status, "error_count")
        setattr(job, counter, getattr(job, counter) + 1)


_NEXT_IDS = text("SELECT nextval(pg_get_serial_sequence('customer', 'id')) FROM generate_series(1, :count)")


def _inserted(connection: Connection, rows: list[dict]) -> list[int]:
    """Insert new customers in bulk (Core: the ORM's bulk path is far slower); their ids in the rows' order, so each
    new id meets its row's custom field values."""
    if connection.dialect.name != "sqlite":  # ids drawn from the sequence first, then every row sent by COPY
        ids = list(connection.execute(_NEXT_IDS, {"count": len(rows)}).scalars())
        bulk.insert_many(connection, Customer, [row | {"id": row_id} for row, row_id in zip(rows, ids, strict=True)])
        return ids
    # SQLAlchemy cannot batch an ordered RETURNING on SQLite (it sends one INSERT a row). The driver's executemany
    # holds the write lock throughout, so AUTOINCREMENT hands out consecutive ids, the last one being the last row's.
    bulk.insert_many(connection, Customer, rows)
    last = connection.exec_driver_sql("SELECT last_insert_rowid()").scalar_one()
    ids = list(range(last - len(rows) + 1, last + 1))
    written = select(func.count()).select_from(Customer).where(col(Customer.id).between(ids[0], last))
    if connection.execute(written).scalar_one() != len(rows):  # never: the ids were not consecutive after all
        raise RuntimeError("New customers were given ids out of order.")
    return ids


def _finish(
    session: Session, job: ImportJob, status: str, message: str, fence: Callable[[Session], None] | None = None
) -> ImportJob:
    files = (upload_path(job), report_path(job), outcomes_path(job)) if job.stored_as else ()
    job.status, job.message, job.finished_at, job.stored_as = status, message[:500], utcnow(), ""
    session.add(job)
    if fence is not None:
        fence(session)
    session.commit()
    for path in files:  # after the commit: a run that lost its job leaves the file to the run that took it over
        import_reuse.discard(path)
    if session.get_bind().dialect.name == "postgresql" and job.created_count + job.updated_count >= ANALYZE_AFTER:
        # The planner's statistics gathered now, not when autovacuum next looks (a minute on, or never where it is
        # off): without them a re-import right after looked e-mails up through another index, 40 ms a chunk, not 9.
        session.connection().exec_driver_sql("ANALYZE customer")
        session.commit()
    return job


def discard_files(job: ImportJob) -> None:
    """Delete a job's uploaded file and error report: they hold customer data nobody needs any more."""
    if job.stored_as:
        upload_path(job).unlink(missing_ok=True)
        report_path(job).unlink(missing_ok=True)
        import_reuse.discard(outcomes_path(job))
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
