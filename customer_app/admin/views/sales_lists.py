"""The income accounts and shipping methods sections of the settings page."""

import reflex as rx

from customer_app.admin.state.sales_lists import AccountRow, MethodRow
from customer_app.admin.state.sales_lists import SalesListsState as L
from customer_app.ui.form_dialog import form_dialog
from customer_app.ui.form_field import form_field
from customer_app.ui.icon_action import icon_action


def _retired(retired: rx.Var) -> rx.Component:
    return rx.cond(retired, rx.badge("Retired", color_scheme="gray", variant="soft", size="1"))


def _retire_toggle(row, handler) -> rx.Component:
    return rx.cond(
        row.retired,
        icon_action("rotate-ccw", "Use " + row.name + " again", handler(row.id, False)),
        icon_action("archive", "Retire " + row.name, handler(row.id, True)),
    )


def _account(row: AccountRow) -> rx.Component:
    return rx.table.row(
        rx.table.cell(row.code),
        rx.table.cell(rx.hstack(rx.text(row.name, class_name="wrap-anywhere"), _retired(row.retired), spacing="2")),
        rx.table.cell(
            rx.hstack(
                icon_action("pencil", "Change " + row.name, L.open_account(row.id)),
                _retire_toggle(row, L.set_account_retired),
                rx.cond(
                    ~row.used,
                    icon_action("trash-2", "Delete " + row.name, L.delete_account(row.id), color_scheme="red"),
                ),
                spacing="3",
                justify="end",
            )
        ),
        data_testid="income-account",
    )


def _method(row: MethodRow) -> rx.Component:
    return rx.table.row(
        rx.table.cell(rx.hstack(rx.text(row.name, class_name="wrap-anywhere"), _retired(row.retired), spacing="2")),
        rx.table.cell(
            rx.hstack(
                icon_action("pencil", "Rename " + row.name, L.open_method(row.id)),
                _retire_toggle(row, L.set_method_retired),
                spacing="3",
                justify="end",
            )
        ),
        data_testid="shipping-method",
    )


def _table(headers: tuple[str, ...], rows: rx.Var, row) -> rx.Component:
    return rx.box(
        rx.table.root(
            rx.table.header(
                rx.table.row(
                    *[rx.table.column_header_cell(h) for h in headers],
                    rx.table.column_header_cell(rx.el.span("Actions", class_name="sr-only")),
                )
            ),
            rx.table.body(rx.foreach(rows, row)),
            variant="surface",
            width="100%",
        ),
        class_name="settings-table",
    )


def _accounts() -> rx.Component:
    adding = L.editing_account.id == ""
    add = rx.form(
        rx.flex(
            form_field(
                "Code", "account_code", "", rx.cond(adding, L.errors["code"], ""), max_length=20, placeholder="4100"
            ),
            form_field("Account name", "account_name", "", rx.cond(adding, L.errors["name"], ""), max_length=80),
            rx.button("Add account", type="submit", variant="soft"),
            gap="8px",
            align="end",
            wrap="wrap",
        ),
        key=L.add_key.to_string() + "-account",
        on_submit=L.add_account,
        no_validate=True,
    )
    return rx.vstack(
        rx.heading("Income accounts", size="4", as_="h2"),
        rx.text(
            "Sales are booked to these accounts. Each customer's default is set on the Payments tab, and new "
            "documents take it. An account customers or documents use is retired, never deleted.",
            size="2",
            class_name="muted",
        ),
        _table(("Code", "Account"), L.accounts, _account),
        add,
        form_dialog(
            "Change income account",
            form_field("Code", "code", L.editing_account.code, L.errors["code"], required=True, max_length=20),
            form_field("Account name", "name", L.editing_account.name, L.errors["name"], required=True, max_length=80),
            on_submit=L.save_account,
            form_key=L.edit_key,
            open_=L.editing_account.id != "",
            on_open_change=L.set_account_open,
        ),
        spacing="3",
        width="100%",
    )


def _methods() -> rx.Component:
    error = rx.cond(L.editing_method.id == "", L.errors["method_name"], "")
    add = rx.form(
        rx.flex(
            form_field("New shipping method", "method_name", "", error, max_length=80),
            rx.button("Add method", type="submit", variant="soft"),
            gap="8px",
            align="end",
            wrap="wrap",
        ),
        key=L.add_key.to_string() + "-method",
        on_submit=L.add_method,
        no_validate=True,
    )
    return rx.vstack(
        rx.heading("Shipping methods", size="4", as_="h2"),
        rx.text(
            "Offered on each customer's Shipping tab and in the document editor; documents keep the name they were "
            "given.",
            size="2",
            class_name="muted",
        ),
        _table(("Method",), L.methods, _method),
        add,
        form_dialog(
            "Rename shipping method",
            form_field("Name", "method_rename", L.editing_method.name, L.errors["method_name"], required=True),
            on_submit=L.save_method,
            form_key=L.edit_key,
            open_=L.editing_method.id != "",
            on_open_change=L.set_method_open,
        ),
        spacing="3",
        width="100%",
    )


def sales_lists() -> rx.Component:
    """Income accounts, then shipping methods."""
    return rx.vstack(_accounts(), rx.divider(), _methods(), spacing="6", width="100%")
