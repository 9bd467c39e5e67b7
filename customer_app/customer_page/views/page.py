"""The customer page: the header with the main actions, then the tabs of the registry."""

import reflex as rx

from customer_app import routes
from customer_app.customer_page.state.page import CustomerDetailState as S
from customer_app.customer_page.state.tabs import TABS
from customer_app.customer_page.views.header import STEP_KEYS, delete_dialog, header
from customer_app.customer_page.views.tabs import VIEWS


def _tabs() -> rx.Component:
    return rx.tabs.root(
        rx.tabs.list(*[rx.tabs.trigger(tab.label, value=tab.key) for tab in TABS]),
        *[rx.tabs.content(VIEWS[tab.key](), value=tab.key, padding_top="16px") for tab in TABS],
        value=S.tab,
        on_change=S.set_tab,
        width="100%",
    )


def _missing() -> rx.Component:
    return rx.callout.root(
        rx.callout.icon(rx.icon("search-x")),
        rx.callout.text(
            "This customer does not exist or is in Trash. ",
            rx.link("Back to customers", href=routes.CUSTOMERS),
        ),
        color_scheme="amber",
        role="alert",
        max_width="640px",
    )


def customer_detail() -> rx.Component:
    """Everything the workspace knows about one customer."""
    found = rx.vstack(
        rx.link(rx.hstack(rx.icon("arrow-left", size=14), "Customers", align="center"), href=S.list_address, size="2"),
        header(),
        _tabs(),
        delete_dialog(),
        rx.script(STEP_KEYS),
        spacing="4",
        width="100%",
    )
    return rx.match(
        S.status,
        ("ok", found),
        ("missing", _missing()),
        rx.center(rx.spinner(size="3"), padding="48px", aria_label="Loading"),
    )
