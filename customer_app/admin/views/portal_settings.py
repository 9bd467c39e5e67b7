"""The portal section of the settings page: default sections, and the welcome e-mail with a preview."""

import reflex as rx

from customer_app.admin.state.portal_settings import DefaultSection
from customer_app.admin.state.portal_settings import PortalSettingsState as P
from customer_app.ui.form_field import form_field


def _default(section: DefaultSection) -> rx.Component:
    return rx.el.label(
        rx.switch(checked=section.on, on_change=lambda on: P.set_default(section.key, on)),
        rx.text(section.label),
        rx.cond(section.coming, rx.text("(not built yet)", size="1", class_name="muted")),
        class_name="checkbox-label",
    )


def _welcome() -> rx.Component:
    return rx.form(
        rx.vstack(
            rx.hstack(
                rx.el.label("Language", html_for="welcome-language", class_name="field-label"),
                rx.el.select(
                    rx.foreach(P.languages, lambda pair: rx.el.option(pair[1], value=pair[0])),
                    id="welcome-language",
                    value=P.language,
                    on_change=P.set_language,
                    class_name="native-select",
                ),
                rx.cond(P.customised, rx.badge("Written here"), rx.badge("Built-in text", color_scheme="gray")),
                align="center",
            ),
            form_field(
                "Subject",
                "subject",
                P.subject,
                P.errors["subject"],
                required=True,
                on_change=P.edit_subject.debounce(400),
            ),
            rx.box(
                rx.el.label("Text", html_for="field-body", class_name="field-label"),
                rx.text_area(
                    id="field-body",
                    name="body",
                    default_value=P.body,
                    rows="8",
                    width="100%",
                    on_change=P.edit_body.debounce(400),
                ),
                rx.cond(P.errors["body"], rx.text(P.errors["body"], color_scheme="red", size="1", role="alert")),
                class_name="field",
            ),
            rx.text(
                "Placeholders: {customer}, {workspace}, {link} (the portal's sign-in page).",
                size="1",
                class_name="muted",
            ),
            rx.hstack(
                rx.button("Save", type="submit"),
                rx.button(
                    "Back to the built-in text",
                    type="button",
                    variant="ghost",
                    on_click=P.reset_welcome,
                    disabled=~P.customised,
                ),
                wrap="wrap",
            ),
            width="100%",
        ),
        key=P.form_key.to_string() + P.language,
        on_submit=P.save_welcome,
        reset_on_submit=False,
        no_validate=True,
        width="100%",
    )


def _preview() -> rx.Component:
    return rx.cond(
        P.preview_subject,
        rx.card(
            rx.text("Preview", size="1", class_name="muted"),
            rx.text(P.preview_subject, weight="bold"),
            rx.text(P.preview_body, class_name="mail-body"),
            aria_label="Preview",
            width="100%",
        ),
    )


def portal_settings() -> rx.Component:
    """The sections new customers' people see, and the welcome e-mail."""
    return rx.vstack(
        rx.heading("Client portal", size="4", as_="h2"),
        rx.text(
            "Sections new customers get; staff change them per customer on its Portal tab.",
            size="2",
            class_name="muted",
        ),
        rx.foreach(P.defaults, _default),
        rx.heading("Welcome e-mail", size="3", as_="h3", margin_top="8px"),
        rx.text(
            "Sent when staff tick “Send welcome e-mail” on a new customer, unless the customer switched portal "
            "notices off.",
            size="2",
            class_name="muted",
        ),
        _welcome(),
        _preview(),
        spacing="3",
        width="100%",
        class_name="portal-settings",
    )
