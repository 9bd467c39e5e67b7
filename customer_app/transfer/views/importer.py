"""The import page, one step at a time: upload, sheet, mapping, preview, progress, outcome."""

import reflex as rx

from customer_app import routes
from customer_app.transfer.import_mapping import MATCH_KEYS
from customer_app.transfer.imports import MODES
from customer_app.transfer.state.import_history import ImportHistoryState
from customer_app.transfer.state.importer import ImportState as S
from customer_app.transfer.views.undo_dialog import undo_dialog
from customer_app.ui.backend_url import download_link

UPLOAD_ID = "import-file"
_TONES = {
    "new": "green",
    "update": "blue",
    "unchanged": "gray",
    "error": "red",
    "duplicate": "orange",
    "skipped": "gray",
}


def _error() -> rx.Component:
    return rx.cond(
        S.error != "",
        rx.callout(S.error, icon="triangle-alert", color_scheme="red", role="alert", width="100%"),
    )


def _native_select(options: list[tuple[str, str]], *, value, on_change, select_id: str, label: str) -> rx.Component:
    return rx.vstack(
        rx.el.label(label, html_for=select_id, class_name="field-label"),
        rx.el.select(
            *[rx.el.option(text, value=key) for key, text in options],
            id=select_id,
            value=value,
            on_change=on_change,
            class_name="native-select",
        ),
        spacing="1",
    )


def _upload_step() -> rx.Component:
    return rx.vstack(
        rx.text(
            "Bring customers in from a spreadsheet. Nothing is written until you have seen a preview of every row.",
        ),
        rx.hstack(
            rx.button(
                rx.icon("file-spreadsheet", size=16),
                "Download sample (.xlsx)",
                variant="soft",
                on_click=S.download_sample("xlsx"),
            ),
            rx.button(
                rx.icon("file-text", size=16), "Sample (.csv)", variant="soft", on_click=S.download_sample("csv")
            ),
            spacing="3",
            wrap="wrap",
        ),
        rx.upload.root(
            rx.vstack(
                rx.icon("upload", size=28, opacity="0.5"),
                rx.text("Drag a spreadsheet here, or"),
                rx.button("Choose file", type="button", variant="soft", loading=S.busy),
                rx.text(".xlsx, .xls, .ods or .csv, up to 50 MB", size="1", class_name="muted"),
                align="center",
                spacing="2",
            ),
            id=UPLOAD_ID,
            max_files=1,
            accept={
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": [".xlsx"],
                "application/vnd.ms-excel": [".xls"],
                "application/vnd.oasis.opendocument.spreadsheet": [".ods"],
                "text/csv": [".csv"],
            },
            on_drop=S.handle_upload(rx.upload_files(upload_id=UPLOAD_ID)),
            class_name="dropzone import-dropzone",
        ),
        _error(),
        spacing="4",
        width="100%",
    )


def _sheet_step() -> rx.Component:
    return rx.vstack(
        rx.text(S.file_name + " has several sheets. Which one holds the customers?"),
        rx.hstack(
            rx.foreach(S.sheets, lambda name: rx.button(name, variant="soft", on_click=S.choose_sheet(name))),
            wrap="wrap",
            spacing="2",
        ),
        _error(),
        rx.button("Start over", variant="soft", color_scheme="gray", on_click=S.reset_flow),
        spacing="3",
        width="100%",
    )


def _mapping_row(column: rx.Var) -> rx.Component:
    select_id = "map-" + column["index"]
    return rx.table.row(
        rx.table.cell(rx.el.label(column["header"], html_for=select_id, class_name="truncate-cell")),
        rx.table.cell(rx.text(column["sample"], class_name="muted truncate-cell", title=column["sample"])),
        rx.table.cell(
            rx.el.select(
                rx.foreach(S.field_options, lambda option: rx.el.option(option["label"], value=option["value"])),
                id=select_id,
                value=column["field"],
                on_change=lambda field: S.set_field(column["index"], field),
                class_name="native-select",
            )
        ),
    )


def _mapping_step() -> rx.Component:
    return rx.vstack(
        rx.hstack(
            rx.icon("file-spreadsheet", size=18),
            rx.text(S.file_name, weight="medium"),
            rx.cond(S.sheet != "", rx.badge("Sheet: " + S.sheet, variant="soft")),
            rx.cond(S.remembered, rx.badge("Mapping remembered from your last file like this", color_scheme="green")),
            align="center",
            spacing="2",
            wrap="wrap",
        ),
        rx.table.root(
            rx.table.header(
                rx.table.row(
                    rx.table.column_header_cell("Column in the file"),
                    rx.table.column_header_cell("First values"),
                    rx.table.column_header_cell("Import as"),
                )
            ),
            rx.table.body(rx.foreach(S.columns, _mapping_row)),
            width="100%",
            variant="surface",
        ),
        rx.flex(
            _native_select(
                list(MODES.items()), value=S.mode, on_change=S.set_mode, select_id="import-mode", label="Mode"
            ),
            _native_select(
                list(MATCH_KEYS.items()),
                value=S.match_on,
                on_change=S.set_match_on,
                select_id="import-match",
                label="Match existing customers on",
            ),
            spacing="5",
            wrap="wrap",
        ),
        _error(),
        rx.hstack(
            rx.button(rx.icon("eye", size=16), "Preview", on_click=S.preview, loading=S.busy),
            rx.button("Start over", variant="soft", color_scheme="gray", on_click=S.reset_flow),
            spacing="3",
        ),
        spacing="4",
        width="100%",
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


def _preview_step() -> rx.Component:
    return rx.vstack(
        rx.text(S.total.to_string() + " rows read from " + S.file_name + ". Nothing has been written yet."),
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
            download_link("Download the rows to fix (.xlsx)", S.report_url, link_id="error-report"),
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
        _error(),
        rx.hstack(
            rx.button(
                rx.icon("upload", size=16),
                "Import " + S.to_write.to_string() + " customers",
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


def _running_step() -> rx.Component:
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


def _finished_step() -> rx.Component:
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
                (S.status == "done") | (S.status == "cancelled"),
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


def importer() -> rx.Component:
    """The step the admin is on."""
    return rx.vstack(
        rx.link("Import history", href=routes.IMPORTS, size="2"),
        rx.card(
            rx.match(
                S.step,
                ("sheet", _sheet_step()),
                ("map", _mapping_step()),
                ("preview", _preview_step()),
                ("running", _running_step()),
                ("finished", _finished_step()),
                _upload_step(),
            ),
            width="100%",
        ),
        undo_dialog(),
        spacing="3",
        width="100%",
        max_width="1000px",
    )
