"""Import history: each import with who, when, which file, what it did, its status, and undo."""

import reflex as rx

from customer_app import routes
from customer_app.transfer.state.import_history import ImportHistoryState as S
from customer_app.transfer.views.undo_dialog import undo_dialog
from customer_app.ui.pager import pager

_TONES = (("done", "green"), ("failed", "red"), ("cancelled", "orange"), ("running", "blue"), ("cancelling", "blue"))


def _row(row: rx.Var) -> rx.Component:
    return rx.table.row(
        rx.table.cell(row.when, white_space="nowrap"),
        rx.table.cell(row.who),
        rx.table.cell(rx.text(row.file, class_name="truncate-cell", title=row.file)),
        rx.table.cell(row.mode),
        rx.table.cell(rx.vstack(rx.text(row.summary, size="2"), rx.text(row.message, size="1", class_name="muted"))),
        rx.table.cell(
            rx.match(
                row.status,
                *[(status, rx.badge(row.status_label, color_scheme=tone, variant="soft")) for status, tone in _TONES],
                rx.badge(row.status_label, color_scheme="gray", variant="soft"),
            )
        ),
        rx.table.cell(
            rx.cond(
                row.can_undo,
                rx.button("Undo", size="1", variant="soft", color_scheme="red", on_click=S.ask_undo(row.id)),
            )
        ),
    )


def _empty() -> rx.Component:
    return rx.center(
        rx.vstack(
            rx.icon("file-spreadsheet", size=36, opacity="0.4"),
            rx.text("No imports yet."),
            rx.link("Import customers from a spreadsheet", href=routes.IMPORT),
            align="center",
        ),
        padding="48px",
        class_name="empty-state",
    )


def import_history() -> rx.Component:
    """Newest imports first, a page at a time."""
    table = rx.table.root(
        rx.table.header(
            rx.table.row(
                *[
                    rx.table.column_header_cell(title)
                    for title in ("When (UTC)", "Who", "File", "Mode", "Outcome", "Status", "")
                ]
            )
        ),
        rx.table.body(rx.foreach(S.rows, _row)),
        width="100%",
        variant="surface",
    )
    return rx.vstack(
        rx.link(rx.button(rx.icon("upload", size=16), "New import"), href=routes.IMPORT),
        rx.cond(S.rows.length() > 0, table, _empty()),
        pager(
            page=S.page, page_count=S.page_count, range_label=S.range_label, on_page=S.go_to_page, id_prefix="imports"
        ),
        undo_dialog(),
        width="100%",
        spacing="3",
    )
