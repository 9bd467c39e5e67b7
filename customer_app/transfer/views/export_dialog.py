"""The Export pop-up: format, scope, columns in order, saved configurations, progress and the download link."""

import reflex as rx

from customer_app.access.state.auth import AuthState
from customer_app.transfer.state.exporter import ExportState as S
from customer_app.ui.backend_url import download_link
from customer_app.ui.icon_action import icon_action


def _column(column: rx.Var, index: rx.Var) -> rx.Component:
    return rx.hstack(
        rx.checkbox(
            column["label"],
            checked=column["on"] != "",
            on_change=lambda _checked: S.toggle_column(column["key"]),
        ),
        rx.spacer(),
        icon_action(
            "arrow-up", "Move " + column["label"] + " up", S.move_column(column["key"], -1), disabled=index == 0
        ),
        icon_action(
            "arrow-down",
            "Move " + column["label"] + " down",
            S.move_column(column["key"], 1),
            disabled=index == S.columns.length() - 1,
        ),
        align="center",
        width="100%",
        class_name="export-column",
    )


def _config(config: rx.Var) -> rx.Component:
    return rx.hstack(
        rx.button(config["name"], size="1", variant="soft", on_click=S.use_config(config["id"])),
        rx.icon_button(
            rx.icon("x", size=12),
            size="1",
            variant="ghost",
            color_scheme="gray",
            aria_label="Delete configuration " + config["name"],
            on_click=S.delete_config(config["id"]),
        ),
        spacing="1",
        align="center",
    )


def _choices() -> rx.Component:
    return rx.vstack(
        rx.cond(
            S.configs.length() > 0,
            rx.vstack(
                rx.text("Saved configurations", size="2", weight="medium"),
                rx.flex(rx.foreach(S.configs, _config), wrap="wrap", spacing="2"),
                spacing="1",
            ),
        ),
        rx.hstack(
            rx.vstack(
                rx.el.label("Format", html_for="export-format", class_name="field-label"),
                rx.el.select(
                    rx.el.option("Excel workbook (.xlsx)", value="xlsx"),
                    rx.el.option("CSV (.csv)", value="csv"),
                    id="export-format",
                    value=S.file_format,
                    on_change=S.set_format,
                    class_name="native-select",
                ),
                spacing="1",
            ),
            rx.vstack(
                rx.el.label("Customers", html_for="export-scope", class_name="field-label"),
                rx.el.select(
                    rx.foreach(S.scope_options, lambda option: rx.el.option(option[1], value=option[0])),
                    id="export-scope",
                    value=S.scope,
                    on_change=S.set_scope,
                    class_name="native-select",
                ),
                spacing="1",
            ),
            spacing="4",
            wrap="wrap",
        ),
        rx.text("Columns (the customer ID always comes first)", size="2", weight="medium"),
        rx.scroll_area(
            rx.vstack(rx.foreach(S.columns, _column), spacing="1", width="100%"),
            max_height="260px",
            type="auto",
            scrollbars="vertical",
            class_name="export-columns",
        ),
        rx.hstack(
            rx.input(
                placeholder="Name this configuration",
                aria_label="Configuration name",
                value=S.config_name,
                on_change=S.set_config_name,
                max_length=100,
                flex="1",
            ),
            rx.button("Save configuration", variant="soft", on_click=S.save_config),
            width="100%",
        ),
        spacing="3",
        width="100%",
    )


def export_dialog() -> rx.Component:
    """Choose, export, download."""
    return rx.dialog.root(
        rx.dialog.content(
            rx.dialog.title("Export customers"),
            rx.dialog.description("A spreadsheet you can edit and import again.", size="2", class_name="muted"),
            rx.vstack(
                _choices(),
                rx.cond(
                    S.running,
                    rx.vstack(
                        rx.progress(value=S.percent, max=100, width="100%", aria_label="Export progress"),
                        rx.text(S.done_rows.to_string() + " of " + S.total_rows.to_string() + " rows", size="1"),
                        width="100%",
                    ),
                ),
                rx.cond(
                    S.download_url != "",
                    download_link(
                        S.download_label, S.download_url, holder=AuthState.auth_token, link_id="export-download"
                    ),
                ),
                rx.cond(S.error != "", rx.callout(S.error, icon="triangle-alert", color_scheme="red", role="alert")),
                rx.flex(
                    rx.dialog.close(rx.button("Close", variant="soft", color_scheme="gray")),
                    rx.button(rx.icon("download", size=16), "Export", on_click=S.start_export, loading=S.running),
                    spacing="3",
                    justify="end",
                    width="100%",
                ),
                spacing="4",
                margin_top="12px",
            ),
            max_width="560px",
        ),
        open=S.open,
        on_open_change=S.set_open,
    )
