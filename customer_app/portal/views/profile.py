"""The portal's profile page and the page that confirms a new e-mail address."""

import reflex as rx

from customer_app import routes
from customer_app.portal.state.portal import tr
from customer_app.portal.state.portal_profile import LABELS, ProfileField
from customer_app.portal.state.portal_profile import PortalProfileState as S
from customer_app.portal.views.sign_in import auth_card
from customer_app.ui.form_field import form_field
from customer_app.ui.picture_picker import picture_picker


def _label(field: ProfileField) -> rx.Var:
    return rx.match(field.name, *[(name, tr(label)) for name, label in LABELS.items()], field.label)


def _field(field: ProfileField) -> rx.Component:
    field_id = "field-" + field.name
    return rx.box(
        rx.el.label(_label(field), html_for=field_id, class_name="field-label"),
        rx.input(id=field_id, name=field.name, default_value=field.value, width="100%"),
        rx.cond(S.errors[field.name], rx.text(S.errors[field.name], color_scheme="red", size="1", role="alert")),
        class_name="field",
    )


UPLOAD_ID = "portal-picture"


def _picture() -> rx.Component:
    """The customer's picture, a drop area to replace it, and Remove."""
    preview = rx.cond(
        S.picture != "",
        rx.image(src=rx.get_upload_url(S.picture_url), alt=tr("Picture"), class_name="picture-preview"),
        rx.avatar(fallback="?", size="6", radius="full"),
    )
    return picture_picker(
        preview,
        upload_id=UPLOAD_ID,
        on_drop=S.upload_picture(rx.upload_files(upload_id=UPLOAD_ID)),
        has_picture=S.picture != "",
        on_remove=S.remove_picture,
        error=S.picture_error,
        drag_label=tr("Drag a picture here, or"),
        upload_label=tr("Upload"),
        remove_label=tr("Remove picture"),
    )


def profile_view() -> rx.Component:
    """Picture and contact details, then the e-mail address."""
    return rx.vstack(
        rx.heading(tr("Profile"), size="6"),
        rx.card(_picture(), width="100%"),
        rx.card(
            rx.form(
                rx.vstack(
                    rx.foreach(S.fields, _field),
                    rx.button(tr("Save"), type="submit"),
                    width="100%",
                ),
                key=S.form_key.to_string(),
                on_submit=S.save,
                reset_on_submit=False,
            ),
            width="100%",
        ),
        rx.card(
            rx.form(
                rx.vstack(
                    rx.heading(tr("E-mail"), size="3", as_="h2"),
                    rx.text(S.email),
                    rx.cond(
                        S.pending_email,
                        rx.text(tr("Waiting for confirmation:"), " ", S.pending_email, size="2", class_name="muted"),
                    ),
                    form_field(tr("New e-mail address"), "email", "", S.errors["email"], type_="email"),
                    rx.button(tr("Send confirmation link"), type="submit"),
                    width="100%",
                ),
                key=S.form_key.to_string() + "-email",
                on_submit=S.change_email,
            ),
            width="100%",
        ),
        spacing="4",
        width="100%",
    )


def confirm_email_page() -> rx.Component:
    """Opened from the e-mail: one button confirms (a mail scanner following the link changes nothing)."""
    return auth_card(
        tr("Confirm your new e-mail address"),
        rx.cond(
            S.confirmed == "done",
            rx.vstack(
                rx.text(tr("Your new e-mail address is saved.")),
                rx.link(tr("Back to sign in"), href=routes.PORTAL_LOGIN),
            ),
            rx.vstack(
                rx.cond(S.confirmed, rx.callout(S.confirmed, icon="triangle-alert", color_scheme="red", role="alert")),
                rx.button(tr("Confirm"), on_click=S.confirm_email, width="100%", size="3"),
                width="100%",
            ),
        ),
    )
