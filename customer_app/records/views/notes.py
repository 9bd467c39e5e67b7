"""The Notes tab: a box to write a note (editors), the notes newest first, and the delete confirmation."""

import reflex as rx

from customer_app.access.state.auth import AuthState
from customer_app.records.state.notes import CustomerNotesState as N
from customer_app.ui.confirm_dialog import confirm_dialog
from customer_app.ui.icon_action import icon_action


def _note(note: rx.Var) -> rx.Component:
    return rx.card(
        rx.hstack(
            rx.text(note.author, size="2", weight="medium"),
            rx.text(note.when, size="1", class_name="muted"),
            rx.spacer(),
            rx.cond(
                AuthState.can_edit,
                icon_action("trash-2", "Delete note", N.ask_delete(note.id), color_scheme="red"),
            ),
            align="center",
            width="100%",
        ),
        # React renders this as text: markup typed into a note is shown, never run.
        rx.text(note.body, class_name="note-body"),
        width="100%",
        data_testid="note",
    )


def _form() -> rx.Component:
    return rx.form(
        rx.vstack(
            rx.el.label("New note", html_for="new-note", class_name="field-label"),
            rx.text_area(id="new-note", name="note", rows="3", max_length=5000, width="100%"),
            rx.cond(N.errors["note"], rx.text(N.errors["note"], color_scheme="red", size="1", role="alert")),
            rx.button(rx.icon("send", size=14), "Send", type="submit"),
            spacing="2",
            width="100%",
        ),
        on_submit=N.add_note,
        key=N.form_key,
        width="100%",
    )


def notes_tab() -> rx.Component:
    """Write, read and delete notes."""
    return rx.vstack(
        rx.cond(AuthState.can_edit, _form()),
        rx.cond(
            N.rows.length() > 0,
            rx.vstack(rx.foreach(N.rows, _note), spacing="2", width="100%"),
            rx.text("No notes yet.", class_name="muted"),
        ),
        confirm_dialog(
            open_=N.confirm_id != "",
            title="Delete this note?",
            body="The note is removed for everyone. The audit trail keeps a copy of its text.",
            on_open_change=N.set_confirm_open,
            actions=[rx.button("Confirm", color_scheme="red", on_click=N.delete)],
        ),
        spacing="3",
        width="100%",
        max_width="760px",
    )
