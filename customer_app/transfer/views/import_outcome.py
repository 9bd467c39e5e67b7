"""The import page after the mapping: the preview, the progress of a running import and its outcome."""

import reflex as rx

from customer_app import routes
from customer_app.access.state.auth import AuthState
from customer_app.transfer.state.import_history import ImportHistoryState
from customer_app.transfer.state.importer import ImportState as S
from customer_app.ui.backend_url import download_link

_TONES = {
    "new": "green",
    "update": "blue",
    "unchanged": "gray",
    "error": "red",
    "duplicate": "orange",
    "skipped": "gray",
}


def import_error() -> rx.Component:
    """The page's error, when there is one."""
    return rx.cond(
        S.error != "",
        rx.callout(S.error, icon="triangle-alert", color_scheme="red", role="alert", width="100%"),
    )


def _preview_row(row: rx.Var) -> rx.Component:
    return rx.table.row(
        rx.table.cell(row["line"]),
        rx.table.cell(
            rx.match(
                row["status"],
                *[
                    (status, rx.badge(row["label"], color_scheme=tone, variant="soft"))
                    for status, tone in _TONES.items()
                ],
                rx.badge(row["label"]),
            )
        ),
        rx.table.cell(rx.text(row["name"], class_name="truncate-cell", title=row["name"])),
        rx.table.cell(rx.text(row["message"], size="2", class_name="wrap-anywhere")),
    )


def preview_step() -> rx.Component:
    """What the import would do, row by row, before anything is written."""
    return rx.vstack(
        rx.text(S.read_line, " Nothing has been written yet."),
        rx.hstack(
            rx.foreach(
                S.count_badges,
                lambda badge: rx.match(
                    badge["status"],
                    *[(s, rx.badge(badge["label"], color_scheme=tone, size="2")) for s, tone in _TONES.items()],
                    rx.badge(badge["label"], size="2"),
                ),
            ),
            wrap="wrap",
            spacing="2",
            aria_label="Preview totals",
        ),
        rx.cond(
            S.report_url != "",
            download_link(
                "Download the rows to fix (.xlsx)", S.report_url, holder=AuthState.auth_token, link_id="error-report"
            ),
        ),
        rx.cond(
            S.preview_rows.length() > 0,
            rx.table.root(
                rx.table.header(
                    rx.table.row(
                        rx.table.column_header_cell("Line"),
                        rx.table.column_header_cell("Status"),
                        rx.table.column_header_cell("Customer"),
                        rx.table.column_header_cell("Details"),
                    )
                ),
                rx.table.body(rx.foreach(S.preview_rows, _preview_row)),
                width="100%",
                variant="surface",
                aria_label="Preview rows",
            ),
            rx.text(
                "Every row matches a customer exactly as stored: importing would change nothing.", class_name="muted"
            ),
        ),
        import_error(),
        rx.hstack(
            rx.button(
                rx.icon("upload", size=16),
                S.commit_label,
                on_click=S.commit,
                disabled=S.to_write == 0,
            ),
            rx.button("Back to mapping", variant="soft", on_click=S.back_to_mapping),
            rx.button("Start over", variant="soft", color_scheme="gray", on_click=S.reset_flow),
            spacing="3",
            wrap="wrap",
        ),
        spacing="4",
        width="100%",
    )


def running_step() -> rx.Component:
    """Progress of the running import, with a way to stop it."""
    return rx.vstack(
        rx.text("Importing " + S.file_name + "…", weight="medium"),
        rx.progress(value=S.percent, max=100, width="100%", aria_label="Import progress"),
        rx.text(S.progress_label, size="2", class_name="muted", data_testid="import-progress"),
        rx.text(
            "You can keep working elsewhere; the import goes on and this page catches up when you return.", size="2"
        ),
        rx.button(
            "Cancel import",
            color_scheme="red",
            variant="soft",
            on_click=S.cancel,
            disabled=S.status == "cancelling",
        ),
        spacing="3",
        width="100%",
    )


def finished_step() -> rx.Component:
    """How the import ended, and what to do next."""
    tone = rx.match(S.status, ("done", "green"), ("undone", "gray"), ("cancelled", "orange"), "red")
    return rx.vstack(
        rx.callout(
            rx.vstack(
                rx.text(
                    rx.match(
                        S.status,
                        ("done", "Import finished"),
                        ("undone", "Import undone"),
                        ("cancelled", "Import cancelled"),
                        "Import failed",
                    ),
                    weight="bold",
                ),
                rx.text(S.summary),
                rx.cond(S.message != "", rx.text(S.message, size="2")),
                spacing="1",
            ),
            icon="info",
            color_scheme=tone,
            width="100%",
            data_testid="import-outcome",
        ),
        rx.hstack(
            rx.link(rx.button(rx.icon("users", size=16), "See customers"), href=routes.CUSTOMERS),
            rx.cond(
                # A failed import keeps the chunks it committed before it stopped: those can be undone too.
                (S.status == "done") | (S.status == "cancelled") | ((S.status == "failed") & (S.done > 0)),
                rx.button(
                    rx.icon("undo-2", size=16),
                    "Undo import",
                    variant="soft",
                    color_scheme="red",
                    on_click=ImportHistoryState.ask_undo(S.job_id.to_string()),
                ),
            ),
            rx.button("Import another file", variant="soft", color_scheme="gray", on_click=S.reset_flow),
            spacing="3",
            wrap="wrap",
        ),
        spacing="3",
        width="100%",
    )
