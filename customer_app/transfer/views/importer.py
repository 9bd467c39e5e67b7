"""The import page, one step at a time: upload, sheet, mapping, preview, progress, outcome."""

import reflex as rx

from customer_app import routes
from customer_app.core.sheet_rules import MAX_BYTES
from customer_app.transfer.import_mapping import MATCH_KEYS
from customer_app.transfer.imports import MODES
from customer_app.transfer.state.importer import ImportState as S
from customer_app.transfer.views.import_outcome import finished_step, import_error, preview_step, running_step
from customer_app.transfer.views.undo_dialog import undo_dialog

UPLOAD_ID = "import-file"


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
                rx.text(f".xlsx, .xls, .ods or .csv, up to {MAX_BYTES // 2**20} MB", size="1", class_name="muted"),
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
        import_error(),
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
        import_error(),
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


def _header_row_choice() -> rx.Component:
    """Where the column names were found, and a way to name another of the first rows (a title sits above them)."""
    return rx.hstack(
        rx.text("The header is on row " + S.header_line.to_string() + ".", size="2", weight="medium"),
        # Files other systems export may start with a title; the admin can name the row the names are on.
        rx.el.label("Header row", html_for="import-header-row", class_name="field-label muted"),
        rx.el.select(
            rx.foreach(S.header_rows, lambda row: rx.el.option(row["label"], value=row["value"])),
            id="import-header-row",
            value=S.header_line.to_string(),
            on_change=S.choose_header_row,
            disabled=S.busy,
            class_name="native-select",
        ),
        align="center",
        spacing="2",
        wrap="wrap",
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
        _header_row_choice(),
        rx.cond(
            S.notice != "",
            rx.callout(S.notice, icon="info", color_scheme="blue", size="1", id="import-notice", width="100%"),
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
        import_error(),
        rx.hstack(
            rx.button(rx.icon("eye", size=16), "Preview", on_click=S.preview, loading=S.busy),
            rx.button("Start over", variant="soft", color_scheme="gray", on_click=S.reset_flow),
            spacing="3",
        ),
        spacing="4",
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
                ("preview", preview_step()),
                ("running", running_step()),
                ("finished", finished_step()),
                _upload_step(),
            ),
            width="100%",
        ),
        undo_dialog(),
        spacing="3",
        width="100%",
        max_width="1000px",
    )
