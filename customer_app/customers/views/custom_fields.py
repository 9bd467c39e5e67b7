"""The Custom fields tab: one input per field the admins defined for this kind of customer, by type."""

import reflex as rx

from customer_app import routes
from customer_app.access.state.auth import AuthState
from customer_app.customers.state.custom_fields import CustomerCustomFieldsState as S
from customer_app.ui.custom_field_input import custom_field_input


def _field(f: rx.Var) -> rx.Component:
    return custom_field_input(f, S.errors[f.id], "custom-field-")


def _read_only(f: rx.Var) -> rx.Component:
    return rx.fragment(
        rx.el.dt(f.label, class_name="muted"),
        rx.el.dd(rx.cond(f.shown != "", f.shown, "—"), class_name="wrap-anywhere"),
    )


def _empty() -> rx.Component:
    return rx.vstack(
        rx.text("No custom fields for " + S.kind_label + " yet.", class_name="muted"),
        rx.cond(AuthState.is_admin, rx.link("Add custom fields in Settings", href=routes.SETTINGS, size="2")),
        spacing="1",
    )


def custom_fields_tab() -> rx.Component:
    """Edit and save the customer's custom field values; read-only staff see the values as text."""
    form = rx.form(
        rx.vstack(
            rx.foreach(S.fields, _field),
            rx.button("Save custom fields", type="submit"),
            spacing="3",
            width="100%",
        ),
        on_submit=S.save,
        key=S.form_key,
        no_validate=True,
        width="100%",
    )
    return rx.box(
        rx.cond(
            S.fields.length() > 0,
            rx.cond(AuthState.can_edit, form, rx.el.dl(rx.foreach(S.fields, _read_only), class_name="fact-list")),
            _empty(),
        ),
        width="100%",
        max_width="640px",
    )
