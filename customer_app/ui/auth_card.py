"""The card that holds a page for people not signed in: the product's name, a title, what went wrong or was sent."""

import reflex as rx


def auth_card(brand: rx.Component, title: str | rx.Var, error: rx.Var, notice: rx.Var, *body: rx.Component):
    """A centred card: `brand` on top, the title, the error and notice callouts when set, then `body`."""
    return rx.center(
        rx.card(
            rx.vstack(
                brand,
                rx.heading(title, size="5"),
                rx.cond(
                    error, rx.callout(error, icon="triangle-alert", color_scheme="red", role="alert", width="100%")
                ),
                rx.cond(notice, rx.callout(notice, icon="mail", color_scheme="green", role="status", width="100%")),
                *body,
                spacing="3",
                width="100%",
            ),
            width="100%",
            max_width="420px",
            class_name="auth-card",
            size="3",
            data_hydrated=rx.State.is_hydrated.to_string(),  # "true" once the page can take input
        ),
        min_height="100vh",
        padding="16px",
    )
