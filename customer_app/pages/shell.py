"""The frame of every staff page: header with navigation, Quick Insert and the signed-in person."""

import reflex as rx

from customer_app import routes
from customer_app.access.state.auth import AuthState
from customer_app.ui.access_gate import checking
from customer_app.ui.color_mode import color_mode_menu
from customer_app.ui.keyboard import keyboard_support, shortcuts_help

ADMIN_PAGES = (
    ("Staff", routes.STAFF),
    ("Audit log", routes.AUDIT),
    ("Outbox", routes.OUTBOX),
    ("Imports", routes.IMPORTS),
    ("Settings", routes.SETTINGS),
)


def _admin_links() -> rx.Component:
    """The admin pages: links in a row on a wide screen, one Admin menu on a narrow one (a phone)."""
    return rx.cond(
        AuthState.is_admin,
        rx.fragment(
            rx.hstack(
                *[rx.link(name, href=href, size="2") for name, href in ADMIN_PAGES],
                spacing="4",
                align="center",
                class_name="wide-only",
            ),
            rx.box(
                rx.dropdown_menu.root(
                    rx.dropdown_menu.trigger(
                        rx.button(rx.icon("menu", size=14), "Admin", variant="ghost", size="2", color_scheme="gray")
                    ),
                    rx.dropdown_menu.content(
                        *[rx.dropdown_menu.item(name, on_click=rx.redirect(href)) for name, href in ADMIN_PAGES]
                    ),
                ),
                class_name="narrow-only",
            ),
        ),
    )


def _account() -> rx.Component:
    return rx.hstack(
        rx.vstack(
            rx.text(AuthState.user_name, size="2", weight="medium"),
            rx.text(AuthState.role_label, size="1", class_name="muted"),
            spacing="0",
            align="end",
            class_name="wide-only",
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
                    rx.hstack(
                        rx.icon("users", size=20), rx.text("Customer workspace", weight="bold", class_name="wide-only")
                    ),
                    aria_label="Customer workspace",
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
