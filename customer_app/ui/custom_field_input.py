"""One custom field as a labelled input that suits its type, with its error under it."""

import reflex as rx

from customer_app.ui.form_field import REQUIRED_LABEL

NAME_PREFIX = "cf-"  # custom field inputs are named cf-<field id>, in whichever form they sit


def _control(f: rx.Var, field_id: rx.Var, error: rx.Var) -> rx.Component:
    """Uncontrolled, so typing costs no events; the value is read when the form is sent."""
    common = {
        "id": field_id,
        "name": NAME_PREFIX + f.id,
        "default_value": f.value,
        "aria_invalid": rx.cond(error, "true", "false"),
        "aria_describedby": field_id + "-error",
        "aria_required": rx.cond(f.required, "true", "false"),  # what the star says, for screen readers
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


def custom_field_input(f: rx.Var, error: rx.Var, id_prefix: str) -> rx.Component:
    """`f` is a custom field row (id, label, field_type, value, choices, required); ids start with `id_prefix`,
    so the same field can sit in two forms on one page."""
    field_id = id_prefix + f.id
    return rx.box(
        rx.el.label(f.label, html_for=field_id, class_name=rx.cond(f.required, REQUIRED_LABEL, "field-label")),
        _control(f, field_id, error),
        rx.cond(error, rx.text(error, id=field_id + "-error", color_scheme="red", size="1", role="alert")),
        class_name="field",
    )
