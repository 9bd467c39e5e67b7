"""The Notes tab of the customer page: plain-text notes, newest first, written and deleted by editors."""

from dataclasses import dataclass

import reflex as rx
from sqlmodel import Session

from customer_app.core.permissions import Actor
from customer_app.customers.models import Customer
from customer_app.records import notes
from customer_app.records.models import CustomerNote
from customer_app.records.state.record_tab import CustomerTabMixin
from customer_app.ui.formatting import when
from customer_app.ui.parsing import ID_CHARS, parse_ids


@dataclass
class NoteRow:
    """One note as the tab shows it (the body is rendered as text, never as HTML)."""

    id: str = ""
    body: str = ""
    author: str = ""
    when: str = ""


def note_row(note: CustomerNote) -> NoteRow:
    return NoteRow(id=str(note.id), body=note.body, author=note.author_name or "Someone", when=when(note.created_at))


class CustomerNotesState(CustomerTabMixin, rx.State):
    """One customer's notes in one browser tab."""

    rows: list[NoteRow] = []
    confirm_id: str = ""  # the note a delete confirmation is about

    def _load_for(self, customer: Customer, actor: Actor, session: Session) -> None:
        """Read the customer's notes."""
        self.customer_id = customer.id
        self.rows = [note_row(n) for n in notes.list_notes(customer.id, actor=actor, session=session)]

    @rx.event
    async def add_note(self, form: dict):
        """Keep the typed note; everyone viewing this customer sees it appear."""
        body = str(form.get("note", ""))
        done, event = await self._write(
            lambda actor, session: notes.add_note(self.customer_id, body, actor=actor, session=session)
        )
        self.form_key += done  # an empty form for the next note
        return event

    @rx.event
    def ask_delete(self, note_id: str):
        self.confirm_id = note_id[:ID_CHARS]  # clients can send any length

    @rx.event
    def set_confirm_open(self, is_open: bool):
        if not is_open:
            self.confirm_id = ""

    @rx.event
    async def delete(self):
        """Delete the note the confirmation was about."""
        ids, self.confirm_id = parse_ids(self.confirm_id), ""
        done, event = await self._write(
            lambda actor, session: [notes.delete_note(i, actor=actor, session=session) for i in ids], errors=None
        )
        return rx.toast.success("Note deleted.") if done else event
