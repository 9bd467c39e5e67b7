"""The customers table: one page of rows with sorting, selection and row actions."""

import reflex as rx

from customer_app import routes
from customer_app.access.state.auth import AuthState
from customer_app.customers import list_extras
from customer_app.customers.state.customer_form import CustomerFormState
from customer_app.customers.state.customer_list import CustomerListState as S
from customer_app.ui.avatar import avatar

COLUMNS = (("name", "Name"), ("email", "Email"), ("phone", "Phone"), ("company", "Company"))


def _sort_header(key: str, label: str) -> rx.Component:
    arrow = rx.cond(S.sort == key, rx.cond(S.direction == "asc", "arrow-up", "arrow-down"), "arrow-up-down")
    icon = rx.match(
        arrow,
        ("arrow-up", rx.icon("arrow-up", size=14)),
        ("arrow-down", rx.icon("arrow-down", size=14)),
        rx.icon("arrow-up-down", size=14, opacity="0.4"),
    )
    return rx.table.column_header_cell(
        rx.button(
            label, icon, variant="ghost", size="1", color_scheme="gray", high_contrast=True, on_click=S.toggle_sort(key)
        ),
        aria_sort=rx.cond(S.sort == key, rx.cond(S.direction == "asc", "ascending", "descending"), "none"),
    )


def _header() -> rx.Component:
    return rx.table.header(
        rx.table.row(
            rx.table.column_header_cell(
                rx.checkbox(
                    checked=S.all_on_page_selected, on_change=S.toggle_page_selected, aria_label="Select all on page"
                )
            ),
            rx.table.column_header_cell(""),
            *[_sort_header(key, label) for key, label in COLUMNS],
            *[rx.table.column_header_cell(column.label) for column in list_extras.columns()],
            rx.cond(S.tab == "trash", _sort_header("deleted", "Deleted"), _sort_header("created", "Created")),
            rx.table.column_header_cell(rx.text("Actions", class_name="sr-only")),
        )
    )


def _actions(row: rx.Var) -> rx.Component:
    return rx.cond(
        ~AuthState.can_edit,
        rx.fragment(),
        rx.cond(
            S.tab == "trash",
            rx.hstack(
                rx.icon_button(
                    rx.icon("undo-2", size=16),
                    variant="ghost",
                    aria_label="Restore",
                    title="Restore",
                    on_click=S.restore([row["id"]]),
                ),
                rx.cond(
                    AuthState.is_admin,
                    rx.icon_button(
                        rx.icon("trash-2", size=16),
                        variant="ghost",
                        color_scheme="red",
                        aria_label="Delete permanently",
                        title="Delete permanently",
                        on_click=S.ask_delete(row["id"], row["name"]),
                    ),
                ),
                spacing="1",
            ),
            rx.hstack(
                rx.icon_button(
                    rx.icon("pencil", size=16),
                    variant="ghost",
                    aria_label="Edit",
                    title="Edit",
                    on_click=CustomerFormState.open_edit(row["id"]),
                ),
                rx.icon_button(
                    rx.icon("trash-2", size=16),
                    variant="ghost",
                    color_scheme="red",
                    aria_label="Delete",
                    title="Delete",
                    on_click=S.ask_delete(row["id"], row["name"]),
                ),
                spacing="1",
            ),
        ),
    )


def _row(row: rx.Var) -> rx.Component:
    return rx.table.row(
        rx.table.cell(
            rx.checkbox(
                checked=S.selected.contains(row["id"]),
                on_change=S.toggle_selected(row["id"]),
                aria_label="Select " + row["name"],
            )
        ),
        rx.table.cell(avatar(row["thumb"], row["initials"])),
        rx.table.cell(
            rx.cond(
                S.tab == "trash",
                rx.text(row["name"], weight="medium", class_name="truncate", title=row["name"]),
                rx.link(
                    row["name"],
                    href=routes.customer(row["id"]),
                    weight="medium",
                    class_name="truncate",
                    title=row["name"],
                ),
            )
        ),
        rx.table.cell(rx.text(row["email"], class_name="truncate", title=row["email"])),
        rx.table.cell(rx.text(row["phone"], class_name="nowrap")),
        rx.table.cell(rx.text(row["company"], class_name="truncate", title=row["company"])),
        *[rx.table.cell(rx.text(row[column.key], class_name="nowrap")) for column in list_extras.columns()],
        rx.table.cell(rx.text(rx.cond(S.tab == "trash", row["deleted"], row["created"]), class_name="nowrap")),
        rx.table.cell(_actions(row)),
        align="center",
        data_testid="customer-row",
    )


def _empty_state() -> rx.Component:
    searched = rx.cond(S.search != "", rx.text.span(" and the search “", S.search, "”"), "")
    message = rx.cond(
        S.filtered,
        rx.text("No customers in this tab match the filters (", S.filter_summary, ")", searched, "."),
        rx.cond(
            S.search != "",
            rx.text("No customers match “", S.search, "” in this tab."),
            rx.match(
                S.tab,
                ("trash", rx.text("Trash is empty. Deleted customers wait here until you restore them.")),
                ("institution", rx.text("No institutions yet. Add the companies and agencies you work with.")),
                rx.text("No individuals yet. Add the people you do business with."),
            ),
        ),
    )
    clear_search = rx.button("Clear search", variant="soft", on_click=S.clear_search)
    action = rx.cond(
        S.filtered,
        rx.hstack(
            rx.button("Clear filters", variant="soft", on_click=S.clear_filters),
            rx.cond(S.search != "", clear_search),
            spacing="2",
        ),
        rx.cond(
            S.search != "",
            clear_search,
            rx.cond(
                (S.tab != "trash") & AuthState.can_edit,
                rx.button(rx.icon("plus", size=16), "New Customer", on_click=CustomerFormState.open_new),
            ),
        ),
    )
    return rx.center(
        rx.vstack(rx.icon("inbox", size=36, opacity="0.4"), message, action, align="center"),
        padding="48px",
        class_name="empty-state",
    )


def customer_table() -> rx.Component:
    """The current page of rows, or a helpful empty state; `data-search` tells which search they answer."""
    return rx.box(
        rx.cond(
            S.rows.length() > 0,
            rx.box(
                rx.table.root(
                    _header(),
                    rx.table.body(rx.foreach(S.rows, _row)),
                    variant="surface",
                    size="1",
                    class_name="customer-table",
                    aria_label="Customers",
                ),
                overflow_x="auto",
                width="100%",
            ),
            rx.cond(S.loaded, _empty_state(), rx.center(rx.spinner(size="3"), padding="48px")),
        ),
        data_search=S.search,
        data_tab=S.tab,
        data_loaded=S.loaded.to_string(),
        width="100%",
        class_name="results",
    )
