"""Show a page's content only once the server has said the viewer may see it."""

import reflex as rx

ADMIN_ONLY = "You need the Admin role to see this page."


def checking(height: str = "auto") -> rx.Component:
    """What a page (or a part of one, `height` tall) shows until the server has said who is asking: a spinner, no
    header, no data."""
    return rx.center(
        rx.spinner(size="3"),
        padding="48px",
        min_height=height,
        role="status",
        aria_label="Loading",
        class_name="checking",
    )


def access_gate(access: rx.Var, body: rx.Component, message: str = ADMIN_ONLY) -> rx.Component:
    """`access` is "ok" (show body), "denied" (show the message, no data) or "" (still checking)."""
    return rx.match(
        access,
        ("ok", body),
        (
            "denied",
            rx.callout.root(
                rx.callout.icon(rx.icon("lock")),
                rx.callout.text(message),
                color_scheme="amber",
                role="alert",
                data_testid="access-denied",
                max_width="640px",
            ),
        ),
        checking(),
    )
