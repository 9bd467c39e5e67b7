"""Which tax rate a line gets: the rule for the customer's class, the item's class and the destination country, with
the rate valid on the day; none found is a warning on the draft, and a draft with one is not issued."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlmodel import Session, col, select

from customer_app.commerce.models import TaxClass, TaxRate, TaxRule
from customer_app.core import audit
from customer_app.core.countries import country_code
from customer_app.core.money import parse_decimal
from customer_app.core.normalize import clean_text
from customer_app.core.permissions import Actor, require
from customer_app.errors import NotFoundError, ValidationError

STANDARD = "standard"  # the class of customers and items nobody chose another for
MAX_NAME = 80


def standard_class(kind: str, *, session: Session) -> TaxClass | None:
    """The Standard class of customers or items."""
    where = (col(TaxClass.kind) == kind, col(TaxClass.code) == STANDARD)
    return session.exec(select(TaxClass).where(*where)).first()


def classes(kind: str, *, session: Session) -> list[TaxClass]:
    """The tax classes of customers or of items, by name."""
    return list(session.exec(select(TaxClass).where(col(TaxClass.kind) == kind).order_by(col(TaxClass.name))))


def resolve_rate(
    customer_class_id: int | None, item_class_id: int | None, country: str, on: date, *, session: Session
) -> TaxRate | None:
    """The rate for a line: the country's own rule first, else the rule for any country; None when no rule covers it
    or its rate is not valid on that day."""
    if customer_class_id is None or item_class_id is None:
        return None
    rules = session.exec(
        select(TaxRule).where(
            col(TaxRule.customer_class_id) == customer_class_id,
            col(TaxRule.item_class_id) == item_class_id,
            col(TaxRule.country).in_([country.upper(), ""]),
        )
    ).all()
    rule = next((r for r in rules if r.country), None) or next(iter(rules), None)
    rate = session.get(TaxRate, rule.rate_id) if rule else None
    if rate is None or rate.valid_from > on or (rate.valid_until is not None and rate.valid_until <= on):
        return None
    return rate


@dataclass(frozen=True)
class RuleRow:
    """One rule as the settings page lists it."""

    id: int
    customer_class: str
    item_class: str
    country: str
    rate: str


def rates(*, actor: Actor, session: Session) -> list[TaxRate]:
    """Every rate, newest first."""
    require(actor, "settings.manage")
    return list(session.exec(select(TaxRate).order_by(col(TaxRate.valid_from).desc(), col(TaxRate.id).desc())))


def rules(*, actor: Actor, session: Session) -> list[RuleRow]:
    """Every rule with its classes' and rate's names."""
    require(actor, "settings.manage")
    names = {c.id: c.name for c in session.exec(select(TaxClass))}
    by_rate = {r.id: r for r in session.exec(select(TaxRate))}
    found = session.exec(select(TaxRule).order_by(col(TaxRule.customer_class_id), col(TaxRule.item_class_id)))
    return [
        RuleRow(
            rule.id,
            names.get(rule.customer_class_id, "?"),
            names.get(rule.item_class_id, "?"),
            rule.country or "Any country",
            rate_label(by_rate.get(rule.rate_id)),
        )
        for rule in found
    ]


def add_rate(name: str, percent: str, valid_from: date, *, actor: Actor, session: Session) -> TaxRate:
    """A new rate (e.g. "VAT 19 %"), valid from a day."""
    require(actor, "settings.manage")
    errors, label = {}, clean_text(name) or ""
    if not label or len(label) > MAX_NAME:
        errors["rate_name"] = f"Name the rate in up to {MAX_NAME} characters."
    try:
        value = parse_decimal(percent, field="Percent", max_places=4)
        if not Decimal(0) <= value <= Decimal(100):
            errors["percent"] = "A rate is between 0 and 100 %."
    except ValueError as exc:
        errors["percent"], value = str(exc), Decimal(0)
    if errors:
        raise ValidationError(errors)
    rate = TaxRate(name=label, percent=value, valid_from=valid_from)
    session.add(rate)
    session.flush()
    _audit(actor, session, f"Tax rate {label} ({value.normalize()} %) from {valid_from.isoformat()}")
    return rate


def add_rule(
    customer_class_id: int, item_class_id: int, country: str, rate_id: int, *, actor: Actor, session: Session
) -> TaxRule:
    """A rule: customers of one class buying items of one class, delivered to a country (empty: any), pay a rate.
    A rule for the same classes and country is replaced."""
    require(actor, "settings.manage")
    customer_class, item_class = session.get(TaxClass, customer_class_id), session.get(TaxClass, item_class_id)
    written = (country or "").strip()
    code = (country_code(written) or "") if written else ""  # empty: any country
    errors = {}
    if customer_class is None or customer_class.kind != "customer":
        errors["customer_class"] = "Choose a class of customers."
    if item_class is None or item_class.kind != "item":
        errors["item_class"] = "Choose a class of items."
    if written and not code:
        errors["country"] = "Choose a country, or any country."
    if session.get(TaxRate, rate_id) is None:
        errors["rate"] = "Choose a rate."
    if errors or customer_class is None or item_class is None:
        raise ValidationError(errors)
    where = (
        col(TaxRule.customer_class_id) == customer_class_id,
        col(TaxRule.item_class_id) == item_class_id,
        col(TaxRule.country) == code,
    )
    rule = session.exec(select(TaxRule).where(*where)).first() or TaxRule(
        customer_class_id=customer_class_id, item_class_id=item_class_id, country=code, rate_id=rate_id
    )
    rule.rate_id = rate_id
    session.add(rule)
    session.flush()
    _audit(actor, session, f"Tax rule: {customer_class.name} × {item_class.name} × {code or 'any country'}")
    return rule


def remove_rule(rule_id: int, *, actor: Actor, session: Session) -> None:
    """Remove a rule (issued documents keep the rates they were issued with)."""
    require(actor, "settings.manage")
    rule = session.get(TaxRule, rule_id)
    if rule is None:
        raise NotFoundError("This rule does not exist any more.")
    session.delete(rule)
    _audit(actor, session, "Tax rule removed")


def rate_label(rate: TaxRate | None) -> str:
    """A rate's name with its percentage, once."""
    if rate is None:
        return "?"
    percent = f"{rate.percent.normalize()} %"
    return rate.name if percent in rate.name else f"{rate.name} ({percent})"  # "VAT 19 %" is not told twice


def _audit(actor: Actor, session: Session, summary: str) -> None:
    audit.record(session, actor=actor, action="tax_settings", entity_type="settings", summary=summary[:300])
