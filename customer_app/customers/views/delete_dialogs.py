"""Confirmations before anything is deleted: one row, the selection, or everything matching."""

import reflex as rx

from customer_app.customers.state.customer_list import CustomerListState as S
from customer_app.ui.confirm_dialog import confirm_dialog


def row_delete_dialog() -> rx.Component:
    """Delete one customer (to Trash), or in Trash delete it for good."""
    in_trash = S.tab == "trash"
    return confirm_dialog(
        open_=S.confirm_id != "",
        title=rx.cond(in_trash, "Delete permanently?", "Delete customer?"),
        body=rx.cond(
            in_trash,
            rx.text(rx.text.strong(S.confirm_name), " will be deleted for good. This cannot be undone."),
            rx.text(rx.text.strong(S.confirm_name), " will be moved to Trash. You can restore it from there."),
        ),
        on_open_change=S.set_confirm_open,
        actions=[
            rx.button(rx.cond(in_trash, "Delete permanently", "Delete"), color_scheme="red", on_click=S.confirm_delete)
        ],
    )


def bulk_delete_dialog() -> rx.Component:
    """The three-way choice: Dismiss, the selected customers, or all that match."""
    return confirm_dialog(
        open_=S.bulk_open,
        title="Remove customers",
        body=rx.text(
            "Move the ",
            S.selected.length(),
            " selected customer(s) to Trash, or all ",
            S.range_total_label,
            " customers in this tab",
            rx.cond(S.search != "", rx.text.span(" matching “", S.search, "”"), ""),
            rx.cond(S.filtered, rx.text.span(" with ", S.filter_summary), ""),
            "? You can restore them from Trash.",
        ),
        on_open_change=S.set_confirm_open,
        cancel_label="Dismiss",
        actions=[
            rx.button("Remove customer(s)", color_scheme="red", variant="soft", on_click=S.remove_selected),
            rx.button("Remove all (", S.range_total_label, ")", color_scheme="red", on_click=S.remove_all),
        ],
    )


def purge_selected_dialog() -> rx.Component:
    """Delete the selected Trash rows for good."""
    return confirm_dialog(
        open_=S.purge_confirm,
        title="Delete permanently?",
        body=rx.text(S.selected.length(), " customer(s) will be deleted for good. This cannot be undone."),
        on_open_change=S.set_confirm_open,
        actions=[rx.button("Delete permanently", color_scheme="red", on_click=S.remove_selected)],
    )
