"""Trash's recent removals, each restored in one action, and the Undo offered right after a Trash action."""

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import reflex as rx
from reflex_components_sonner.toast import ToastAction
from sqlmodel import Session

from customer_app.access.state.auth import act_as
from customer_app.core.permissions import Actor
from customer_app.customers import trash_batches
from customer_app.customers.models import TrashBatch
from customer_app.customers.trash_batches import BatchRestore
from customer_app.ui.parsing import parse_ids

UNDO_MS = 10_000  # how long the toast offers Undo: long enough to notice a mistake and reach the button


def restored_message(result: BatchRestore) -> str:
    """What Restore all or Undo did, in words."""
    if not result.restored and not result.kept:
        return "Nothing to restore: these customers were already restored or deleted permanently."
    parts = [f"{result.restored:,} customer(s) restored."]
    if result.gone:
        parts.append(f"{result.gone:,} had already been restored or deleted permanently.")
    if result.kept:
        parts.append(f"{result.kept:,} stay in Trash: another customer now uses their e-mail address.")
    return " ".join(parts)


class RemovalsMixin(rx.State, mixin=True):
    """Removals shown in Trash and Undo after a Trash action; the page state provides `_change`, `_changed` and
    `selected`."""

    removals: list[dict[str, str]] = []  # the newest removals of several customers still in Trash
    restore_id: str = ""  # the removal Restore all asks about

    if TYPE_CHECKING:  # declared for the type checker only: a stub here would hide the page state's own
        selected: list[str]

        async def _changed(self, customer_id: int | None = None) -> Any:
            """Reload the page and wake everyone else's; the page state defines it."""

        async def _change(self, work, done: str, offer=None) -> Any:
            """Run a change as the signed-in actor and report it; the page state defines it."""

    @rx.var
    def restore_removal(self) -> dict[str, str]:
        """The removal Restore all asks about (empty when none)."""
        return next((r for r in self.removals if r["id"] == self.restore_id), {})

    @rx.event
    def ask_restore_removal(self, removal_id: str):
        """Ask before restoring a whole removal (only one the page shows)."""
        self.restore_id = next((r["id"] for r in self.removals if r["id"] == removal_id), "")

    @rx.event
    def set_restore_open(self, is_open: bool):
        """The confirmation was dismissed (Cancel or Escape)."""
        if not is_open:
            self.restore_id = ""

    @rx.event
    async def restore_removal_confirmed(self):
        """Restore every customer of the confirmed removal still in Trash."""
        ids, self.restore_id = parse_ids(self.restore_id), ""
        return await self._restore(ids)

    @rx.event
    async def undo_trash(self, removal_id: str):
        """Undo a Trash action just taken: restore exactly the removal it made."""
        return await self._restore(parse_ids(removal_id))

    async def _trash(self, trash: Callable[[Actor, Session, TrashBatch], int], done: str):
        """Move customers to Trash as one removal (`trash` moves them into the batch given), then offer Undo."""
        removal: list[int] = []

        def work(actor: Actor, session: Session) -> int:
            batch = trash_batches.open_batch(actor=actor, session=session)
            removal.append(batch.id)
            return trash(actor, session, batch)

        def undo() -> dict[str, Any]:
            return {
                "action": ToastAction(label="Undo", on_click=type(self).undo_trash(str(removal[0]))),
                "duration": UNDO_MS,
            }

        return await self._change(work, done, undo)

    async def _restore(self, ids: list[int]):
        if not ids:
            return None
        results: list[BatchRestore] = []
        changed, event = await act_as(
            self,
            "customer.edit",
            lambda actor, session: results.append(trash_batches.restore_batch(ids[0], actor=actor, session=session)),
            errors=None,
        )
        if not changed:
            return event
        self.selected = []
        await self._changed()
        message = restored_message(results[0])
        return rx.toast.warning(message) if results[0].kept else rx.toast.success(message)
