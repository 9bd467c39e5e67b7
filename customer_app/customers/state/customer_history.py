"""The History section of the customer pop-up: that customer's audit events, loaded when opened."""

import reflex as rx

from customer_app.access.state.auth import actor_or_refusal
from customer_app.audit.queries import customer_history
from customer_app.audit.rows import AuditRow, audit_row
from customer_app.core.db import session_scope
from customer_app.ui.parsing import parse_ids


class CustomerHistoryState(rx.State):
    """The events of the customer whose pop-up asked last."""

    customer_id: int = 0
    rows: list[AuditRow] = []

    @rx.event
    async def load(self, customer_id: int):
        """Fetch the customer's history, newest first."""
        actor, refused = await actor_or_refusal(self, "customer.view")
        if actor is None:
            self.customer_id, self.rows = 0, []
            return refused
        wanted = (parse_ids(customer_id) or [0])[0]
        with session_scope() as session:
            self.rows = [audit_row(e) for e in customer_history(wanted, actor=actor, session=session)]
        self.customer_id = wanted
        return None
