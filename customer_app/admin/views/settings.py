"""The customer settings page: custom fields (per customer kind, typed) and the groups customers can be in."""

import reflex as rx

from customer_app.admin.state.custom_fields import CustomFieldsAdminState as F
from customer_app.admin.state.groups import GroupsAdminState as G
from customer_app.admin.views.exchange_rates import exchange_rates
from customer_app.admin.views.numbering_settings import numbering_settings
from customer_app.admin.views.portal_settings import portal_settings
from customer_app.admin.views.sales_lists import sales_lists
from customer_app.admin.views.sales_policy import sales_policy
from customer_app.admin.views.tax_settings import tax_settings
from customer_app.customers.models import APPLIES_TO, FIELD_TYPES
from customer_app.ui.confirm_dialog import confirm_dialog
from customer_app.ui.form_dialog import form_dialog
from customer_app.ui.form_field import form_field, select_field, textarea_field
from customer_app.ui.icon_action import icon_action

REQUIRED_BOX = "Required: the customer page asks for it before saving"


def _field_row(row: rx.Var) -> rx.Component:
    label = row.label
    return rx.table.row(
        rx.table.cell(
            rx.hstack(
                rx.text(row.label, weight="medium", class_name="wrap-anywhere"),
                rx.cond(row.required, rx.badge("Required", color_scheme="amber", variant="soft", size="1")),
                spacing="2",
                align="center",
                wrap="wrap",
            )
        ),
        rx.table.cell(row.type_label),
        rx.table.cell(row.applies_label),
        rx.table.cell(rx.text(row.choices, size="2", class_name="muted wrap-anywhere")),
        rx.table.cell(row.used_by.to_string(), text_align="right"),
        rx.table.cell(
            rx.hstack(
                icon_action("arrow-up", "Move " + label + " up", F.move(row.id, -1), disabled=row.first),
                icon_action("arrow-down", "Move " + label + " down", F.move(row.id, 1), disabled=row.last),
                icon_action("pencil", "Change " + label, F.open_edit(row.id)),
                icon_action("trash-2", "Remove " + label, F.ask_remove(row.id), color_scheme="red"),
                spacing="3",
                justify="end",
            )
        ),
        data_testid="custom-field",
    )


def _fields_empty() -> rx.Component:
    return rx.center(
        rx.vstack(
            rx.icon("list-plus", size=36, opacity="0.4"),
            rx.text("No custom fields yet."),
            rx.text(
                "Add fields for what your business records about customers, such as a contract date or a tier.",
                size="2",
                class_name="muted",
                text_align="center",
            ),
            align="center",
            max_width="420px",
        ),
        padding="32px",
        class_name="empty-state",
    )


def _field_dialog() -> rx.Component:
    in_use = F.editing.used_by > 0
    return form_dialog(
        rx.cond(F.editing.id != "", "Change field", "Add a custom field"),
        form_field("Label", "label", F.editing.label, F.errors["label"], required=True, max_length=80),
        select_field(
            "Type",
            "field_type",
            FIELD_TYPES,
            F.editing.field_type,
            F.errors["field_type"],
            blank=False,
            on_change=F.set_field_type,
            disabled=in_use,
        ),
        rx.cond(
            in_use,
            rx.text("Customers already have values for this field, so its type stays.", size="1", class_name="muted"),
        ),
        select_field("For", "applies_to", APPLIES_TO, F.editing.applies_to, F.errors["applies_to"], blank=False),
        rx.cond(
            F.field_type == "choice",
            rx.box(
                textarea_field("Choices, one per line", "options", F.editing.options, F.errors["options"], rows="5"),
                width="100%",
            ),
        ),
        rx.el.label(
            rx.checkbox(name="required", default_checked=F.editing.required, aria_label=REQUIRED_BOX),
            REQUIRED_BOX,
            class_name="checkbox-label",
        ),
        on_submit=F.save,
        form_key=F.form_key,
        open_=F.form_open,
        on_open_change=F.set_form_open,
    )


