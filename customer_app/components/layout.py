"""The frame of every staff page: header with Quick Insert, then the page body."""

import reflex as rx


def layout(title: str, body: rx.Component, *, header_actions: list[rx.Component] = ()) -> rx.Component:
    """A page with the app header and a titled main area."""
    return rx.box(
        rx.el.header(
            rx.hstack(
                rx.link(rx.hstack(rx.icon("users", size=20), rx.text("Customer workspace", weight="bold")),
                        href="/customers", underline="none", color_scheme="gray", high_contrast=True),
                rx.spacer(),
                *header_actions,
                align="center", width="100%", max_width="1280px", margin="0 auto",
            ),
            class_name="app-header",
        ),
        rx.el.main(
            rx.heading(title, size="6", margin_bottom="12px"),
            body,
            class_name="app-main",
        ),
    )
