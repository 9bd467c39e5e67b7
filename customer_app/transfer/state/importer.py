"""The in-page import: upload, pick a sheet, map columns, preview, commit with progress, cancel and undo."""

import asyncio
import threading
import time

import reflex as rx

from customer_app.access.state.auth import actor_for, refusal
from customer_app.audit.rows import ALLOWED, DENIED
from customer_app.core import db, spreadsheet
from customer_app.core.db import session_scope
from customer_app.core.live import hub
from customer_app.core.permissions import Actor
from customer_app.customers import custom_fields
from customer_app.customers.customers import derived_fields
from customer_app.errors import CustomerAppError, PermissionDenied
from customer_app.settings import settings
from customer_app.transfer import import_files, imports
from customer_app.transfer.downloads import create_link
from customer_app.transfer.import_mapping import LABELS, MATCH_KEYS, SKIP, suggested_mapping, targets
from customer_app.transfer.import_rows import STATUSES, Plan
from customer_app.transfer.models import ImportJob

POLL_SECONDS = 0.4
SAMPLE_VALUES = 3


def options_for(labels: dict[str, str]) -> list[dict[str, str]]:
    """What a column can fill, as the mapping drop-down lists it."""
    return [{"value": SKIP or "skip", "label": "Do not import"}] + [
        {"value": key, "label": label} for key, label in labels.items()
    ]


STATUS_LABELS = {
    "new": "New",
    "update": "Update",
    "unchanged": "Unchanged",
    "error": "Error",
    "duplicate": "Duplicate in file",
    "skipped": "Skipped",
}


