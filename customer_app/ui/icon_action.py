"""A small icon-only button for a row's action: its label is both read out and shown on hover."""

import reflex as rx


def icon_action(icon: str, label: rx.Var | str, on_click, **props) -> rx.Component:
    """A ghost icon button (e.g. "trash-2" with color_scheme="red" for a delete)."""
    return rx.icon_button(
        rx.icon(icon, size=14), size="1", variant="ghost", aria_label=label, title=label, on_click=on_click, **props
    )
