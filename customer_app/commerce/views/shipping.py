"""The Shipping tab: the customer's shipping address, method and delivery instructions for new documents."""

import reflex as rx

from customer_app.access.state.auth import AuthState
from customer_app.commerce.state.shipping import AUTOMATIC
from customer_app.commerce.state.shipping import CustomerShippingState as H
from customer_app.ui.form_field import textarea_field


def _select(label: str, name: str, blank: str, options: rx.Var, value: rx.Var) -> rx.Component:
    field_id = f"field-{name}"
    return rx.box(
        rx.el.label(label, html_for=field_id, class_name="field-label"),
        rx.el.select(
            rx.el.option(blank, value=""),
            rx.foreach(options, lambda c: rx.el.option(c.label, value=c.id)),
            id=field_id,
            name=name,
            default_value=value,
            class_name="native-select",
            width="100%",
        ),
        rx.cond(H.errors[name], rx.text(H.errors[name], color_scheme="red", size="1", role="alert")),
        class_name="field",
        width="100%",
    )


def _no_address() -> rx.Component:
    return rx.callout(
        "This customer has no address yet, so documents go out without one. Add one on the Addresses tab "
        "(a shipping address, or a billing address goods also go to), then choose it here.",
        icon="map-pin-off",
        color_scheme="amber",
        data_testid="no-shipping-address",
    )


def _form() -> rx.Component:
    return rx.form(
        rx.vstack(
            rx.cond(
                H.addresses.length() > 0,
                _select("Shipping address", "address", AUTOMATIC, H.addresses, H.address),
                _no_address(),
            ),
            _select("Shipping method", "method", "None chosen", H.methods, H.method),
            rx.box(
                textarea_field("Delivery instructions", "instructions", H.instructions, H.errors["instructions"]),
                width="100%",
            ),
            rx.button("Save shipping", type="submit"),
            spacing="3",
            width="100%",
        ),
        key=H.form_key.to_string(),
        on_submit=H.save,
        reset_on_submit=False,
        no_validate=True,
    )


def _fact(label: str, value: rx.Var, empty: str) -> rx.Component:
    return rx.box(
        rx.text(label, class_name="field-label"),
        rx.text(rx.cond(value != "", value, empty), class_name="note-body"),
    )


def _read_only() -> rx.Component:
    return rx.vstack(
        rx.cond(H.addresses.length() > 0, _fact("Shipping address", H.address_label, ""), _no_address()),
        _fact("Shipping method", H.method_label, "None chosen"),
        _fact("Delivery instructions", H.instructions, "None"),
        spacing="3",
    )


def shipping_tab() -> rx.Component:
    """Where and how this customer's goods go; new documents take the address and method."""
    return rx.vstack(
        rx.text(
            "New documents for this customer take this address and method; documents already made keep theirs.",
            class_name="muted",
        ),
        rx.cond(AuthState.can_edit, _form(), _read_only()),
        spacing="3",
        max_width="560px",
        width="100%",
    )
