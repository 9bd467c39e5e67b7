"""The frame of every staff page: header with navigation, Quick Insert and the signed-in person."""

import reflex as rx

from customer_app import routes
from customer_app.access.state.auth import AuthState
from customer_app.ui.access_gate import checking
from customer_app.ui.color_mode import color_mode_menu
from customer_app.ui.keyboard import keyboard_support, shortcuts_help


def _admin_links() -> rx.Component:
    return rx.cond(
        AuthState.is_admin,
        rx.hstack(
            rx.link("Staff", href=routes.STAFF, size="2"),
            rx.link("Audit log", href=routes.AUDIT, size="2"),
            rx.link("Outbox", href=routes.OUTBOX, size="2"),
            rx.link("Imports", href=routes.IMPORTS, size="2"),
            rx.link("Settings", href=routes.SETTINGS, size="2"),
            spacing="4",
            align="center",
        ),
    )


def _account() -> rx.Component:
    return rx.hstack(
        rx.vstack(
            rx.text(AuthState.user_name, size="2", weight="medium"),
            rx.text(AuthState.role_label, size="1", class_name="muted"),
            spacing="0",
            align="end",
        ),
        rx.button(rx.icon("log-out", size=14), "Sign out", variant="ghost", size="1", on_click=AuthState.sign_out),
        spacing="3",
        align="center",
    )


def layout(title: str, body: rx.Component, *, header_actions: list[rx.Component] = ()) -> rx.Component:
    """A staff page, once the server has said who is asking: until then no header, no New Customer, no empty list
    (a signed-out visitor goes to sign in without glimpsing the workspace)."""
    return rx.cond(AuthState.role, _frame(title, body, header_actions=header_actions), checking("100vh"))


def _frame(title: str, body: rx.Component, *, header_actions: list[rx.Component] = ()) -> rx.Component:
    """A page with the app header and a titled main area."""
    return rx.box(
        rx.el.header(
            rx.hstack(
                rx.link(
                    rx.hstack(rx.icon("users", size=20), rx.text("Customer workspace", weight="bold")),
                    href=routes.CUSTOMERS,
                    underline="none",
                    color_scheme="gray",
                    high_contrast=True,
                ),
                rx.link("Customers", href=routes.CUSTOMERS, size="2", margin_left="16px"),
                _admin_links(),
                rx.spacer(),
                *header_actions,
                rx.hstack(shortcuts_help(), color_mode_menu(), spacing="3", align="center"),
                _account(),
                align="center",
                width="100%",
                max_width="1280px",
                margin="0 auto",
                spacing="4",
            ),
            class_name="app-header",
        ),
        rx.el.main(
            rx.heading(title, size="6", margin_bottom="12px") if title else rx.fragment(),
            body,
            class_name="app-main",
        ),
        keyboard_support(),
    )
