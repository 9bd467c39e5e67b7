"""The sales documents section of the settings page: how new documents round tax and read prices, and whether a
customer's currency is locked once documents were issued for them."""

import reflex as rx

from customer_app.access.state.auth import actor_or_refusal
from customer_app.admin.state.settings_change import apply_change
from customer_app.commerce import sales_policy
from customer_app.core.db import session_scope

CHOICES = ("round_per_line", "prices_include_tax", "lock_currency")


class SalesPolicyState(rx.State):
    """What one admin sees and changes of the rules for new documents."""

    round_per_line: bool = False
    prices_include_tax: bool = False
    lock_currency: bool = False
    errors: dict[str, str] = {}
    form_key: int = 0

    async def _load(self):
        actor, _ = await actor_or_refusal(self, "settings.manage")  # the custom fields section sends the refusal
        if actor is None:
            return
        with session_scope() as session:
            found = sales_policy.policy(session=session)
        self.round_per_line, self.prices_include_tax = found.round_per_line, found.prices_include_tax
        self.lock_currency = found.lock_currency
        self.form_key += 1

    @rx.event
    async def on_load(self):
        """The company's choices."""
        await self._load()

    @rx.event
    async def save(self, form: dict):
        """Keep the ticked choices (a box the browser leaves out is unticked)."""
        chosen = sales_policy.SalesPolicy(*(str(form.get(name, "")) == "on" for name in CHOICES))
        done, event = await apply_change(
            self, lambda actor, session: sales_policy.save_policy(chosen, actor=actor, session=session)
        )
        return rx.toast.success("Rules for new documents saved.") if done else event
