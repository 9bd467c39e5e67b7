"""The colour theme menu: light, dark, or whatever the system says (the default), kept in the browser."""

import reflex as rx
from reflex.style import color_mode, set_color_mode

# Reflex keeps the choice in the browser's localStorage ("theme") and, on "system", follows prefers-color-scheme.
MODES = (("light", "Light", "sun"), ("dark", "Dark", "moon"), ("system", "System", "monitor"))


def _item(mode: str, label: str, icon: str) -> rx.Component:
    chosen = color_mode == mode
    return rx.dropdown_menu.item(
        rx.hstack(rx.icon(icon, size=14), rx.text(label), align="center", spacing="2"),
        rx.cond(chosen, rx.icon("check", size=14), rx.fragment()),
        on_click=set_color_mode(mode),
        # a choice of one among three, so readers hear which is on
        custom_attrs={"role": "menuitemradio", "aria-checked": rx.cond(chosen, "true", "false")},
    )


def color_mode_menu() -> rx.Component:
    """An icon button showing the mode in use; its menu offers the three choices."""
    return rx.dropdown_menu.root(
        rx.dropdown_menu.trigger(
            rx.icon_button(
                rx.color_mode_cond(light=rx.icon("sun", size=16), dark=rx.icon("moon", size=16)),
                variant="ghost",
                color_scheme="gray",
                size="2",
                aria_label="Colour theme",
                title="Colour theme",
            )
        ),
        rx.dropdown_menu.content(*[_item(*mode) for mode in MODES]),
    )
