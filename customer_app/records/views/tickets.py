"""The Tickets tab: a status filter, the tickets with their thread of replies and status history, a box to reply, and
the open/edit pop-up."""

import reflex as rx

from customer_app.access.state.auth import AuthState
from customer_app.records.models import REPLY_MAX_CHARS, TICKET_PRIORITIES, TICKET_STATUSES
from customer_app.records.state.tickets import CustomerTicketsState as T
from customer_app.ui.form_dialog import form_dialog
from customer_app.ui.form_field import form_field, select_field, textarea_field

_STATUS_TONES = (("new", "blue"), ("in_progress", "amber"), ("solved", "green"), ("cancelled", "gray"))
_PRIORITY_TONES = (("urgent", "red"), ("high", "orange"), ("normal", "gray"), ("low", "gray"))

# Ctrl+Enter (Cmd+Enter on a Mac) in a reply box sends it, as in most mail and chat programs.
SEND_KEYS = """
if (!window.__replyKeys) {
  window.__replyKeys = true;
  document.addEventListener('keydown', (event) => {
    if (event.key !== 'Enter' || !(event.ctrlKey || event.metaKey)) return;
    const box = event.target.closest('textarea[data-send-keys]');
    if (box && box.form) { event.preventDefault(); box.form.requestSubmit(); }
  });
}
"""


def _badge(value: rx.Var, label: rx.Var, tones) -> rx.Component:
    badges = [(key, rx.badge(label, color_scheme=tone, variant="soft")) for key, tone in tones]
    return rx.match(value, *badges, rx.badge(label))


def _reply(reply: rx.Var) -> rx.Component:
    return rx.box(
        rx.hstack(
            rx.text(reply.author, size="2", weight="medium"),
            rx.cond(reply.from_customer, rx.badge("Customer", color_scheme="violet", variant="soft")),
            rx.text(reply.when, size="1", class_name="muted"),
            align="center",
            wrap="wrap",
        ),
        # React renders this as text: markup typed into a reply is shown, never run.
        rx.text(reply.body, size="2", class_name="note-body"),
        class_name="ticket-reply",
        data_testid="ticket-reply",
    )


def _reply_box(row: rx.Var) -> rx.Component:
    box_id = "reply-" + row.id
    error = T.reply_errors[row.id]
    return rx.form(
        rx.vstack(
            rx.el.input(type="hidden", name="ticket_id", value=row.id),
            rx.el.label("Reply", html_for=box_id, class_name="field-label"),
            rx.text_area(
                id=box_id, name="reply", rows="2", max_length=REPLY_MAX_CHARS, width="100%", data_send_keys="on"
            ),
            rx.cond(error, rx.text(error, color_scheme="red", size="1", role="alert")),
            rx.button(rx.icon("send", size=14), "Reply", type="submit", size="1", aria_label="Reply to " + row.subject),
            spacing="2",
            width="100%",
        ),
        on_submit=T.reply,
        key=row.reply_box,
        width="100%",
    )


def _ticket(row: rx.Var) -> rx.Component:
    return rx.card(
        rx.hstack(
            rx.text(row.subject, weight="bold", class_name="wrap-anywhere"),
            _badge(row.status, row.status_label, _STATUS_TONES),
            _badge(row.priority, row.priority_label, _PRIORITY_TONES),
            rx.cond(row.from_customer, rx.badge("From the portal", color_scheme="violet", variant="outline")),
            rx.spacer(),
            rx.cond(
                AuthState.can_edit,
                rx.button(
                    "Edit", size="1", variant="soft", on_click=T.open_edit(row.id), aria_label="Edit " + row.subject
                ),
            ),
            align="center",
            wrap="wrap",
            width="100%",
        ),
        rx.cond(row.description != "", rx.text(row.description, size="2", class_name="note-body")),
        rx.text(row.opened, size="1", class_name="muted"),
        rx.el.ol(
            rx.foreach(row.history, lambda step: rx.el.li(step)),
            class_name="status-history",
            aria_label="Status history",
        ),
        rx.cond(
            row.replies.length() > 0,
            rx.vstack(rx.foreach(row.replies, _reply), spacing="2", width="100%", aria_label="Replies"),
        ),
        rx.cond(AuthState.can_edit, _reply_box(row)),
        width="100%",
        data_testid="ticket",
    )


def _select(name: str, label: str, options: dict[str, str]) -> rx.Component:
    return select_field(label, name, options, T.values[name], T.errors[name], blank=False)


def _dialog() -> rx.Component:
    return form_dialog(
        rx.cond(T.editing_id > 0, "Edit ticket", "New ticket"),
        form_field("Subject", "subject", T.values["subject"], T.errors["subject"], required=True, max_length=200),
        textarea_field("Description", "description", T.values["description"], T.errors["description"], rows="4"),
        rx.hstack(
            _select("priority", "Priority", TICKET_PRIORITIES),
            rx.cond(T.editing_id > 0, _select("status", "Status", TICKET_STATUSES), rx.fragment()),
            spacing="4",
        ),
        on_submit=T.save,
        form_key=T.form_key,
        open_=T.form_open,
        on_open_change=T.set_form_open,
    )


def tickets_tab() -> rx.Component:
    """Filter, list, open and edit."""
    return rx.vstack(
        rx.hstack(
            rx.el.label("Show", html_for="ticket-filter", class_name="field-label"),
            rx.el.select(
                rx.el.option("All tickets", value="all"),
                *[rx.el.option(text, value=key) for key, text in TICKET_STATUSES.items()],
                id="ticket-filter",
                value=T.status_filter,
                on_change=T.set_status_filter,
                class_name="native-select",
            ),
            rx.spacer(),
            rx.cond(AuthState.can_edit, rx.button(rx.icon("plus", size=16), "New ticket", on_click=T.open_new)),
            align="center",
            width="100%",
        ),
        rx.cond(
            T.rows.length() > 0,
            rx.vstack(rx.foreach(T.rows, _ticket), spacing="2", width="100%"),
            rx.text("No tickets here.", class_name="muted"),
        ),
        _dialog(),
        rx.script(SEND_KEYS),
        spacing="3",
        width="100%",
        max_width="760px",
    )
