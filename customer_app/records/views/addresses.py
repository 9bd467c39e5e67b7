"""The Addresses tab: each address as its country writes it, with its kind and default flag, and the pop-up."""

import reflex as rx

from customer_app.access.state.auth import AuthState
from customer_app.records.addresses import COUNTRIES
from customer_app.records.models import ADDRESS_KINDS
from customer_app.records.state.addresses import CustomerAddressesState as D
from customer_app.ui.confirm_dialog import confirm_dialog
from customer_app.ui.form_dialog import form_dialog
from customer_app.ui.form_field import form_field, select_field, textarea_field
from customer_app.ui.icon_action import icon_action

DEFAULT_BOX = "Default address of its type"


def _address(row: rx.Var) -> rx.Component:
    return rx.card(
        rx.hstack(
            rx.badge(row["kind"], variant="soft", color_scheme="gray"),
            rx.cond(row["default"] != "", rx.badge(row["default"], variant="soft")),
            rx.spacer(),
            rx.cond(
                AuthState.can_edit,
                rx.hstack(
                    rx.button("Edit", size="1", variant="soft", on_click=D.open_edit(row["id"])),
                    icon_action("trash-2", "Delete address", D.ask_delete(row["id"]), color_scheme="red"),
                    spacing="2",
                    align="center",
                ),
            ),
            align="center",
            width="100%",
        ),
        rx.text(row["text"], class_name="note-body", margin_top="6px"),
        data_testid="address",
        min_width="260px",
        flex="1",
    )


def _dialog() -> rx.Component:
    return form_dialog(
        rx.cond(D.editing_id > 0, "Edit address", "New address"),
        rx.hstack(
            select_field("Type", "kind", ADDRESS_KINDS, D.values["kind"], D.errors["kind"], blank=False),
            select_field(
                "Country",
                "country_code",
                COUNTRIES,
                D.values["country_code"],
                D.errors["country_code"],
                blank=False,
            ),
        ),
        textarea_field("Street and number", "street", D.values["street"], D.errors["street"], rows="2"),
        rx.hstack(
            form_field("Postal code", "postal_code", D.values["postal_code"], D.errors["postal_code"]),
            form_field("City", "city", D.values["city"], D.errors["city"]),
            width="100%",
        ),
        form_field("State or region", "region", D.values["region"], D.errors["region"]),
        rx.el.label(
            rx.checkbox(name="is_default", default_checked=D.values["is_default"] != "", aria_label=DEFAULT_BOX),
            DEFAULT_BOX,
            class_name="checkbox-label",
        ),
        on_submit=D.save,
        form_key=D.form_key,
        open_=D.form_open,
        on_open_change=D.set_form_open,
    )


def addresses_tab() -> rx.Component:
    """Every address; add, edit, make default, delete."""
    return rx.vstack(
        rx.cond(AuthState.can_edit, rx.button(rx.icon("plus", size=16), "New address", on_click=D.open_new)),
        rx.cond(
            D.rows.length() > 0,
            rx.flex(rx.foreach(D.rows, _address), spacing="3", wrap="wrap", width="100%"),
            rx.text("No addresses yet.", class_name="muted"),
        ),
        _dialog(),
        confirm_dialog(
            open_=D.confirm_id != "",
            title="Delete this address?",
            body="It is removed for everyone. The audit trail keeps a record.",
            on_open_change=D.set_confirm_open,
            actions=[rx.button("Confirm", color_scheme="red", on_click=D.delete)],
        ),
        spacing="3",
        width="100%",
    )
