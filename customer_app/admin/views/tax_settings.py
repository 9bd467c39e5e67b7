"""The taxes section of the settings page: rates, and the rules that give each line its rate."""

import reflex as rx

from customer_app.admin.state.tax_settings import Choice, RuleLine
from customer_app.admin.state.tax_settings import TaxSettingsState as T
from customer_app.ui.form_field import form_field


def _select(label: str, name: str, options: rx.Var) -> rx.Component:
    field_id = f"tax-{name}"
    return rx.box(
        rx.el.label(label, html_for=field_id, class_name="field-label"),
        rx.el.select(
            rx.foreach(options, lambda c: rx.el.option(c.label, value=c.id)),
            id=field_id,
            name=name,
            class_name="native-select",
        ),
        rx.cond(T.errors[name], rx.text(T.errors[name], color_scheme="red", size="1", role="alert")),
        class_name="field",
    )


def _rule(rule: RuleLine) -> rx.Component:
    return rx.table.row(
        rx.table.cell(rule.customer_class),
        rx.table.cell(rule.item_class),
        rx.table.cell(rule.country),
        rx.table.cell(rule.rate),
        rx.table.cell(
            rx.button(
                "Remove",
                size="1",
                variant="ghost",
                color_scheme="red",
                on_click=T.remove_rule(rule.id),
                aria_label="Remove rule " + rule.customer_class + " " + rule.item_class + " " + rule.country,
            )
        ),
    )


def _rate(rate: Choice) -> rx.Component:
    return rx.el.li(rate.label)


def tax_settings() -> rx.Component:
    """Rates and rules; a document line no rule covers cannot be issued."""
    add_rate = rx.form(
        rx.flex(
            form_field("Rate name", "rate_name", "", T.errors["rate_name"], placeholder="VAT 19 %"),
            form_field("Percent", "percent", "", T.errors["percent"], input_mode="decimal"),
            form_field("Valid from", "valid_from", "", T.errors["valid_from"], type_="date"),
            rx.button("Add rate", type="submit", variant="soft"),
            gap="8px",
            align="end",
            wrap="wrap",
        ),
        key=T.form_key.to_string() + "-rate",
        on_submit=T.add_rate,
        no_validate=True,
    )
    add_rule = rx.form(
        rx.flex(
            _select("Customers", "customer_class", T.customer_classes),
            _select("Items", "item_class", T.item_classes),
            form_field("Country (empty: any)", "country", "", T.errors["country"], placeholder="DE"),
            _select("Rate", "rate", T.rates),
            rx.button("Add rule", type="submit", variant="soft"),
            gap="8px",
            align="end",
            wrap="wrap",
        ),
        key=T.form_key.to_string() + "-rule",
        on_submit=T.add_rule,
        no_validate=True,
    )
    return rx.vstack(
        rx.heading("Taxes", size="4", as_="h2"),
        rx.text(
            "Each document line gets the rate of the rule for the customer's class, the item's class and the "
            "country it goes to (that country's rule first, then one for any country). A line no rule covers "
            "cannot be issued.",
            size="2",
            class_name="muted",
        ),
        rx.heading("Rates", size="3", as_="h3"),
        rx.el.ul(rx.foreach(T.rates, _rate)),
        add_rate,
        rx.heading("Rules", size="3", as_="h3"),
        rx.table.root(
            rx.table.header(
                rx.table.row(*[rx.table.column_header_cell(h) for h in ("Customers", "Items", "Country", "Rate", "")])
            ),
            rx.table.body(rx.foreach(T.rules, _rule)),
            width="100%",
        ),
        add_rule,
        spacing="3",
        width="100%",
    )
