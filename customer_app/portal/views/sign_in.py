"""The portal's pages for people not signed in: sign-in, forgotten password, invitation and reset links."""

import reflex as rx

from customer_app import routes
from customer_app.portal.state.portal import tr
from customer_app.portal.state.portal_sign_in import PortalSignInState as S
from customer_app.portal.views.layout import language_switcher
from customer_app.ui.auth_card import auth_card as card
from customer_app.ui.form_field import form_field


def auth_card(title: rx.Var, *body: rx.Component) -> rx.Component:
    """The portal's card for people not signed in, with the language switcher."""
    brand = rx.flex(
        rx.hstack(rx.icon("building-2", size=22), rx.text(tr("Client portal"), weight="bold")),
        language_switcher(),
        justify="between",
        align="center",
        width="100%",
    )
    return card(brand, title, S.error, S.notice, *body)


def _field(label: rx.Var, name: str, type_: str = "text", **props) -> rx.Component:
    return form_field(label, name, "", S.errors[name], type_=type_, required=True, **props)  # each one is needed


def _submit(label: rx.Var) -> rx.Component:
    return rx.button(label, type="submit", width="100%", size="3")


def portal_login_page() -> rx.Component:
    """E-mail and password, and a way back in when the password is forgotten."""
    return auth_card(
        tr("Sign in"),
        rx.form(
            rx.vstack(
                _field(tr("E-mail"), "email", "email", auto_focus=True, auto_complete="username"),
                _field(tr("Password"), "password", "password", auto_complete="current-password"),
                _submit(tr("Sign in")),
                rx.link(tr("Forgot password?"), href=routes.PORTAL_FORGOT, size="2"),
                spacing="3",
                width="100%",
            ),
            on_submit=S.sign_in,
            reset_on_submit=False,
            width="100%",
        ),
    )


def portal_forgot_page() -> rx.Component:
    """Ask for a reset link."""
    return auth_card(
        tr("Forgot password?"),
        rx.form(
            rx.vstack(
                _field(tr("E-mail"), "email", "email", auto_focus=True, auto_complete="username"),
                _submit(tr("Send me a link")),
                rx.link(tr("Back to sign in"), href=routes.PORTAL_LOGIN, size="2"),
                spacing="3",
                width="100%",
            ),
            on_submit=S.request_reset,
            width="100%",
        ),
    )


def _link_page(title: rx.Var, *fields: rx.Component) -> rx.Component:
    """A page opened from an e-mailed link: its form while the link works, else a way to get a new one."""
    return auth_card(
        title,
        rx.match(
            S.link_state,
            (
                "valid",
                rx.form(
                    rx.vstack(
                        rx.text(S.link_email, class_name="muted"),
                        *fields,
                        _field(tr("Password"), "password", "password", auto_complete="new-password"),
                        _field(tr("Confirm password"), "confirm", "password", auto_complete="new-password"),
                        _submit(tr("Save")),
                        spacing="3",
                        width="100%",
                    ),
                    on_submit=S.use_link,
                    reset_on_submit=False,
                    width="100%",
                ),
            ),
            (
                "expired",
                rx.vstack(
                    rx.text(tr("This link has expired.")),
                    rx.button(tr("Send me a new link"), on_click=S.renew_link, width="100%", size="3"),
                    width="100%",
                ),
            ),
            (
                "invalid",
                rx.vstack(
                    rx.text(tr("This link is not valid or has already been used.")),
                    rx.link(tr("Back to sign in"), href=routes.PORTAL_LOGIN, size="2"),
                ),
            ),
            rx.spinner(),
        ),
    )


def portal_register_page() -> rx.Component:
    """Accept an invitation: your name and a password."""
    return _link_page(tr("Choose a password"), _field(tr("Your name"), "name", auto_focus=True, auto_complete="name"))


def portal_reset_page() -> rx.Component:
    """Choose a new password with a reset link."""
    return _link_page(tr("Choose a new password"))
