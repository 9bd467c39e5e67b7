"""Labelled form inputs with an inline error message under each."""

from collections.abc import Mapping, Sequence

import reflex as rx


def _error(field_id: str, error: rx.Var) -> rx.Component:
    return rx.cond(
        error,
        rx.text(error, id=f"{field_id}-error", color_scheme="red", size="1", role="alert"),
    )


# The star is drawn by CSS (.field-label.required::after, with empty alternative text): the label's text stays the
# field's name, for people finding it by its label and for readers, who hear aria-required instead.
REQUIRED_LABEL = "field-label required"


def _label(label: str, field_id: str, required: bool) -> rx.Component:
    return rx.el.label(label, html_for=field_id, class_name=REQUIRED_LABEL if required else "field-label")


def _required(required: bool) -> dict[str, str]:
    """aria-required rather than `required`: the server explains what is missing, the browser's bubble would not."""
    return {"aria_required": "true"} if required else {}


def form_field(
    label: str,
    name: str,
    value: rx.Var,
    error: rx.Var,
    *,
    type_: str = "text",
    required: bool = False,
    starred: bool = False,
    hint_id: str = "",
    **props,
) -> rx.Component:
    """A text-like input with its label and error; uncontrolled so typing costs no events. `starred` shows the star
    of a field required only together with another (first or last name), which `hint_id`'s text explains."""
    field_id = f"field-{name}"
    return rx.box(
        _label(label, field_id, required or starred),
        rx.input(
            id=field_id,
            name=name,
            type=type_,
            default_value=value,
            aria_invalid=rx.cond(error, "true", "false"),
            aria_describedby=f"{field_id}-error {hint_id}".strip(),
            width="100%",
            **_required(required),
            **props,
        ),
        _error(field_id, error),
        class_name="field",
    )


def select_field(
    label: str,
    name: str,
    options: Mapping[str, str] | Sequence[str],
    value: rx.Var | str,
    error: rx.Var | str = "",
    *,
    blank: bool = True,
    required: bool = False,
    **props,
) -> rx.Component:
    """A native drop-down (keyboard- and form-friendly); `options` are values, or a mapping of value to label."""
    field_id = f"field-{name}"
    pairs = options.items() if isinstance(options, Mapping) else [(option, option) for option in options]
    return rx.box(
        _label(label, field_id, required),
        rx.el.select(
            *([rx.el.option("—", value="")] if blank else []),
            *[rx.el.option(text, value=key) for key, text in pairs],
            id=field_id,
            name=name,
            default_value=value,
            class_name="native-select",
            aria_invalid=rx.cond(error, "true", "false"),
            **_required(required),
            **props,
        ),
        _error(field_id, error),
        class_name="field",
    )


def textarea_field(label: str, name: str, value: rx.Var, error: rx.Var, *, rows: str = "3") -> rx.Component:
    """A multi-line input with its label and error."""
    field_id = f"field-{name}"
    return rx.box(
        _label(label, field_id, False),
        rx.text_area(id=field_id, name=name, default_value=value, rows=rows, width="100%"),
        _error(field_id, error),
        class_name="field field-wide",
    )
