"""The Overview tab: key facts, how many records each tab holds, and the recent history."""

import reflex as rx

from customer_app.customer_page.state.overview import CustomerOverviewState as V
from customer_app.customers.views.customer_history import history_event
from customer_app.records.state.tickets import CustomerTicketsState as T


def _fact(fact: rx.Var) -> rx.Component:
    return rx.fragment(rx.el.dt(fact[0], class_name="muted"), rx.el.dd(fact[1], class_name="wrap-anywhere"))


def _count(value: rx.Var, label: str) -> rx.Component:
    return rx.badge(value.to_string() + " " + label, variant="soft", color_scheme="gray")


def _facts() -> rx.Component:
    return rx.card(
        rx.heading("Key facts", size="3", margin_bottom="8px"),
        rx.cond(
            V.facts.length() > 0,
            rx.el.dl(rx.foreach(V.facts, _fact), class_name="fact-list"),
            rx.text("Nothing more is recorded yet.", class_name="muted"),
        ),
        rx.hstack(
            _count(V.contacts, "contacts"),
            _count(V.addresses, "addresses"),
            _count(V.notes, "notes"),
            _count(V.upcoming, "upcoming activities"),
            _count(V.tickets[T.status_filter], "tickets shown"),  # as the Tickets tab is filtered
            spacing="2",
            wrap="wrap",
            margin_top="12px",
            aria_label="Counts per tab",
        ),
        flex="1",
        min_width="280px",
    )


def overview_tab() -> rx.Component:
    """What matters about the customer at a glance."""
    return rx.flex(
        _facts(),
        rx.card(
            rx.heading("Recent history", size="3", margin_bottom="8px"),
            rx.cond(
                V.history.length() > 0,
                rx.el.ol(rx.foreach(V.history, history_event), class_name="history-list"),
                rx.text("Nothing recorded yet.", class_name="muted"),
            ),
            flex="1",
            min_width="280px",
        ),
        spacing="4",
        wrap="wrap",
        width="100%",
    )
