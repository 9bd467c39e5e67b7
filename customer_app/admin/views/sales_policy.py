"""The sales documents section of the settings page: three choices for new documents and customers' currencies."""

import reflex as rx

from customer_app.admin.state.sales_policy import SalesPolicyState as P

CHOICES = (
    ("round_per_line", P.round_per_line, "Round tax on each line", "(by default tax is rounded once per rate)"),
    ("prices_include_tax", P.prices_include_tax, "Prices include tax", "(a draft can still change it)"),
    (
        "lock_currency",
        P.lock_currency,
        "Lock a customer's currency once documents are issued for them",
        "(otherwise a change asks first and says what keeps the old currency)",
    ),
)


def _choice(name: str, value: rx.Var, label: str, hint: str) -> rx.Component:
    return rx.el.label(
        rx.checkbox(name=name, default_checked=value, aria_label=label),
        rx.text(label, size="2"),
        rx.text(hint, size="1", class_name="muted"),
        class_name="checkbox-label",
    )


def sales_policy() -> rx.Component:
    """How new documents round tax and read prices, and whether currencies are locked."""
    return rx.vstack(
        rx.heading("Sales documents", size="4", as_="h2"),
        rx.text("New documents take these; documents already started keep theirs.", size="2", class_name="muted"),
        rx.form(
            rx.vstack(
                *[_choice(*choice) for choice in CHOICES],
                rx.button("Save rules", type="submit", variant="soft"),
                spacing="2",
            ),
            key=P.form_key.to_string(),
            on_submit=P.save,
            no_validate=True,
        ),
        spacing="3",
        width="100%",
    )
