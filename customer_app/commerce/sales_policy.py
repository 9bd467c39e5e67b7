"""The company's choices for new documents: tax rounded per line or once per rate, prices with or without tax, and
whether a customer's currency is locked once documents have been issued for them."""

from dataclasses import dataclass

from sqlmodel import Session

from customer_app.commerce.models import CommerceSettings
from customer_app.commerce.rates import SETTINGS_ROW
from customer_app.core import audit
from customer_app.core.permissions import Actor, require


@dataclass(frozen=True)
class SalesPolicy:
    """What new documents take, and whether currencies are locked."""

    round_per_line: bool = False
    prices_include_tax: bool = False
    lock_currency: bool = False


def policy(*, session: Session) -> SalesPolicy:
    """The company's choices (the defaults until an admin changes them)."""
    row = session.get(CommerceSettings, SETTINGS_ROW)
    if row is None:
        return SalesPolicy()
    return SalesPolicy(row.round_per_line, row.prices_include_tax, row.lock_currency)


def save_policy(chosen: SalesPolicy, *, actor: Actor, session: Session) -> SalesPolicy:
    """Keep the company's choices; documents already started keep what they were started with."""
    require(actor, "settings.manage")
    row = session.get(CommerceSettings, SETTINGS_ROW) or CommerceSettings(id=SETTINGS_ROW)
    before = policy(session=session)
    row.round_per_line, row.prices_include_tax, row.lock_currency = (
        bool(chosen.round_per_line),
        bool(chosen.prices_include_tax),
        bool(chosen.lock_currency),
    )
    session.add(row)
    session.flush()
    after = policy(session=session)
    audit.record(
        session,
        actor=actor,
        action="sales_policy",
        entity_type="settings",
        summary="Rules for new documents changed",
        changes=audit.field_changes(vars(before), vars(after)),
    )
    return after
