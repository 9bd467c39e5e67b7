"""The taxes section of the settings page: rates with the day they start, and rules that pick a rate."""

from dataclasses import dataclass
from datetime import date

import reflex as rx

from customer_app.access.state.auth import actor_or_refusal
from customer_app.admin.state.settings_change import apply_change
from customer_app.commerce import taxes
from customer_app.core.db import session_scope
from customer_app.ui.parsing import day, parse_ids


@dataclass
class Choice:
    """A class or rate to choose in a drop-down."""

    id: str = ""
    label: str = ""


@dataclass
class RuleLine:
    """One rule as listed."""

    id: str = ""
    customer_class: str = ""
    item_class: str = ""
    country: str = ""
    rate: str = ""


class TaxSettingsState(rx.State):
    """What one admin sees and edits of the tax rates and rules."""

    rates: list[Choice] = []
    rules: list[RuleLine] = []
    customer_classes: list[Choice] = []
    item_classes: list[Choice] = []
    errors: dict[str, str] = {}
    form_key: int = 0

    async def _load(self):
        actor, _ = await actor_or_refusal(self, "settings.manage")  # the custom fields section sends the refusal
        if actor is None:
            self.rates, self.rules = [], []
            return
        with session_scope() as session:
            found = taxes.rates(actor=actor, session=session)
            self.rates = [Choice(str(r.id), f"{taxes.rate_label(r)} from {r.valid_from}") for r in found]
            self.rules = [
                RuleLine(str(r.id), r.customer_class, r.item_class, r.country, r.rate)
                for r in taxes.rules(actor=actor, session=session)
            ]
            self.customer_classes = [Choice(str(c.id), c.name) for c in taxes.classes("customer", session=session)]
            self.item_classes = [Choice(str(c.id), c.name) for c in taxes.classes("item", session=session)]

    @rx.event
    async def on_load(self):
        """Rates and rules."""
        self.errors = {}
        await self._load()

    @rx.event
    async def add_rate(self, form: dict):
        """Add the typed rate."""
        name, percent = str(form.get("rate_name", "")), str(form.get("percent", ""))
        starts = day(str(form.get("valid_from", ""))) or date.today()
        done, event = await apply_change(
            self, lambda actor, session: taxes.add_rate(name, percent, starts, actor=actor, session=session)
        )
        self.form_key += done
        return event

    @rx.event
    async def add_rule(self, form: dict):
        """Add (or replace) the chosen rule."""
        ids = [(parse_ids(form.get(key, "")) or [0])[0] for key in ("customer_class", "item_class", "rate")]
        country = str(form.get("country", ""))[:60]
        done, event = await apply_change(
            self,
            lambda actor, session: taxes.add_rule(ids[0], ids[1], country, ids[2], actor=actor, session=session),
        )
        self.form_key += done
        return event

    @rx.event
    async def remove_rule(self, rule_id: str):
        """Remove one rule."""
        chosen = (parse_ids(rule_id) or [0])[0]
        _, event = await apply_change(
            self, lambda actor, session: taxes.remove_rule(chosen, actor=actor, session=session)
        )
        return event
