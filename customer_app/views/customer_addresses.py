"""The Addresses tab: each address as its country writes it, with its kind and default flag, and the pop-up."""

import reflex as rx

from customer_app.components.confirm_dialog import confirm_dialog
from customer_app.components.form_field import form_field
from customer_app.models.customer_records import ADDRESS_KINDS
from customer_app.services.addresses import COUNTRIES
from customer_app.state.auth import AuthState
from customer_app.state.customer_addresses import CustomerAddressesState as D


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
                    rx.icon_button(
                        rx.icon("trash-2", size=14),
                        size="1",
                        variant="ghost",
                        color_scheme="red",
                        aria_label="Delete address",
                        on_click=D.ask_delete(row["id"]),
                    ),
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


def _select(name: str, label: str, options: list[tuple[str, str]]) -> rx.Component:
    return rx.vstack(
        rx.el.label(label, html_for=f"address-{name}", class_name="field-label"),
        rx.el.select(
            *[rx.el.option(text, value=key) for key, text in options],
            id=f"address-{name}",
            name=name,
            default_value=D.values[name],
            class_name="native-select",
        ),
        rx.cond(D.errors[name], rx.text(D.errors[name], color_scheme="red", size="1", role="alert")),
        spacing="1",
    )


def _dialog() -> rx.Component:
    return rx.dialog.root(
        rx.dialog.content(
            rx.dialog.title(rx.cond(D.editing_id > 0, "Edit address", "New address")),
            rx.form(
                rx.vstack(
                    rx.hstack(
                        _select("kind", "Type", list(ADDRESS_KINDS.items())),
                        _select("country_code", "Country", COUNTRIES),
                    ),
                    rx.vstack(
                        rx.el.label("Street and number", html_for="address-street", class_name="field-label"),
                        rx.text_area(
                            id="address-street", name="street", default_value=D.values["street"], rows="2", width="100%"
                        ),
                        rx.cond(
                            D.errors["street"], rx.text(D.errors["street"], color_scheme="red", size="1", role="alert")
                        ),
                        spacing="1",
                        width="100%",
                    ),
                    rx.hstack(
                        form_field("Postal code", "postal_code", D.values["postal_code"], D.errors["postal_code"]),
                        form_field("City", "city", D.values["city"], D.errors["city"]),
                        width="100%",
                    ),
                    form_field("State or region", "region", D.values["region"], D.errors["region"]),
                    rx.el.label(
                        rx.checkbox(name="is_default", default_checked=D.values["is_default"] != ""),
                        "Default address of its type",
                        class_name="checkbox-label",
                    ),
                    rx.flex(
                        rx.dialog.close(rx.button("Cancel", type="button", variant="soft", color_scheme="gray")),
                        rx.button("Save", type="submit"),
                        spacing="3",
                        justify="end",
                        width="100%",
                    ),
                    spacing="3",
                ),
                on_submit=D.save,
                key=D.form_key,
                no_validate=True,
            ),
            max_width="560px",
        ),
        open=D.form_open,
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
