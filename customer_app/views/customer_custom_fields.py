"""The Custom fields tab: one input per field the admins defined for this kind of customer, by type."""

import reflex as rx

from customer_app import routes
from customer_app.state.auth import AuthState
from customer_app.state.customer_custom_fields import PREFIX
from customer_app.state.customer_custom_fields import CustomerCustomFieldsState as S


def _input(f: rx.Var) -> rx.Component:
    """The control that suits the field's type; uncontrolled, so typing costs no events."""
    common = {
        "id": PREFIX + f.id,
        "name": PREFIX + f.id,
        "default_value": f.value,
        "aria_invalid": rx.cond(S.errors[f.id], "true", "false"),
        "aria_describedby": PREFIX + f.id + "-error",
    }
    return rx.match(
        f.field_type,
        ("number", rx.input(input_mode="decimal", width="100%", max_width="240px", **common)),
        ("date", rx.input(type="date", width="100%", max_width="240px", **common)),
        (
            "choice",
            rx.el.select(
                rx.el.option("—", value=""),
                rx.foreach(f.choices, lambda choice: rx.el.option(choice, value=choice)),
                class_name="native-select",
                **common,
            ),
        ),
        (
            "yes_no",
            rx.el.select(
                rx.el.option("—", value=""),
                rx.el.option("Yes", value="yes"),
                rx.el.option("No", value="no"),
                class_name="native-select",
                **common,
            ),
        ),
        rx.input(max_length=500, width="100%", **common),
    )


def _field(f: rx.Var) -> rx.Component:
    error = S.errors[f.id]
    return rx.box(
        rx.el.label(
            f.label,
            rx.cond(f.required, rx.text.span(" *", color_scheme="red", aria_hidden="true")),
            html_for=PREFIX + f.id,
            class_name="field-label",
        ),
        _input(f),
        rx.cond(error, rx.text(error, id=PREFIX + f.id + "-error", color_scheme="red", size="1", role="alert")),
        class_name="field",
    )


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
