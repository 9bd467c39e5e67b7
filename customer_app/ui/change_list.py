"""The changed fields of one audit event, one per line: "Field: before → after"."""

import reflex as rx


def change_list(changes: rx.Var) -> rx.Component:
    """Each change of a list of {field, before, after} on its own line."""
    return rx.el.ul(
        rx.foreach(
            changes,
            lambda c: rx.el.li(
                rx.text.strong(c.field, ": "),
                rx.text.span(c.before, class_name="change-before"),
                rx.text.span(" → ", aria_hidden="true"),
                rx.text.span(" changed to ", class_name="sr-only"),
                rx.text.span(c.after),
            ),
        ),
        class_name="change-list",
    )
