"""The document numbers section of the settings page: each kind's prefix, digits and next number."""

from dataclasses import dataclass

import reflex as rx

from customer_app.access.state.auth import actor_or_refusal
from customer_app.admin.state.settings_change import apply_change
from customer_app.commerce import numbering
from customer_app.core.db import session_scope

FIELDS = ("prefix", "padding", "next_value")


@dataclass
class SequenceLine:
    """One kind's sequence as the form shows it."""

    kind: str = ""
    label: str = ""
    prefix: str = ""
    padding: str = ""
    next_value: str = ""
    next_number: str = ""


class NumberingSettingsState(rx.State):
    """What one admin sees and changes of the document numbers."""

    sequences: list[SequenceLine] = []
    editing: str = ""  # the kind whose form shows its errors
    errors: dict[str, str] = {}
    form_key: int = 0

    async def _load(self):
        actor, _ = await actor_or_refusal(self, "settings.manage")  # the custom fields section sends the refusal
        if actor is None:
            self.sequences = []
            return
        with session_scope() as session:
            self.sequences = [
                SequenceLine(r.kind, r.label, r.prefix, str(r.padding), str(r.next_value), r.next_number)
                for r in numbering.sequences(actor=actor, session=session)
            ]

    @rx.event
    async def on_load(self):
        """Every kind's sequence."""
        self.errors, self.editing = {}, ""
        await self._load()

    @rx.event
    async def save(self, form: dict):
        """Keep one kind's prefix, digits and next number; a number already given is refused."""
        kind = str(form.get("kind", ""))[:20]
        prefix, padding, next_value = (str(form.get(name, ""))[:40] for name in FIELDS)
        self.editing = kind
        done, event = await apply_change(
            self,
            lambda actor, session: numbering.save_sequence(
                kind, prefix=prefix, padding=padding, next_value=next_value, actor=actor, session=session
            ),
        )
        if done:
            self.form_key += 1
            return rx.toast.success("Document numbers saved.")
        return event
