"""Tabs with counts, the search box, the filters and the selection actions above the table."""

import reflex as rx

from customer_app import routes
from customer_app.access.state.auth import AuthState
from customer_app.customers.state.customer_form import CustomerFormState
from customer_app.customers.state.customer_list import CustomerListState as S
from customer_app.customers.views.list_filters import filter_bar
from customer_app.transfer.state.exporter import ExportState

RESULTS_ID = "customer-results"  # the table the tabs switch


def _tab(value: str, label: str) -> rx.Component:
    return rx.tabs.trigger(
        rx.hstack(
            rx.text(label), rx.badge(S.count_labels[value], variant="soft", radius="full"), align="center", spacing="2"
        ),
        value=value,
        aria_controls=RESULTS_ID,  # Radix points it at a tab panel this list does not have
    )


def customer_tabs() -> rx.Component:
    """Individuals / Institutions / Trash, each with its count for the current search and filters."""
    return rx.tabs.root(
        rx.tabs.list(_tab("individual", "Individuals"), _tab("institution", "Institutions"), _tab("trash", "Trash")),
        value=S.tab,
        on_change=S.set_tab,
    )


def search_box() -> rx.Component:
    """Debounced search over name, e-mail, phone and company.

    The box keeps what is typed (a search answered while the next key is pressed must not put back the text it was
    sent with), and starts afresh from the list's search when that comes from elsewhere: the address, Clear search.
    """
    return rx.input(
        rx.input.slot(rx.icon("search", size=16)),
        placeholder="Search name, e-mail, phone or company",
        aria_label="Search customers",
        default_value=S.search,
        key=S.search_box.to_string(),
        on_change=S.set_search.debounce(300),
        max_length=100,
        type="search",
        width=["100%", "100%", "360px"],
    )


def selection_bar() -> rx.Component:
    """Actions for the selected rows; shown only while something is selected."""
    in_trash = S.tab == "trash"
    return rx.cond(
        (S.selected.length() > 0) & AuthState.can_edit,
        rx.hstack(
            rx.text(S.selected.length().to_string() + " selected", weight="medium"),
            rx.cond(
                in_trash,
                rx.hstack(
                    rx.button(
                        rx.icon("undo-2", size=16), "Restore selected", variant="soft", on_click=S.restore_selected
                    ),
                    rx.cond(  # only admins delete for good: nothing brings a purged customer back
                        AuthState.is_admin,
                        rx.button(
                            rx.icon("trash-2", size=16),
                            "Delete selected permanently",
                            color_scheme="red",
                            variant="soft",
                            on_click=S.ask_purge_selected,
                        ),
                    ),
                ),
                rx.button(
                    rx.icon("trash-2", size=16),
                    "Delete selected",
                    color_scheme="red",
                    variant="soft",
                    on_click=S.open_bulk,
                ),
            ),
            align="center",
            spacing="3",
            class_name="selection-bar",
        ),
    )


def customer_toolbar() -> rx.Component:
    """Tabs on the left, search and New Customer on the right, then the filters and the selection actions."""
    return rx.vstack(
        rx.flex(
            customer_tabs(),
            rx.spacer(),
            search_box(),
            rx.cond(
                AuthState.is_admin,
                rx.hstack(
                    rx.link(rx.button(rx.icon("upload", size=16), "Import", variant="soft"), href=routes.IMPORT),
                    rx.button(rx.icon("download", size=16), "Export", variant="soft", on_click=ExportState.open_dialog),
                    spacing="2",
                ),
            ),
            rx.cond(
                AuthState.can_edit,
                rx.button(rx.icon("plus", size=16), "New Customer", on_click=CustomerFormState.open_new),
            ),
            spacing="3",
            align="center",
            wrap="wrap",
            width="100%",
        ),
        filter_bar(),
        selection_bar(),
        width="100%",
        spacing="2",
    )
