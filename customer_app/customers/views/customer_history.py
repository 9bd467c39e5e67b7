"""The collapsible History section of the customer pop-up."""

import reflex as rx

from customer_app.customers.state.customer_form import CustomerFormState as F
from customer_app.customers.state.customer_history import CustomerHistoryState as H
from customer_app.ui.change_list import change_list


def history_event(row: rx.Var) -> rx.Component:
    """One audit event of a customer: when, who, what, and each changed field (the pop-up and the Overview)."""
    return rx.el.li(
        rx.hstack(
            rx.text(row.when, size="1", class_name="muted nowrap"),
            rx.text(row.who, size="1", weight="medium", class_name="truncate", title=row.who_email),
            rx.badge(row.action, variant="soft", color_scheme="gray", size="1"),
            spacing="2",
            align="center",
            wrap="wrap",
        ),
        rx.cond(row.changes.length() > 0, change_list(row.changes), rx.text(row.what, size="1", class_name="muted")),
        class_name="history-event",
    )


def _events() -> rx.Component:
    return rx.cond(
        H.customer_id == F.customer_id,
        rx.cond(
            H.rows.length() > 0,
            rx.el.ol(rx.foreach(H.rows, history_event), class_name="history-list", aria_label="Changes, newest first"),
            rx.text("Nothing recorded for this customer yet.", size="2", class_name="muted"),
        ),
        rx.hstack(rx.spinner(size="1"), rx.text("Loading history…", size="2", class_name="muted"), align="center"),
    )


def history_panel() -> rx.Component:
    """Who changed what and when; loaded from the server each time it is opened."""
    return rx.el.details(
        rx.el.summary(
            rx.icon("chevron-right", size=14, class_name="history-chevron"),
            "History",
            class_name="history-summary",
            on_click=H.load(F.customer_id),
        ),
        rx.box(_events(), class_name="history-body"),
        class_name="history field-wide",
        data_testid="customer-history",
    )
