"""Import history: who imported what and when, with the outcome, and undo with a look at later changes first."""

from dataclasses import dataclass

import reflex as rx

from customer_app.access.state.auth import actor_or_refusal
from customer_app.audit.rows import ALLOWED, DENIED
from customer_app.core.db import session_scope
from customer_app.core.live import hub
from customer_app.errors import CustomerAppError
from customer_app.transfer import import_undo, imports
from customer_app.transfer.models import ImportJob
from customer_app.transfer.state.importer import ImportState
from customer_app.ui.formatting import when
from customer_app.ui.paged_state import PagedMixin
from customer_app.ui.parsing import parse_ids

IMPORT = "customer.import"
CONFLICTS_SHOWN = 20
STATUS_LABELS = {
    "uploaded": "Not started",
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
        can_undo=job.status in ("done", "cancelled") and job.undone_at is None,
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
        """Undo the import; customers changed since are left alone unless `overwrite`."""
        actor, refused = await actor_or_refusal(self, IMPORT)
        if actor is None:
            return refused
        try:
            self.undo_busy = True
            with session_scope() as session:
                result = import_undo.undo_import(self.undo_id, actor=actor, session=session, overwrite=overwrite)
        except CustomerAppError as exc:
            self.undo_open = False
            return rx.toast.error("; ".join(getattr(exc, "errors", {}).values()) or str(exc))
        finally:
            self.undo_busy = False
        self.undo_open = False
        await hub.announce(self.router.session.client_token)
        await self._load()
        left = f", {result.left_alone:,} left alone" if result.left_alone else ""
        return [
            rx.toast.success(f"Import undone: {result.removed:,} moved to Trash, {result.restored:,} restored{left}."),
            ImportState.refresh_job,
        ]
