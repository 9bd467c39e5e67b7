"""The Invoices tab: issued invoices filtered by payment status, with paid and balance columns, an Overdue badge, and
the pop-ups recording a payment for one of them or a refund of what it was paid."""

import reflex as rx

from customer_app.access.state.auth import AuthState
from customer_app.commerce.balances import FILTERS
from customer_app.commerce.models import PAYMENT_METHODS
from customer_app.commerce.state.invoices import CustomerInvoicesState as S
from customer_app.commerce.state.invoices import InvoiceRow
from customer_app.ui.form_dialog import form_dialog
from customer_app.ui.form_field import form_field, select_field

STATUS_COLORS = {
    "open": "blue",
    "partially_paid": "amber",
    "paid": "green",
    "overdue": "red",
    "refunded": "gray",
    "credited": "gray",
    "cancelled": "gray",
}
WHOLE = ("allocations", "currency")  # errors about the payment as a whole, shown under the fields
HEADERS = ("Number", "Date", "Due", "Total", "Paid", "Balance", "Status", "")


def _status(row: InvoiceRow) -> rx.Component:
    return rx.match(
        row.status,
        *[(key, rx.badge(row.status_label, color_scheme=color)) for key, color in STATUS_COLORS.items()],
        rx.badge(row.status_label),
    )


def _row(row: InvoiceRow) -> rx.Component:
    payable = (row.status == "open") | (row.status == "partially_paid") | (row.status == "overdue")
    return rx.table.row(
        rx.table.cell(row.number),
        rx.table.cell(row.date),
        rx.table.cell(row.due_date),
        rx.table.cell(row.total, text_align="right"),
        rx.table.cell(row.paid, text_align="right"),
        rx.table.cell(row.balance, text_align="right", data_testid="invoice-balance"),
        rx.table.cell(_status(row)),
        rx.table.cell(
            rx.cond(
                AuthState.can_edit,
                rx.hstack(
                    rx.cond(
                        payable,
                        rx.button(
                            "Record payment",
                            size="1",
                            variant="soft",
                            on_click=S.open_payment(row.id),
                            aria_label="Record payment for " + row.number,
                        ),
                    ),
                    rx.cond(
                        row.paid_text != "",
                        rx.button(
                            "Refund",
                            size="1",
                            variant="soft",
                            color_scheme="orange",
                            on_click=S.open_refund(row.id),
                            aria_label="Refund on " + row.number,
                        ),
                    ),
                    spacing="2",
                ),
            )
        ),
        data_testid="invoice-row",
    )


def _currency() -> rx.Component:
    """The currency the money came in; another than the invoice's asks for the rate it was changed at."""
    return rx.box(
        rx.el.label("Currency", html_for="field-pay-currency", class_name="field-label"),
        rx.el.select(
            rx.foreach(S.currencies, lambda code: rx.el.option(code, value=code)),
            id="field-pay-currency",
            value=S.pay_currency,
            on_change=S.choose_currency,
            class_name="native-select",
        ),
        class_name="field",
    )


def _amount(currency: rx.Var) -> rx.Component:
    return form_field(
        "Amount (" + currency + ")",
        "amount",
        S.values["amount"],
        S.errors["amount"],
        required=True,
        input_mode="decimal",
        key=S.money_key.to_string() + "-amount",
    )


def _when_and_how() -> rx.Component:
    return rx.hstack(
        form_field("Date", "paid_on", S.values["paid_on"], S.errors["paid_on"], type_="date", required=True),
        select_field("Method", "method", PAYMENT_METHODS, S.values["method"], S.errors["method"], blank=False),
        spacing="4",
    )


def _reference_and_errors() -> list[rx.Component]:
    return [
        form_field("Reference", "reference", S.values["reference"], S.errors["reference"], max_length=120),
        *[
            rx.cond(S.errors[key], rx.callout(S.errors[key], icon="triangle-alert", color_scheme="red"))
            for key in WHOLE
        ],
    ]


def _dialog() -> rx.Component:
    return form_dialog(
        "Record payment for " + S.paying.number,
        rx.text("Left to pay: ", rx.text.strong(S.paying.balance), size="2"),
        _when_and_how(),
        rx.hstack(_currency(), _amount(S.pay_currency), spacing="4"),
        rx.cond(
            S.pay_currency != S.paying.currency,
            form_field(
                "Exchange rate: 1 " + S.paying.currency + " = ? " + S.pay_currency,
                "exchange_rate",
                S.values["exchange_rate"],
                S.errors["exchange_rate"],
                key=S.money_key.to_string() + "-rate",
                required=True,
                input_mode="decimal",
            ),
        ),
        *_reference_and_errors(),
        on_submit=S.record_payment,
        form_key=S.form_key,
        open_=S.pay_open,
        on_open_change=S.set_pay_open,
    )


def _refund_dialog() -> rx.Component:
    return form_dialog(
        "Refund on " + S.paying.number,
        rx.text(
            "Paid so far: ",
            rx.text.strong(S.paying.paid),
            ". The refund goes back to the customer in the invoice's currency and is listed on the Payments tab.",
            size="2",
        ),
        _when_and_how(),
        _amount(S.paying.currency),
        *_reference_and_errors(),
        on_submit=S.record_refund,
        form_key=S.form_key,
        open_=S.refund_open,
        on_open_change=S.set_refund_open,
        submit_label="Record refund",
    )


def invoices_tab() -> rx.Component:
    """The customer's invoices, what each has been paid and has left."""
    return rx.vstack(
        rx.hstack(
            rx.el.label("Show", html_for="invoice-filter", class_name="field-label"),
            rx.el.select(
                *[rx.el.option(label, value=key) for key, label in FILTERS.items()],
                id="invoice-filter",
                value=S.invoice_filter,
                on_change=S.set_invoice_filter,
                class_name="native-select",
            ),
            align="center",
        ),
        rx.cond(
            S.rows.length() > 0,
            rx.table.root(
                rx.table.header(rx.table.row(*[rx.table.column_header_cell(h) for h in HEADERS])),
                rx.table.body(rx.foreach(S.rows, _row)),
                width="100%",
            ),
            rx.text("No invoices here.", class_name="empty-state"),
        ),
        _dialog(),
        _refund_dialog(),
        spacing="3",
        width="100%",
    )
