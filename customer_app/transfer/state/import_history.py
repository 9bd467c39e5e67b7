"""Import history: who imported what and when, with the outcome, and undo with a look at later changes first."""

import asyncio
from dataclasses import dataclass

import reflex as rx

from customer_app.access.state.auth import actor_or_refusal
from customer_app.audit.rows import ALLOWED, DENIED
from customer_app.core import jobs
from customer_app.core.db import session_scope
from customer_app.core.live import hub
from customer_app.errors import CustomerAppError
from customer_app.transfer import import_jobs, import_undo, imports
from customer_app.transfer.models import ImportJob
from customer_app.transfer.state.importer import ImportState
from customer_app.ui.formatting import when
from customer_app.ui.paged_state import PagedMixin
from customer_app.ui.parsing import parse_ids

IMPORT = "customer.import"
CONFLICTS_SHOWN = 20
POLL_SECONDS = 0.3
STATUS_LABELS = {  # the history lists only imports that were started
    "running": "Running",
    "cancelling": "Cancelling",
    "done": "Done",
    "failed": "Failed",
    "cancelled": "Cancelled",
    "undone": "Undone",
}


@dataclass
class ImportRow:
    """One import as the history table shows it."""

    id: str = ""
    when: str = ""
    who: str = ""
    file: str = ""
    mode: str = ""
    summary: str = ""
    status: str = ""
    status_label: str = ""
    message: str = ""
    can_undo: bool = False


def import_row(job: ImportJob) -> ImportRow:
    """A job as text."""
    return ImportRow(
        id=str(job.id),
        when=when(job.created_at),
        who=job.created_by_name,
        file=job.file_name,
        mode=imports.MODES.get(job.mode, job.mode),
        summary=imports.summary(job),
        status=job.status,
        status_label=STATUS_LABELS.get(job.status, job.status),
        message=job.message,
        can_undo=import_undo.can_undo(job),
    )


class ImportHistoryState(PagedMixin, rx.State):
    """The history page, and the undo dialog (also used on the import page once an import has finished)."""

    access: str = ""
    rows: list[ImportRow] = []
    undo_id: int = 0
    undo_open: bool = False
    undo_busy: bool = False
    conflicts: list[str] = []
    conflict_count: int = 0
    _undo_job: int = 0  # the queued undo this tab waits for

    async def _load(self):
        actor, refused = await actor_or_refusal(self, IMPORT)
        if actor is None:
            self.rows, self.total, self.access = [], 0, DENIED
            return refused
        self._checked_size()
        with session_scope() as session:
            jobs, self.total = imports.import_history(
                actor=actor, session=session, page=self.page, page_size=self.page_size
            )
        self.rows = [import_row(job) for job in jobs]
        self.access = ALLOWED
        return None

    @rx.event
    async def on_load(self):
        """Newest imports first."""
        self.page = 1
        return await self._load()

    @rx.event
    async def ask_undo(self, job_id: str):
        """Open the undo confirmation, listing customers someone changed after the import."""
        actor, refused = await actor_or_refusal(self, IMPORT)
        if actor is None:
            return refused
        ids = parse_ids([job_id])
        if not ids:
            return None
        self.undo_id = ids[0]
        with session_scope() as session:
            found = import_undo.undo_conflicts(self.undo_id, actor=actor, session=session)
        self.conflict_count = len(found)
        self.conflicts = [f"{c.name}: {', '.join(c.fields)}" for c in found[:CONFLICTS_SHOWN]]
        self.undo_open = True
        return None

    @rx.event
    def set_undo_open(self, is_open: bool):
        self.undo_open = is_open and self.undo_open

    @rx.event
    async def undo(self, overwrite: bool):
        """Queue the undo; customers changed since are left alone unless `overwrite`. The dialog shows it working."""
        actor, refused = await actor_or_refusal(self, IMPORT)
        if actor is None:
            return refused
        try:
            with session_scope() as session:
                queued = import_jobs.start_undo(self.undo_id, actor=actor, session=session, overwrite=overwrite)
        except CustomerAppError as exc:
            self.undo_open = False
            return rx.toast.error("; ".join(getattr(exc, "errors", {}).values()) or str(exc))
        self.undo_busy, self._undo_job = True, queued.id
        return ImportHistoryState.follow_undo

    @rx.event(background=True)
    async def follow_undo(self):
        """Wait for the queued undo to end (a worker runs it, even if this page goes away), then say what it did."""
        async with self:
            actor, refused = await actor_or_refusal(self, IMPORT)
            job_id = self._undo_job
        if actor is None or not job_id:
            return refused
        while (job := jobs.current(job_id)) is not None and job.status not in jobs.ENDED:
            await asyncio.sleep(POLL_SECONDS)
        async with self:
            self.undo_busy = self.undo_open = False
            self._undo_job = 0
            await self._load()
        await hub.announce(self.router.session.client_token)
        if job is None or job.status != "done":
            return rx.toast.error(job.message if job is not None else "The undo was lost; try again.")
        result = jobs.result_of(job)
        left = f", {result['left_alone']:,} left alone" if result["left_alone"] else ""
        return [
            rx.toast.success(
                f"Import undone: {result['removed']:,} moved to Trash, {result['restored']:,} restored{left}."
            ),
            ImportState.refresh_job,
        ]
