"""The Notifications tab: one switch per kind of e-mail the customer may receive."""

import reflex as rx

from customer_app.access.state.auth import AuthState
from customer_app.records.state.notifications import CustomerNotificationsState as M


def _switch(switch: rx.Var) -> rx.Component:
    return rx.el.label(
        rx.switch(
            checked=switch["on"] != "",
            on_change=lambda on: M.set_switch(switch["topic"], on),
            disabled=~AuthState.can_edit,
        ),
        rx.text(switch["label"]),
        class_name="checkbox-label",
    )


def notifications_tab() -> rx.Component:
    """Which e-mails this customer receives."""
    return rx.vstack(
        rx.text(
            "Which e-mails this customer receives. Newsletters need the customer's consent, so they start off.",
            class_name="muted",
        ),
        rx.foreach(M.switches, _switch),
        spacing="3",
    )
