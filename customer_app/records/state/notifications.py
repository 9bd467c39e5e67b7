"""The Notifications tab of the customer page: which kinds of e-mail the customer receives, one switch each."""

import reflex as rx
from sqlmodel import Session

from customer_app.core.permissions import Actor
from customer_app.customers.models import Customer
from customer_app.records import notifications
from customer_app.records.models import NOTIFICATION_TOPICS
from customer_app.records.state.record_tab import CustomerTabMixin


class CustomerNotificationsState(CustomerTabMixin, rx.State):
    """One customer's e-mail switches in one browser tab."""

    switches: list[dict[str, str]] = []

    def _load_for(self, customer: Customer, actor: Actor, session: Session) -> None:
        """Read which e-mails the customer gets."""
        self.customer_id = customer.id
        chosen = notifications.preferences(customer.id, actor=actor, session=session)
        self.switches = [
            {"topic": topic, "label": label, "on": "yes" if chosen[topic] else ""}
            for topic, label in NOTIFICATION_TOPICS.items()
        ]

    @rx.event
    async def set_switch(self, topic: str, enabled: bool):
        """Turn one kind of e-mail on or off for this customer."""
        _, event = await self._write(
            lambda actor, session: notifications.set_preference(
                self.customer_id, str(topic), bool(enabled), actor=actor, session=session
            ),
            errors=None,
        )
        return event
