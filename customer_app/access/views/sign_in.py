"""Pages for signed-out people: sign in, first-run setup, forgotten password, reset and invitation links."""

import reflex as rx

from customer_app import routes
from customer_app.access.state.sign_in import SignInState as S
from customer_app.ui.access_gate import checking
from customer_app.ui.auth_card import auth_card
from customer_app.ui.form_field import form_field


def _card(title: str, intro: str, *body: rx.Component, gate: str = "") -> rx.Component:
    """The page's card; with a `gate`, only once its on_load let that page show (a first run goes to setup, a signed-in
    browser goes in: neither should glimpse a form first)."""
    brand = rx.hstack(rx.icon("users", size=22), rx.text("Customer workspace", weight="bold"), align="center")
    card = auth_card(brand, title, S.error, S.notice, rx.text(intro, class_name="muted"), *body)
    return rx.cond(S.shown == gate, card, checking("100vh")) if gate else card


def _field(label: str, name: str, type_: str = "text", **props) -> rx.Component:
    return form_field(label, name, "", S.errors[name], type_=type_, required=True, **props)  # each one is needed


def _submit(label: str) -> rx.Component:
    return rx.button(label, type="submit", width="100%", size="3")


def login_page() -> rx.Component:
    """E-mail and password, Remember me, and a way back in when the password is forgotten."""
    return _card(
        "Sign in",
        "Staff only. Use the e-mail address your admin invited.",
        rx.form(
            rx.vstack(
                _field("Email", "email", "email", auto_focus=True, auto_complete="username"),
                _field("Password", "password", "password", auto_complete="current-password"),
                rx.el.label(
                    rx.checkbox(name="remember", aria_label="Remember me for 30 days"),
                    rx.text("Remember me for 30 days", size="2"),
                    class_name="checkbox-label",
                ),
                _submit("Sign in"),
                rx.link("Forgot password?", href=routes.FORGOT, size="2"),
                spacing="3",
                width="100%",
            ),
            on_submit=S.sign_in,
            reset_on_submit=False,
            no_validate=True,
        ),
        gate="login",
    )


def setup_page() -> rx.Component:
    """First run: create the admin account."""
    return _card(
        "Set up the workspace",
        "Create the first admin account. You can invite your colleagues afterwards.",
        rx.form(
            rx.vstack(
                _field("Your name", "name", auto_focus=True, auto_complete="name"),
                _field("Email", "email", "email", auto_complete="username"),
                _field("Password", "password", "password", auto_complete="new-password"),
                _field("Repeat password", "confirm", "password", auto_complete="new-password"),
                rx.text(
                    "At least 10 characters; a phrase of unrelated words is easy to remember and hard to guess.",
                    size="1",
                    class_name="muted",
                ),
                _submit("Create admin account"),
                spacing="3",
                width="100%",
            ),
            on_submit=S.create_admin,
            reset_on_submit=False,
            no_validate=True,
        ),
        gate="setup",
    )


def forgot_page() -> rx.Component:
    """Ask for a password reset link by e-mail."""
    return _card(
        "Forgot password",
        "We will e-mail you a link to choose a new password.",
        rx.form(
            rx.vstack(
                _field("Email", "email", "email", auto_focus=True, auto_complete="username"),
                _submit("Send reset link"),
                rx.link("Back to sign in", href=routes.LOGIN, size="2"),
                spacing="3",
                width="100%",
            ),
            on_submit=S.request_reset,
            reset_on_submit=True,
            no_validate=True,
        ),
    )


def _password_form(button: str) -> rx.Component:
    return rx.cond(
        S.link_valid,
        rx.form(
            rx.vstack(
                rx.text("Hello ", S.link_name, ".", weight="medium"),
                _field("New password", "password", "password", auto_focus=True, auto_complete="new-password"),
                _field("Repeat password", "confirm", "password", auto_complete="new-password"),
                _submit(button),
                spacing="3",
                width="100%",
            ),
            on_submit=S.set_password,
            reset_on_submit=False,
            no_validate=True,
        ),
        rx.vstack(
            rx.callout(
                "This link is not valid any more: it was used, replaced or has expired.",
                icon="link-2-off",
                color_scheme="amber",
                width="100%",
            ),
            rx.link("Ask for a new reset link", href=routes.FORGOT, size="2"),
            width="100%",
        ),
    )


def reset_page() -> rx.Component:
    """Choose a new password from an e-mailed link."""
    return _card(
        "Choose a new password",
        "Signing in again ends your other sessions.",
        _password_form("Save password"),
        gate="link",
    )


def invite_page() -> rx.Component:
    """Accept an invitation by choosing a password."""
    return _card("Welcome", "Choose a password to start using the workspace.", _password_form("Start"), gate="link")
