"""The customers page: toolbar, table, pagination and its dialogs."""

import reflex as rx

from customer_app.access.state.auth import AuthState
from customer_app.customer_page.views.page import customer_detail
from customer_app.customers.state.customer_form import CustomerFormState
from customer_app.customers.views.customer_dialog import customer_dialog
from customer_app.customers.views.customer_table import customer_table
from customer_app.customers.views.delete_dialogs import bulk_delete_dialog, purge_selected_dialog, row_delete_dialog
from customer_app.customers.views.pagination import pagination
from customer_app.customers.views.removals import recent_removals, restore_removal_dialog
from customer_app.pages.customers_toolbar import RESULTS_ID, customer_toolbar
from customer_app.pages.shell import layout
from customer_app.transfer.views.export_dialog import export_dialog
from customer_app.ui.keyboard import NEW_CUSTOMER, shortcut


def quick_insert() -> rx.Component:
    """Header button that opens the customer pop-up from any staff page."""
    return rx.cond(
        AuthState.can_edit,
        rx.button(
            rx.icon("zap", size=16),
            "Quick Insert",
            variant="outline",
            on_click=CustomerFormState.open_new,
            **shortcut(NEW_CUSTOMER),  # only who may create has the button, so only they have the key
        ),
    )


def customers_page() -> rx.Component:
    """Individuals, Institutions and Trash in one table with search and paging."""
    return layout(
        "Customers",
        rx.vstack(
            customer_toolbar(),
            recent_removals(),
            rx.box(customer_table(), id=RESULTS_ID, width="100%"),
            pagination(),
            customer_dialog(),
            row_delete_dialog(),
            bulk_delete_dialog(),
            purge_selected_dialog(),
            restore_removal_dialog(),
            export_dialog(),
            width="100%",
            spacing="3",
        ),
        header_actions=[quick_insert()],
    )


def customer_page() -> rx.Component:
    """One customer: header, actions and tabs."""
    return layout("", rx.vstack(customer_detail(), customer_dialog(), width="100%"), header_actions=[quick_insert()])