def _custom_fields() -> rx.Component:
    table = rx.table.root(
        rx.table.header(
            rx.table.row(
                rx.table.column_header_cell("Label"),
                rx.table.column_header_cell("Type"),
                rx.table.column_header_cell("For"),
                rx.table.column_header_cell("Choices"),
                rx.table.column_header_cell("Customers with a value", text_align="right"),
                rx.table.column_header_cell(rx.el.span("Actions", class_name="sr-only")),
            )
        ),
        rx.table.body(rx.foreach(F.rows, _field_row)),
        variant="surface",
        width="100%",
    )
    return rx.vstack(
        rx.hstack(
            rx.heading("Custom fields", size="4", as_="h2"),
            rx.spacer(),
            rx.button(rx.icon("plus", size=16), "Add field", on_click=F.open_new),
            width="100%",
            align="center",
        ),
        rx.text(
            "Shown on each customer's Custom fields tab, in this order, for the kind of customer you choose.",
            size="2",
            class_name="muted",
        ),
        rx.cond(F.rows.length() > 0, rx.box(table, class_name="settings-table"), _fields_empty()),
        _field_dialog(),
        confirm_dialog(
            open_=F.confirm.id != "",
            title="Remove this field?",
            body=rx.text(
                rx.text.strong(F.confirm.label),
                " and the values of ",
                F.confirm.used_by.to_string(),
                " customers will be removed. The audit trail records the removal.",
            ),
            on_open_change=F.set_confirm_open,
            actions=[rx.button("Remove field", color_scheme="red", on_click=F.remove)],
        ),
        spacing="3",
        width="100%",
    )


def _group_row(row: rx.Var) -> rx.Component:
    return rx.table.row(
        rx.table.cell(rx.text(row.name, weight="medium", class_name="wrap-anywhere")),
        rx.table.cell(row.members.to_string(), text_align="right"),
        rx.table.cell(
            rx.hstack(
                icon_action("pencil", "Rename " + row.name, G.open_rename(row.id)),
                icon_action("trash-2", "Remove " + row.name, G.ask_remove(row.id), color_scheme="red"),
                spacing="3",
                justify="end",
            )
        ),
        data_testid="group",
    )


def _groups() -> rx.Component:
    table = rx.table.root(
        rx.table.header(
            rx.table.row(
                rx.table.column_header_cell("Group"),
                rx.table.column_header_cell("Customers", text_align="right"),
                rx.table.column_header_cell(rx.el.span("Actions", class_name="sr-only")),
            )
        ),
        rx.table.body(rx.foreach(G.rows, _group_row)),
        variant="surface",
        width="100%",
    )
    add = rx.form(
        rx.hstack(
            form_field(
                "New group", "group_name", "", rx.cond(G.renaming.id == "", G.errors["group"], ""), max_length=80
            ),
            rx.button("Add group", type="submit", variant="soft"),
            align="end",
        ),
        on_submit=G.add,
        key=G.add_key,
        no_validate=True,
    )
    return rx.vstack(
        rx.heading("Groups", size="4", as_="h2"),
        rx.text("Staff put customers in these groups on the Other info tab.", size="2", class_name="muted"),
        add,
        rx.cond(
            G.rows.length() > 0,
            rx.box(table, class_name="settings-table"),
            rx.text("No groups yet.", class_name="muted"),
        ),
        form_dialog(
            "Rename group",
            form_field("Name", "name", G.renaming.name, G.errors["group"], required=True, max_length=80),
            on_submit=G.rename,
            form_key=G.rename_key,
            open_=G.renaming.id != "",
            on_open_change=G.set_rename_open,
        ),
        confirm_dialog(
            open_=G.confirm.id != "",
            title="Remove this group?",
            body=rx.text(
                rx.text.strong(G.confirm.name),
                " is removed from the list. Its ",
                G.confirm.members.to_string(),
                " customers stay, outside the group.",
            ),
            on_open_change=G.set_confirm_open,
            actions=[rx.button("Remove group", color_scheme="red", on_click=G.remove)],
        ),
        spacing="3",
        width="100%",
    )


def customer_settings() -> rx.Component:
    """Custom fields, groups, taxes, exchange rates, then the client portal."""
    return rx.vstack(
        _custom_fields(),
        rx.divider(),
        _groups(),
        rx.divider(),
        tax_settings(),
        rx.divider(),
        sales_policy(),
        rx.divider(),
        numbering_settings(),
        rx.divider(),
        sales_lists(),
        rx.divider(),
        exchange_rates(),
        rx.divider(),
        portal_settings(),
        spacing="6",
        width="100%",
        max_width="1100px",
    )
