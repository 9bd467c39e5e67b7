"""The create/edit pop-up: kind switch, picture, individual or institution fields, common fields."""

import reflex as rx

from customer_app.core.i18n import LANGUAGES
from customer_app.customers import form_extras
from customer_app.customers.models import GENDERS, OWNERSHIP_TYPES
from customer_app.customers.state.customer_form import CustomerFormState as F
from customer_app.customers.views.customer_history import history_panel
from customer_app.ui.avatar import avatar
from customer_app.ui.custom_field_input import custom_field_input
from customer_app.ui.form_field import form_field, select_field, textarea_field
from customer_app.ui.picture_picker import picture_picker

UPLOAD_ID = "customer-picture"
FIELDS_ID = "customer-form-fields"
RULE_ID = "customer-form-rule"  # the pop-up's line about required fields, which the name fields point to


def _field(label: str, name: str, **props) -> rx.Component:
    return form_field(label, name, F.values[name], F.errors[name], **props)


def _picture() -> rx.Component:
    """Drop area with an Upload button, a preview and Remove."""
    preview = rx.cond(
        F.picture != "",
        rx.image(src=rx.get_upload_url(F.picture_url), alt="Picture preview", class_name="picture-preview"),
        avatar("", rx.Var.create("?"), size="6"),
    )
    return picture_picker(
        preview,
        upload_id=UPLOAD_ID,
        on_drop=F.upload_picture(rx.upload_files(upload_id=UPLOAD_ID)),
        has_picture=F.picture != "",
        on_remove=F.remove_picture,
        error=F.picture_error,
        hint=rx.text("JPEG, PNG, WebP or GIF, up to 10 MB.", size="1", class_name="muted"),
    )


def _individual_fields() -> rx.Component:
    return rx.fragment(
        _field("First name", "first_name", starred=True, hint_id=RULE_ID, auto_focus=True, auto_complete="off"),
        _field("Last name", "last_name", starred=True, hint_id=RULE_ID, auto_complete="off"),
        _field("Date of birth", "date_of_birth", type_="date"),
        select_field("Gender", "gender", GENDERS, F.values["gender"], F.errors["gender"]),
    )


def _institution_fields() -> rx.Component:
    return rx.fragment(
        rx.box(_field("Name", "name", required=True, auto_focus=True, auto_complete="off"), class_name="field-wide"),
        select_field(
            "Ownership type", "ownership_type", OWNERSHIP_TYPES, F.values["ownership_type"], F.errors["ownership_type"]
        ),
        _field("Website", "website", placeholder="example.com"),
    )


def _common_fields() -> rx.Component:
    return rx.fragment(
        _field("Email", "email", type_="email", auto_complete="off"),
        _field("Phone", "phone", type_="tel"),
        _field("Mobile", "mobile", type_="tel"),
        _field("Fax", "fax", type_="tel"),
        _field("Company name", "company_name"),
        _field("Position", "position"),
        rx.cond(F.kind == "individual", _field("Website", "website", placeholder="example.com")),
        _field("VAT number", "vat_number", placeholder="DE136695976"),
        select_field("Language", "language", LANGUAGES, F.values["language"], F.errors["language"]),
        textarea_field("Footnotes", "footnotes", F.values["footnotes"], F.errors["footnotes"]),
    )


def _custom_fields() -> rx.Component:
    """The custom fields admins defined for this kind of customer, under a heading of their own."""
    return rx.cond(
        F.custom_for_kind.length() > 0,
        rx.fragment(
            rx.heading("Custom fields", size="2", as_="h3", class_name="field-wide", margin_top="8px"),
            rx.foreach(F.custom_for_kind, lambda f: custom_field_input(f, F.errors[f.id], "popup-field-")),
        ),
    )


def _box(extra: form_extras.FormExtra) -> rx.Component:
    """One extra box another package added (portal access, ...), with its error under it."""
    field_id = f"field-{extra.name}"
    box = rx.box(
        rx.el.label(
            rx.el.input(type="checkbox", id=field_id, name=extra.name, default_checked=F.boxes[extra.name]),
            " ",
            extra.label,
            html_for=field_id,
            class_name="check-label",
        ),
        rx.cond(
            F.errors[extra.name],
            rx.text(F.errors[extra.name], id=f"{field_id}-error", color_scheme="red", size="1", role="alert"),
        ),
        class_name="field-wide",
    )
    return rx.cond(F.customer_id == 0, box) if extra.only_on_create else box


def _conflict_banner() -> rx.Component:
    return rx.cond(
        F.conflict,
        rx.callout.root(
            rx.callout.icon(rx.icon("triangle-alert")),
            rx.callout.text(
                "This customer was changed by someone else. Reload to see their changes "
                "(your edits in this form will be discarded)."
            ),
            rx.button("Reload", type="button", size="1", on_click=F.reload_latest, margin_left="8px"),
            color_scheme="amber",
            role="alert",
        ),
    )


def customer_dialog() -> rx.Component:
    """The pop-up used by New Customer, Quick Insert and Edit."""
    return rx.dialog.root(
        rx.dialog.content(
            rx.dialog.title(rx.cond(F.customer_id > 0, "Edit customer", "New customer")),
            rx.dialog.description(
                rx.el.span(  # an id of its own: the dialog's description keeps the one Radix gives it
                    rx.cond(
                        F.kind == "individual",
                        "Fields marked * are required: a first or a last name is enough.",
                        "Fields marked * are required.",
                    ),
                    id=RULE_ID,
                ),
                size="2",
                class_name="muted",
            ),
            rx.tabs.root(
                rx.tabs.list(
                    # the fields below are what the tabs switch; Radix would point at tab panels there are none of
                    rx.tabs.trigger("Individual", value="individual", aria_controls=FIELDS_ID),
                    rx.tabs.trigger("Institution", value="institution", aria_controls=FIELDS_ID),
                ),
                value=F.kind,
                on_change=F.set_kind,
                margin_y="12px",
            ),
            _conflict_banner(),
            rx.form(
                _picture(),
                rx.box(
                    rx.cond(F.kind == "individual", _individual_fields(), _institution_fields()),
                    _common_fields(),
                    _custom_fields(),
                    *[_box(extra) for extra in form_extras.extras()],
                    rx.cond(F.customer_id > 0, history_panel()),  # only an existing customer has a history
                    id=FIELDS_ID,
                    class_name="form-grid",
                ),
                rx.cond(
                    F.errors.length() > 0,
                    rx.text("Please correct the highlighted fields.", color_scheme="red", size="2", role="status"),
                ),
                rx.flex(
                    rx.dialog.close(rx.button("Cancel", type="button", variant="soft", color_scheme="gray")),
                    rx.button("Save", type="submit"),
                    spacing="3",
                    justify="end",
                    margin_top="16px",
                ),
                key=F.form_key.to_string(),
                on_submit=F.save,
                reset_on_submit=False,
                no_validate=True,  # the server validates and explains every field
            ),
            max_width="760px",
        ),
        open=F.open,
        on_open_change=F.set_open,
    )
