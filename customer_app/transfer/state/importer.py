"""The in-page import: preview, commit with progress, cancel and undo (the upload and mapping: `import_upload`)."""

import asyncio
import time

import reflex as rx

from customer_app.access.state.auth import actor_or_refusal
from customer_app.audit.rows import ALLOWED, DENIED
from customer_app.core.db import session_scope
from customer_app.core.permissions import Actor
from customer_app.errors import CustomerAppError, NotFoundError
from customer_app.settings import settings
from customer_app.transfer import import_jobs, import_uploads, imports
from customer_app.transfer.import_rows import STATUSES, Outcome, Plan
from customer_app.transfer.models import ImportJob
from customer_app.transfer.state.import_upload import IMPORT, ImportUploadMixin

POLL_SECONDS = 0.4
MINUTE = 60  # seconds; shorter waits are told in seconds
STATUS_LABELS = {
    "new": "New",
    "update": "Update",
    "unchanged": "Unchanged",
    "error": "Error",
    "duplicate": "Duplicate in file",
    "skipped": "Skipped",
}


class ImportState(ImportUploadMixin, rx.State):
    """One admin's import in progress; the job itself lives in the database, so a reload picks it up again."""

    access: str = ""  # "" while checking, "ok", or "denied"
    counts: dict[str, int] = {}
    preview_rows: list[dict[str, str]] = []
    has_report: bool = False
    total: int = 0
    done: int = 0
    eta: str = ""
    status: str = ""
    message: str = ""
    summary: str = ""
    report_url: str = ""

    @rx.var
    def count_badges(self) -> list[dict[str, str]]:
        """Totals per status, in a fixed order, without the empty ones."""
        return [
            {"status": s, "label": f"{STATUS_LABELS[s]}: {self.counts.get(s, 0):,}"}
            for s in STATUSES
            if self.counts.get(s, 0)
        ]

    @rx.var
    def to_write(self) -> int:
        """Rows the commit would create or update."""
        return self.counts.get("new", 0) + self.counts.get("update", 0)

    @rx.var
    def read_line(self) -> str:
        """What the preview read: "1 row read from clients.xlsx", "1,204 rows read from …"."""
        return f"{self.total:,} row{'' if self.total == 1 else 's'} read from {self.file_name}."

    @rx.var
    def commit_label(self) -> str:
        """The commit button's words: "Import 1 customer", "Import 1,204 customers"."""
        return f"Import {self.to_write:,} customer{'' if self.to_write == 1 else 's'}"

    @rx.var
    def percent(self) -> int:
        return int(self.done * 100 / self.total) if self.total else 0

    @rx.var
    def progress_label(self) -> str:
        left = f" · about {self.eta} left" if self.eta else ""
        return f"{self.done:,} of {self.total:,} rows{left}"

    def _reset(self) -> None:
        """Back to the upload step, with no preview or outcome shown."""
        super()._reset()
        self.counts, self.preview_rows, self.report_url = {}, [], ""
        self.status, self.message, self.summary = "", "", ""

    @rx.event
    async def on_load(self):
        """Start afresh, or follow an import that is still running (after a reload or from another page)."""
        actor, refused = await actor_or_refusal(self, IMPORT)
        if actor is None:
            self.access = DENIED
            return refused
        self.access = ALLOWED
        with session_scope() as session:
            running = imports.running_job(actor=actor, session=session)
        if running is not None:
            self._show_job(running)
            return ImportState.follow_job
        if self.step in ("running", "finished"):
            self._reset()
        return None

    @rx.event
    def back_to_mapping(self):
        self.step, self.error = "map", ""

    @rx.event
    async def preview(self):
        """Classify every row (nothing is written) and show what the import would do."""
        actor, refused = await actor_or_refusal(self, IMPORT)
        if actor is None:
            yield refused
            return
        self.busy, self.error = True, ""
        yield
        plan = Plan(list(self.mapping), self.mode, self.match_on, settings.default_phone_region)
        try:
            found, self.report_url = await asyncio.to_thread(_preview, self.job_id, plan, actor)
        except CustomerAppError as exc:
            self.error = "; ".join(getattr(exc, "errors", {}).values()) or str(exc)
            return
        finally:
            self.busy = False
        self.counts, self.total, self.has_report = found.counts, found.total, found.has_report
        self.preview_rows = [_preview_row(outcome) for outcome in found.rows]
        self.step = "preview"

    @rx.event
    async def commit(self):
        """Start writing in the background; the page (and every other page) stays usable."""
        actor, refused = await actor_or_refusal(self, IMPORT)
        if actor is None:
            return refused
        try:
            with session_scope() as session:
                job = import_jobs.start(self.job_id, actor=actor, session=session)
        except CustomerAppError as exc:
            self.error = "; ".join(getattr(exc, "errors", {}).values()) or str(exc)
            return None
        self._show_job(job)
        return ImportState.follow_job

    @rx.event
    async def cancel(self):
        """Stop after the current chunk; what was imported so far can be undone."""
        actor, refused = await actor_or_refusal(self, IMPORT)
        if actor is None:
            return refused
        with session_scope() as session:
            job = imports.cancel_import(self.job_id, actor=actor, session=session)
        if job.status == "cancelled":
            self._reset()
        else:
            self.status = job.status
        return None

    def _show_job(self, job: ImportJob) -> None:
        self.job_id, self.file_name, self.total, self.done = job.id, job.file_name, job.total_rows, job.done_rows
        self.status, self.message = job.status, job.message
        self.step = "running" if job.status in imports.ACTIVE else "finished"
        self.summary = imports.summary(job)
        self.eta = ""
        if job.started_at is not None and job.done_rows and job.status in imports.ACTIVE:
            elapsed = time.time() - job.started_at.timestamp()
            self.eta = _duration(elapsed * (job.total_rows - job.done_rows) / job.done_rows)

    @rx.event
    async def refresh_job(self):
        """Show the job as it is now (after an undo)."""
        if not self.job_id:
            return None
        actor, refused = await actor_or_refusal(self, IMPORT)
        if actor is None:
            return refused
        job = _job(self.job_id, actor)
        if job is not None:
            self._show_job(job)
        return None

    @rx.event(background=True)
    async def follow_job(self):
        """Show the running job's progress until it ends (a job worker, in this process or another, does the work)."""
        async with self:
            actor, refused = await actor_or_refusal(self, IMPORT)
        if actor is None:
            return refused
        while True:
            async with self:
                job_id = self.job_id
            job = _job(job_id, actor)
            if job is None:
                return None
            async with self:
                if self.job_id != job_id:
                    return None
                self._show_job(job)
            if job.status not in imports.ACTIVE:
                return None
            await asyncio.sleep(POLL_SECONDS)


def _preview(job_id: int, plan: Plan, actor: Actor) -> tuple[imports.Preview, str]:
    """The preview and its report link, worked out on a worker thread (every row is read and classified)."""
    with session_scope() as session:
        return import_uploads.preview(job_id, plan, actor=actor, session=session)


def _job(job_id: int, actor: Actor) -> ImportJob | None:
    """The job as it is now, or None when there is none."""
    try:
        with session_scope() as session:
            return imports.get_job(job_id, actor=actor, session=session)
    except NotFoundError:
        return None


def _preview_row(outcome: Outcome) -> dict[str, str]:
    """One classified row as the preview table shows it."""
    return {
        "line": str(outcome.line),
        "status": outcome.status,
        "label": STATUS_LABELS[outcome.status],
        "name": outcome.display_name,
        "message": outcome.message,
    }


def _duration(seconds: float) -> str:
    if seconds < MINUTE:
        return f"{max(1, round(seconds))} s"
    return f"{round(seconds / MINUTE)} min"
