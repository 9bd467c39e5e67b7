"""The Sales Tax tab: currency, tax class and its exemption reference, payment terms; a change of currency asks
first, saying what keeps the old one."""

import reflex as rx

from customer_app.access.state.auth import AuthState
from customer_app.commerce.state.sales_tax import CustomerSalesTaxState as T
from customer_app.ui.confirm_dialog import confirm_dialog
from customer_app.ui.form_field import form_field


def _confirm_currency() -> rx.Component:
    return confirm_dialog(
        open_=T.confirm_currency_open,
        title="Change the currency to " + T.new_currency + "?",
        body=T.currency_note,
        on_open_change=T.set_confirm_currency_open,
        actions=[rx.button("Change currency", on_click=T.confirm_currency_change)],
        cancel_label="Keep " + T.currency,
    )


def sales_tax_tab() -> rx.Component:
    """What new documents for this customer take."""
    return rx.fragment(_sales_form(), _confirm_currency())


def _sales_form() -> rx.Component:
    return rx.form(
        rx.vstack(
            rx.text(
                "New documents for this customer take these; documents already issued keep theirs.", class_name="muted"
            ),
            form_field("Currency", "currency", T.currency, T.errors["currency"], max_length=3),
            rx.cond(
                T.kept_in_other_currency > 0,
                rx.text(
                    T.kept_in_other_currency.to_string(),
                    " issued document(s) keep their own currency.",
                    size="1",
                    class_name="muted",
                ),
            ),
            rx.box(
                rx.el.label("Tax class", html_for="field-tax_class", class_name="field-label"),
                rx.el.select(
                    rx.foreach(T.classes, lambda c: rx.el.option(c.name, value=c.id)),
                    id="field-tax_class",
                    name="tax_class",
                    default_value=T.tax_class,
                    class_name="native-select",
                ),
                rx.cond(
                    T.errors["tax_class"], rx.text(T.errors["tax_class"], color_scheme="red", size="1", role="alert")
                ),
                class_name="field",
            ),
            rx.box(
                rx.text("VAT number", class_name="field-label"),
                rx.hstack(
                    rx.icon(rx.cond(T.vat_valid, "circle-check", "circle-alert"), size=16, flex_shrink="0"),
                    rx.text(rx.cond(T.vat_number, T.vat_number + " · ", ""), T.vat_check, size="2"),
                    color=rx.cond(T.vat_valid, "var(--green-11)", "var(--amber-11)"),
                    align="start",
                    data_testid="vat-check",
                ),
                class_name="field",
            ),
            form_field(
                "Exemption reference", "exemption_reference", T.exemption_reference, T.errors["exemption_reference"]
            ),
            form_field(
                "Payment terms (days)",
                "payment_terms_days",
                T.payment_terms_days,
                T.errors["payment_terms_days"],
                input_mode="numeric",
            ),
            rx.cond(AuthState.can_edit, rx.button("Save sales settings", type="submit")),
            spacing="3",
            max_width="420px",
        ),
        key=T.form_key.to_string(),
        on_submit=T.save,
        reset_on_submit=False,
        no_validate=True,
    )
