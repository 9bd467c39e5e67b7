"""Which tax rate a line gets: the rule for the customer's class, the item's class and the destination country, with
the rate valid on the day; none found is a warning on the draft, and a draft with one is not issued."""

from datetime import date

from sqlmodel import Session, col, select

from customer_app.commerce.models import TaxClass, TaxRate, TaxRule

STANDARD = "standard"  # the class of customers and items nobody chose another for


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
