"""The outbox: each e-mail with its recipient, subject, time, status and plain-text body."""

import reflex as rx

from customer_app.admin.state.outbox import OutboxState as S
from customer_app.ui.pager import pager


def _status(row: rx.Var) -> rx.Component:
    return rx.match(
        row.status,
        ("sent", rx.badge(row.status_label, color_scheme="green", variant="soft")),
        ("failed", rx.badge(row.status_label, color_scheme="red", variant="soft")),
        ("queued", rx.badge(row.status_label, color_scheme="blue", variant="soft")),
        rx.badge(row.status_label, color_scheme="gray", variant="soft"),
    )


def _meta(label: str, value: rx.Component) -> rx.Component:
    return rx.fragment(rx.el.dt(label, class_name="muted"), rx.el.dd(value))


def _message(row: rx.Var) -> rx.Component:
    return rx.card(
        rx.el.dl(
            _meta("To", rx.text(row.recipient, class_name="wrap-anywhere")),
            _meta("Subject", rx.text(row.subject, weight="medium", class_name="wrap-anywhere")),
            _meta("When (UTC)", rx.text(row.when)),
            _meta(
                "Status",
                rx.hstack(_status(row), rx.cond(row.error != "", rx.text(row.error, size="1", color_scheme="red"))),
            ),
            class_name="mail-meta",
        ),
        # Text only: React escapes it, so a link in the body is plain text to copy, never a live element.
        rx.el.pre(row.body, class_name="mail-body", aria_label="Message body"),
        width="100%",
        data_testid="outbox-message",
    )


def _empty() -> rx.Component:
    return rx.center(
        rx.vstack(
            rx.icon("mail", size=36, opacity="0.4"),
            rx.text("No e-mails yet. Invitations and password reset links will appear here."),
            align="center",
        ),
        padding="48px",
        class_name="empty-state",
    )


def outbox() -> rx.Component:
    """Newest messages first, 25 to a page."""
    return rx.vstack(
        rx.text(
            "E-mails the workspace sent. Without a mail server they stay here: copy a link from the message "
            "and pass it on yourself.",
            class_name="muted",
        ),
        rx.cond(S.rows.length() > 0, rx.vstack(rx.foreach(S.rows, _message), width="100%", spacing="3"), _empty()),
        pager(
            page=S.page,
            page_count=S.page_count,
            range_label=S.range_label,
            on_page=S.go_to_page,
            id_prefix="outbox-page",
        ),
        width="100%",
        spacing="3",
    )
