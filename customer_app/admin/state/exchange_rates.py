"""The exchange rates section of the settings page: the base currency, each currency's latest rate (old ones
marked), an ECB file uploaded, a rate typed."""

import asyncio
from dataclasses import dataclass
from datetime import date

import reflex as rx

from customer_app.access.state.auth import actor_or_refusal
from customer_app.admin.state.settings_change import apply_change
from customer_app.commerce import ecb_files, rates
from customer_app.commerce.models import RATE_SOURCES
from customer_app.core.db import session_scope
from customer_app.core.permissions import Actor
from customer_app.errors import CustomerAppError

UPLOAD_ID = "ecb-rates-upload"
PERMISSION = "settings.manage"


@dataclass
class RateLine:
    """A currency's latest rate as listed."""

    currency: str = ""
    rate: str = ""
    day: str = ""
    source: str = ""
    age: str = ""
    stale: bool = False


def _line(latest: rates.LatestRate) -> RateLine:
    source = RATE_SOURCES.get(latest.source, latest.source)
    if latest.typed_by_name:
        source = f"{source} by {latest.typed_by_name}"
    age = "today" if latest.age_days <= 0 else f"{latest.age_days} days old"
    return RateLine(latest.currency, rates.plain(latest.rate), rates.day_label(latest.day), source, age, latest.stale)


def _upload(data: bytes, actor: Actor) -> rates.UploadResult:
    with session_scope() as session:
        return rates.upload_ecb(data, actor=actor, session=session)


class ExchangeRatesState(rx.State):
    """What one admin sees and changes of the exchange rates."""

    base_currency: str = ""
    latest: list[RateLine] = []
    errors: dict[str, str] = {}
    form_key: int = 0
    upload_error: str = ""

    async def _load(self):
        actor, _ = await actor_or_refusal(self, PERMISSION)  # the custom fields section sends the refusal
        if actor is None:
            self.latest, self.base_currency = [], ""
            return
        with session_scope() as session:
            self.base_currency = rates.base_currency(session=session)
            self.latest = [_line(r) for r in rates.latest_rates(actor=actor, session=session)]

    @rx.event
    async def on_load(self):
        """The base currency and the latest rates."""
        self.errors, self.upload_error = {}, ""
        await self._load()

    @rx.event
    async def set_base_currency(self, form: dict):
        """Keep the chosen base currency."""
        chosen = str(form.get("base_currency", ""))[:3]
        done, event = await apply_change(
            self, lambda actor, session: rates.set_base_currency(chosen, actor=actor, session=session)
        )
        return rx.toast.success(f"Base currency: {self.base_currency}.") if done else event

    @rx.event
    async def type_rate(self, form: dict):
        """Keep the typed rate (it replaces that day's rate of the currency)."""
        currency, rate = str(form.get("rate_currency", ""))[:3], str(form.get("per_euro", ""))[:40]
        typed_day = str(form.get("rate_day", ""))[:10] or date.today().isoformat()
        done, event = await apply_change(
            self, lambda actor, session: rates.type_rate(currency, typed_day, rate, actor=actor, session=session)
        )
        self.form_key += done
        return rx.toast.success(f"Rate for {currency.upper()} kept.") if done else event

    @rx.event
    async def upload_rates(self, files: list[rx.UploadFile]):
        """Add the rates of an uploaded ECB file; a bad file says why and changes nothing."""
        actor, refused = await actor_or_refusal(self, PERMISSION)
        if actor is None:
            return refused
        self.upload_error = ""
        if not files:
            return None
        data = await files[0].read(ecb_files.MAX_FILE_BYTES + 1)
        try:  # the whole ECB history takes a few seconds: in a thread, other tabs keep going
            result = await asyncio.to_thread(_upload, data, actor)
        except CustomerAppError as exc:
            self.upload_error = str(exc)
            return None
        await self._load()
        return rx.toast.success(result.message())
