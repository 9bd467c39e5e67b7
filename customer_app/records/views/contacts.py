"""The Contact info tab: which e-mail wins and why, extra e-mails and phones, and an institution's people."""

import reflex as rx

from customer_app.access.state.auth import AuthState
from customer_app.records.models import CONTACT_CHANNELS, CONTACT_LABELS
from customer_app.records.state.contacts import CustomerContactsState as C
from customer_app.ui.form_field import form_field, select_field
from customer_app.ui.icon_action import icon_action


def _contact(row: rx.Var) -> rx.Component:
    actions = rx.hstack(
        rx.cond(
            row["primary"] == "",
            rx.button("Make primary", size="1", variant="ghost", on_click=C.change(row["id"], "primary")),
        ),
        rx.cond(
            (row["channel"] == "email") & (row["chosen"] == ""),
            rx.button("Use for communication", size="1", variant="ghost", on_click=C.change(row["id"], "choose")),
        ),
        rx.button(
            rx.cond(row["opted_out"] != "", "Opt in", "Opt out"),
            size="1",
            variant="ghost",
            on_click=C.change(row["id"], "opt_out"),
        ),
        icon_action("trash-2", "Remove " + row["value"], C.delete(row["id"]), color_scheme="red"),
        spacing="1",
        wrap="wrap",
    )
    return rx.hstack(
        rx.text(row["value"], weight="medium", class_name="wrap-anywhere"),
        rx.badge(row["label"], variant="soft", color_scheme="gray"),
        rx.cond(row["primary"] != "", rx.badge("Primary", variant="soft")),
        rx.cond(row["chosen"] != "", rx.badge("Chosen for communication", variant="soft", color_scheme="green")),
        rx.cond(row["opted_out"] != "", rx.badge("Opted out", variant="soft", color_scheme="red")),
        rx.spacer(),
        rx.cond(AuthState.can_edit, actions),
        align="center",
        wrap="wrap",
        width="100%",
        class_name="contact-row",
        data_testid="contact",
    )


def _add_form() -> rx.Component:
    return rx.form(
        rx.flex(
            select_field("Kind", "channel", CONTACT_CHANNELS, "email", blank=False),
            rx.box(
                form_field("E-mail or phone", "value", "", C.errors["value"], max_length=254),
                flex="1",
                min_width="220px",
            ),
            select_field("Label", "label", CONTACT_LABELS, "work", blank=False),
            *[
                rx.el.label(rx.checkbox(name=name, aria_label=label), label, class_name="checkbox-label")
                for name, label in (("is_primary", "Primary"), ("opted_out", "Opted out"))
            ],
            rx.button(rx.icon("plus", size=14), "Add", type="submit"),
            spacing="3",
            align="end",
            wrap="wrap",
            width="100%",
        ),
        on_submit=C.add_contact,
        key=C.form_key,
        no_validate=True,
        width="100%",
    )


def _person(row: rx.Var) -> rx.Component:
    return rx.hstack(
        rx.vstack(
            rx.text(row["name"], weight="medium"),
            rx.text(row["position"], size="1", class_name="muted"),
            spacing="0",
        ),
        rx.text(row["email"], size="2"),
        rx.text(row["phone"], size="2"),
        rx.spacer(),
        rx.cond(
            AuthState.can_edit,
            icon_action("trash-2", "Remove " + row["name"], C.delete_person(row["id"]), color_scheme="red"),
        ),
        spacing="4",
        align="center",
        wrap="wrap",
        width="100%",
        data_testid="contact-person",
    )


def _people() -> rx.Component:
    form = rx.form(
        rx.flex(
            form_field("Name", "name", "", C.person_errors["name"], required=True, max_length=200),
            form_field("Position", "position", "", C.person_errors["position"], max_length=120),
            form_field("Email", "email", "", C.person_errors["email"], max_length=254),
            form_field("Phone", "phone", "", C.person_errors["phone"], max_length=32),
            rx.button(rx.icon("user-plus", size=14), "Add person", type="submit"),
            spacing="3",
            align="end",
            wrap="wrap",
        ),
        on_submit=C.add_person,
        key=C.form_key,
        no_validate=True,
    )
    return rx.vstack(
        rx.heading("Contact persons", size="3"),
        rx.cond(
            C.people.length() > 0,
            rx.vstack(rx.foreach(C.people, _person), spacing="2", width="100%"),
            rx.text("No contact persons yet.", class_name="muted"),
        ),
        rx.cond(AuthState.can_edit, form),
        spacing="2",
        width="100%",
    )


def contacts_tab() -> rx.Component:
    """Who mail goes to and why, every address and number, and the people at an institution."""
    return rx.vstack(
        rx.callout(
            rx.text(
                "E-mail goes to ",
                rx.text.strong(rx.cond(C.communication != "", C.communication, "nobody")),
                " — ",
                C.reason,
                ". Order: chosen explicitly, then primary, then the first work address, then the main e-mail; "
                "opted-out addresses are skipped.",
            ),
            icon="mail",
            width="100%",
            data_testid="communication-email",
        ),
        rx.heading("E-mail addresses", size="3"),
        rx.cond(
            C.emails.length() > 0,
            rx.vstack(rx.foreach(C.emails, _contact), spacing="1", width="100%"),
            rx.text("Only the main e-mail.", class_name="muted"),
        ),
        rx.heading("Phone numbers", size="3"),
        rx.cond(
            C.phones.length() > 0,
            rx.vstack(rx.foreach(C.phones, _contact), spacing="1", width="100%"),
            rx.text("Only the main phone numbers.", class_name="muted"),
        ),
        rx.cond(AuthState.can_edit, _add_form()),
        rx.cond(C.is_institution, _people()),
        spacing="3",
        width="100%",
        max_width="900px",
    )
