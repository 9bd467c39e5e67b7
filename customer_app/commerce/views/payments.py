"""The Payments tab: payment terms and the default income account, what the customer owes and holds as credit (one
line per currency, never added up), and the payments and refunds received."""

import reflex as rx

from customer_app.access.state.auth import AuthState
from customer_app.commerce.state.payments import AmountRow, PaymentRow
from customer_app.commerce.state.payments import CustomerPaymentsState as S

HEADERS = ("Date", "Kind", "Method", "Amount", "Invoices", "Credit left", "Reference")


def _amounts(title: str, rows: rx.Var, empty: str, test_id: str) -> rx.Component:
    def line(row: AmountRow) -> rx.Component:
        return rx.text(rx.text.strong(row.amount), " ", row.currency, data_testid=test_id)

    return rx.box(
        rx.text(title, class_name="field-label"),
        rx.cond(rx.Var.create(rows).length() > 0, rx.vstack(rx.foreach(rows, line), spacing="1"), rx.text(empty)),
    )


def _row(row: PaymentRow) -> rx.Component:
    return rx.table.row(
        rx.table.cell(row.paid_on),
        rx.table.cell(rx.cond(row.kind == "refund", rx.badge(row.kind_label, color_scheme="orange"), row.kind_label)),
        rx.table.cell(row.method),
        rx.table.cell(row.amount, text_align="right"),
        rx.table.cell(row.invoices),
        rx.table.cell(row.unallocated, text_align="right"),
        rx.table.cell(row.reference),
        data_testid="payment-row",
    )


def _income_account() -> rx.Component:
    """The customer's default income account: a choice for editors, text for read-only staff."""
    return rx.box(
        rx.el.label("Default income account", html_for="field-income_account", class_name="field-label"),
        rx.cond(
            AuthState.can_edit,
            rx.el.select(
                rx.el.option("None", value=""),
                rx.foreach(S.accounts, lambda a: rx.el.option(a.label, value=a.id)),
                id="field-income_account",
                default_value=S.income_account,
                key=S.form_key.to_string(),
                on_change=S.set_income_account,
                class_name="native-select",
            ),
            rx.text(rx.cond(S.income_account_label != "", S.income_account_label, "None"), id="field-income_account"),
        ),
        rx.cond(
            S.errors["income_account"],
            rx.text(S.errors["income_account"], color_scheme="red", size="1", role="alert"),
        ),
    )


def payments_tab() -> rx.Component:
    """Terms, balances per currency and the payments list."""
    return rx.vstack(
        rx.grid(
            rx.box(
                rx.text("Payment terms", class_name="field-label"),
                rx.text(S.terms_days.to_string() + " days, in " + S.currency),
            ),
            _income_account(),
            _amounts("Balance", S.owed, "Nothing to pay.", "balance"),
            _amounts("Credit", S.credit, "None.", "credit"),
            columns="4",
            gap="16px",
            width="100%",
        ),
        rx.cond(
            S.rows.length() > 0,
            rx.table.root(
                rx.table.header(rx.table.row(*[rx.table.column_header_cell(h) for h in HEADERS])),
                rx.table.body(rx.foreach(S.rows, _row)),
                width="100%",
            ),
            rx.text("No payments yet.", class_name="empty-state"),
        ),
        spacing="3",
        width="100%",
    )
