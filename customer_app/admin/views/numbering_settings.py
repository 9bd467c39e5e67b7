"""The document numbers section of the settings page: one row per kind, with the number the next one gets."""

import reflex as rx

from customer_app.admin.state.numbering_settings import NumberingSettingsState as N
from customer_app.admin.state.numbering_settings import SequenceLine


def _error(line: SequenceLine, name: str) -> rx.Component:
    shown = (N.editing == line.kind) & (N.errors[name] != "")
    return rx.cond(shown, rx.text(N.errors[name], color_scheme="red", size="1", role="alert"))


def _input(line: SequenceLine, name: str, value: rx.Var, label: str, width: str, **props) -> rx.Component:
    return rx.box(
        rx.input(name=name, default_value=value, aria_label=label + " of " + line.label + "s", width=width, **props),
        _error(line, name),
        width=width,  # an error wraps under its own field instead of pushing the row apart
    )


def _sequence(line: SequenceLine) -> rx.Component:
    return rx.form(
        rx.flex(
            rx.text(line.label, weight="medium", width="130px", padding_top="4px"),
            rx.el.input(type="hidden", name="kind", value=line.kind),
            _input(line, "prefix", line.prefix, "Prefix", "150px", max_length=20),
            _input(line, "padding", line.padding, "Digits", "70px", input_mode="numeric"),
            _input(line, "next_value", line.next_value, "Next number", "110px", input_mode="numeric"),
            rx.text("Next: ", rx.code(line.next_number), size="2", class_name="muted", padding_top="6px"),
            rx.button(
                "Save",
                type="submit",
                variant="soft",
                size="1",
                aria_label="Save numbers of " + line.label,
                margin_top="4px",
            ),
            gap="8px",
            align="start",
            wrap="wrap",
        ),
        key=N.form_key.to_string() + line.kind,
        on_submit=N.save,
        no_validate=True,
        data_testid="number-sequence",
    )


def numbering_settings() -> rx.Component:
    """Prefix (with {year}), digits and next number per kind of document."""
    return rx.vstack(
        rx.heading("Document numbers", size="4", as_="h2"),
        rx.text(
            "Each kind of document is numbered when it is issued, without gaps. Write {year} in a prefix for the "
            "year of issue. A number already given cannot be given again.",
            size="2",
            class_name="muted",
        ),
        rx.flex(
            *[rx.text(h, size="1", class_name="muted", width=w) for h, w in (("Kind", "130px"), ("Prefix", "150px"))],
            rx.text("Digits", size="1", class_name="muted", width="70px"),
            rx.text("Next number", size="1", class_name="muted", width="110px"),
            gap="8px",
            aria_hidden="true",
        ),
        rx.foreach(N.sequences, _sequence),
        spacing="2",
        width="100%",
    )