class ImportState(rx.State):
    """One admin's import in progress; the job itself lives in the database, so a reload picks it up again."""

    access: str = ""  # "" while checking, "ok", or "denied"
    step: str = "upload"  # upload, sheet, map, preview, running, finished
    job_id: int = 0
    file_name: str = ""
    sheets: list[str] = []
    sheet: str = ""
    headers: list[str] = []
    samples: list[str] = []
    mapping: list[str] = []
    field_options: list[dict[str, str]] = options_for(LABELS)  # the customer's fields, then custom fields
    remembered: bool = False
    mode: str = "both"
    match_on: str = "email"
    error: str = ""
    busy: bool = False
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
    def columns(self) -> list[dict[str, str]]:
        """Each column's header, sample values and chosen field, for the mapping table."""
        return [
            {"index": str(i), "header": header or f"Column {i + 1}", "sample": sample, "field": field or "skip"}
            for i, (header, sample, field) in enumerate(zip(self.headers, self.samples, self.mapping, strict=False))
        ]

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
    def percent(self) -> int:
        return int(self.done * 100 / self.total) if self.total else 0

    @rx.var
    def progress_label(self) -> str:
        left = f" · about {self.eta} left" if self.eta else ""
        return f"{self.done:,} of {self.total:,} rows{left}"

    async def _actor(self) -> Actor:
        return await actor_for(self, "customer.import")

    @rx.event
    async def on_load(self):
        """Start afresh, or follow an import that is still running (after a reload or from another page)."""
        try:
            await self._actor()
        except PermissionDenied as exc:
            self.access = DENIED
            return await refusal(self, exc)
        self.access = ALLOWED
        with session_scope() as session:
            running = session.exec(imports.running_jobs()).first()
        if running is not None:
            self._show_job(running)
            return ImportState.follow_job
        if self.step in ("running", "finished"):
            self.reset_flow()
        return None

    @rx.event
    def reset_flow(self):
        """Back to the upload step with nothing chosen."""
        self.job_id, self.file_name, self.sheet, self.remembered = 0, "", "", False
        self.sheets, self.headers, self.samples, self.mapping = [], [], [], []
        self.step, self.error, self.counts, self.preview_rows, self.report_url = "upload", "", {}, [], ""
        self.mode, self.match_on, self.status, self.message, self.summary = "both", "email", "", "", ""

    @rx.event
    async def download_sample(self, file_format: str):
        """The sample file (small: it travels with the event)."""
        try:
            actor = await self._actor()
        except PermissionDenied as exc:
            return await refusal(self, exc)
        with session_scope() as session:  # custom fields get their own columns
            custom = custom_fields.list_fields(actor=actor, session=session)
        if file_format == "csv":
            data = import_files.sample_csv(custom)
            return rx.download(data=data, filename="customers-sample.csv", mime_type="text/csv")
        return rx.download(data=import_files.sample_xlsx(custom), filename="customers-sample.xlsx")

    @rx.event
    async def handle_upload(self, files: list[rx.UploadFile]):
        """Keep the file privately and show its columns (or ask which sheet)."""
        try:
            actor = await self._actor()
        except PermissionDenied as exc:
            yield await refusal(self, exc)
            return
        self.reset_flow()
        if not files:
            return
        upload = files[0]
        self.busy = True
        yield
        try:
            with session_scope() as session:
                job = imports.store_upload(
                    iter(lambda: upload.file.read(1 << 20), b""),
                    upload.filename or upload.name or "upload",
                    actor=actor,
                    session=session,
                )
            self.job_id, self.file_name = job.id, job.file_name
            self.sheets = await asyncio.to_thread(spreadsheet.sheet_names, imports.upload_path(job))
            self.sheet = self.sheets[0] if self.sheets else ""
            if len(self.sheets) > 1:
                self.step = "sheet"
            else:
                await self._read_columns()
        except CustomerAppError as exc:
            self._fail(str(exc))
        finally:
            self.busy = False

    def _fail(self, message: str) -> None:
        """Show why the file cannot be used and forget it (nothing was written)."""
        if self.job_id:
            with session_scope() as session:
                job = session.get(ImportJob, self.job_id)
                if job is not None:
                    imports.discard_files(job)
                    job.status, job.message = "failed", message[:500]
                    session.add(job)
        self.reset_flow()
        self.error = message

    async def _read_columns(self) -> None:
        with session_scope() as session:
            job = imports.get_job(self.job_id, session=session)
            job.sheet = self.sheet
            session.add(job)
        table = await asyncio.to_thread(imports.read_job_table, job)
        with session_scope() as session:
            self.mapping, self.remembered = suggested_mapping(table.headers, session=session)
            self.field_options = options_for(targets(session=session))
        self.headers = table.headers
        self.samples = [
            ", ".join(str(cells[i]) for _line, cells in table.rows[:SAMPLE_VALUES] if cells[i] not in (None, ""))
            for i in range(len(table.headers))
        ]
        if "id" in self.mapping:
            self.match_on = "id"  # an export coming back: its customer ID is the surest match
        self.step = "map"

    @rx.event
    async def choose_sheet(self, sheet: str):
        """Use this sheet of the workbook."""
        if sheet not in self.sheets:
            return
        self.sheet, self.busy = sheet, True
        yield
        try:
            await self._read_columns()
        except CustomerAppError as exc:
            self._fail(str(exc))
        finally:
            self.busy = False

    @rx.event
    def set_field(self, index: str, field: str):
        """Import column `index` into `field` ("skip" means not at all)."""
        mapping = list(self.mapping)
        mapping[int(index)] = SKIP if field == "skip" else field
        self.mapping, self.error = mapping, ""

    @rx.event
    def set_mode(self, mode: str):
        if mode in imports.MODES:
            self.mode = mode

    @rx.event
    def set_match_on(self, match_on: str):
        if match_on in MATCH_KEYS:
            self.match_on = match_on

    @rx.event
    def back_to_mapping(self):
        self.step, self.error = "map", ""

    @rx.event
    async def preview(self):
        """Classify every row (nothing is written) and show what the import would do."""
        try:
            actor = await self._actor()
        except PermissionDenied as exc:
            yield await refusal(self, exc)
            return
        self.busy, self.error = True, ""
        yield
        plan = Plan(list(self.mapping), self.mode, self.match_on, settings.default_phone_region)
        try:
            result = await asyncio.to_thread(self._preview, self.job_id, plan, actor)
        except CustomerAppError as exc:
            self.error = "; ".join(getattr(exc, "errors", {}).values()) or str(exc)
            return
        finally:
            self.busy = False
        preview, self.report_url = result
        self.counts, self.total, self.has_report = preview.counts, preview.total, preview.has_report
        self.preview_rows = [
            {
                "line": str(o.line),
                "status": o.status,
                "label": STATUS_LABELS[o.status],
                "name": derived_fields(o.values)["display_name"] if o.values else "",
                "message": o.message,
            }
            for o in preview.rows
        ]
        self.step = "preview"

    @staticmethod
    def _preview(job_id: int, plan: Plan, actor: Actor):
        with session_scope() as session:
            preview = imports.preview_import(job_id, plan, actor=actor, session=session)
            link = ""
            if preview.has_report:
                job = imports.get_job(job_id, session=session)
                link = create_link(
                    imports.report_path(job), f"rows-to-fix-{job.file_name}.xlsx", actor=actor, session=session
                )
        return preview, link

    @rx.event
    async def commit(self):
        """Start writing in the background; the page (and every other page) stays usable."""
        try:
            actor = await self._actor()
            with session_scope() as session:
                job = imports.start_import(self.job_id, actor=actor, session=session)
        except PermissionDenied as exc:
            return await refusal(self, exc)
        except CustomerAppError as exc:
            self.error = "; ".join(getattr(exc, "errors", {}).values()) or str(exc)
            return None
        loop = asyncio.get_running_loop()
        threading.Thread(target=_run, args=(job.id, actor, loop), daemon=True, name=f"import-{job.id}").start()
        self._show_job(job)
        return ImportState.follow_job

    @rx.event
    async def cancel(self):
        """Stop after the current chunk; what was imported so far can be undone."""
        try:
            actor = await self._actor()
        except PermissionDenied as exc:
            return await refusal(self, exc)
        with session_scope() as session:
            job = imports.cancel_import(self.job_id, actor=actor, session=session)
        if job.status == "cancelled":
            self.reset_flow()
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
    def refresh_job(self):
        """Show the job as it is now (after an undo)."""
        if not self.job_id:
            return
        with session_scope() as session:
            job = session.get(ImportJob, self.job_id)
        if job is not None:
            self._show_job(job)

    @rx.event(background=True)
    async def follow_job(self):
        """Show the running job's progress until it ends (the work itself runs on its own thread)."""
        while True:
            async with self:
                job_id = self.job_id
            with session_scope() as session:
                job = session.get(ImportJob, job_id)
            if job is None:
                return
            async with self:
                if self.job_id != job_id:
                    return
                self._show_job(job)
            if job.status not in imports.ACTIVE:
                return
            await asyncio.sleep(POLL_SECONDS)


def _run(job_id: int, actor: Actor, loop: asyncio.AbstractEventLoop) -> None:
    """The import itself, on a thread of its own so that leaving the page does not stop it."""

    def announce(_job: ImportJob) -> None:
        # Every written chunk wakes the open customer lists, whether or not the admin still watches the import.
        asyncio.run_coroutine_threadsafe(hub.announce("import"), loop)

    try:
        imports.run_import(job_id, actor=actor, engine=db.engine(), progress=announce)
    except Exception as exc:  # a crash must still end the job, or it would block every later import
        with session_scope() as session:
            imports.fail_job(job_id, f"The import stopped: {exc}", session=session)
        raise


def _duration(seconds: float) -> str:
    if seconds < 60:
        return f"{max(1, round(seconds))} s"
    return f"{round(seconds / 60)} min"
