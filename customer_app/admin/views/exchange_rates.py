"""The exchange rates section of the settings page: base currency, latest rates, an ECB file, a typed rate."""

import reflex as rx

from customer_app.admin.state.exchange_rates import UPLOAD_ID, RateLine
from customer_app.admin.state.exchange_rates import ExchangeRatesState as X
from customer_app.commerce.ecb_files import MAX_FILE_BYTES
from customer_app.commerce.rates import MAX_AGE_DAYS
from customer_app.ui.form_field import form_field


def _rate(line: RateLine) -> rx.Component:
    return rx.table.row(
        rx.table.cell(line.currency),
        rx.table.cell(line.rate, text_align="right"),
        rx.table.cell(line.day),
        rx.table.cell(
            rx.cond(line.stale, rx.badge(line.age, color_scheme="amber", variant="soft"), rx.text(line.age, size="2"))
        ),
        rx.table.cell(rx.text(line.source, size="2", class_name="muted")),
        data_testid="exchange-rate",
    )


def _upload() -> rx.Component:
    return rx.vstack(
        rx.upload.root(
            rx.vstack(
                rx.text("Drop an ECB rates file here, or"),
                rx.button("Choose file", type="button", variant="soft"),
                rx.text(
                    f"eurofxref.csv or eurofxref-hist.csv, or their .zip, up to {MAX_FILE_BYTES // 2**20} MB",
                    size="1",
                    class_name="muted",
                ),
                align="center",
                spacing="2",
            ),
            id=UPLOAD_ID,
            max_files=1,
            accept={"text/csv": [".csv"], "application/zip": [".zip"]},
            on_drop=X.upload_rates(rx.upload_files(upload_id=UPLOAD_ID)),
            class_name="dropzone",
        ),
        rx.cond(X.upload_error, rx.callout(X.upload_error, icon="triangle-alert", color_scheme="red", role="alert")),
        width="100%",
    )


def exchange_rates() -> rx.Component:
    """Rates per euro as the ECB quotes them; documents in other currencies freeze theirs at issue."""
    base = rx.form(
        rx.flex(
            form_field("Base currency", "base_currency", X.base_currency, X.errors["base_currency"], max_length=3),
            rx.button("Save base currency", type="submit", variant="soft"),
            gap="8px",
            align="end",
        ),
        key=X.form_key.to_string() + "-" + X.base_currency,
        on_submit=X.set_base_currency,
        no_validate=True,
    )
    typed = rx.form(
        rx.flex(
            form_field("Currency", "rate_currency", "", X.errors["rate_currency"], placeholder="USD", max_length=3),
            form_field("Day", "rate_day", "", X.errors["rate_day"], type_="date"),
            form_field(
                "Units per euro", "per_euro", "", X.errors["per_euro"], input_mode="decimal", placeholder="1.1172"
            ),
            rx.button("Add exchange rate", type="submit", variant="soft"),
            gap="8px",
            align="end",
            wrap="wrap",
        ),
        key=X.form_key.to_string() + "-typed",
        on_submit=X.type_rate,
        no_validate=True,
    )
    return rx.vstack(
        rx.heading("Exchange rates", size="4", as_="h2"),
        rx.text(
            "Rates are units of a currency per euro, as the ECB publishes them. A document in another currency than "
            f"the base one keeps the rate of the day it is issued; a rate more than {MAX_AGE_DAYS} days old is flagged "
            "on drafts.",
            size="2",
            class_name="muted",
        ),
        base,
        rx.heading("Latest rates", size="3", as_="h3"),
        rx.box(
            rx.table.root(
                rx.table.header(
                    rx.table.row(
                        *[rx.table.column_header_cell(h) for h in ("Currency", "Per euro", "Day", "Age", "Source")]
                    )
                ),
                rx.table.body(rx.foreach(X.latest, _rate)),
                width="100%",
            ),
            max_height="360px",
            overflow_y="auto",
            width="100%",
            tab_index=0,  # a scrolling box of plain text: keyboard users scroll it once it has focus
            role="region",
            aria_label="Latest rates",
        ),
        rx.heading("Upload an ECB file", size="3", as_="h3"),
        _upload(),
        rx.heading("Type a rate", size="3", as_="h3"),
        typed,
        spacing="3",
        width="100%",
    )
