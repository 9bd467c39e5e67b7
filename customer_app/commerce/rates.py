"""Exchange rates: the rate between two currencies on a day (the latest known on or before it, crossed through the
euro as the ECB quotes every rate), whether it is stale, the company's base currency, and what admins add: an ECB
file uploaded or a rate typed.

A stored rate is how many units of a currency one euro bought that day. Rates are exact decimals; a cross rate keeps
RATE_DIGITS significant digits.
"""

import re
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal, localcontext

from sqlalchemy import func, insert
from sqlmodel import Session, col, select

from customer_app.commerce.ecb_files import EURO, parse_ecb
from customer_app.commerce.models import CommerceSettings, Document, ExchangeRate
from customer_app.core import audit
from customer_app.core.money import PRECISION, from_minor, is_currency, to_minor
from customer_app.core.permissions import Actor, require
from customer_app.errors import CustomerAppError, ValidationError

MAX_AGE_DAYS = 7  # an older rate is flagged on a draft before it is issued
RATE_DIGITS = 10
SETTINGS_ROW = 1
INSERT_BATCH = 5000
_TYPED_RATE = re.compile(r"[0-9]{1,9}([.,][0-9]{1,10})?")


@dataclass(frozen=True)
class Quote:
    """Units of `to` one unit of `frm` buys, from rates of `day` (the older leg's), and whether that is stale."""

    frm: str
    to: str
    rate: Decimal
    day: date
    age_days: int

    @property
    def stale(self) -> bool:
        """Older than MAX_AGE_DAYS before the day asked about."""
        return self.age_days > MAX_AGE_DAYS

    def label(self) -> str:
        """ "1 EUR = 1.1172 USD"."""
        return f"1 {self.frm} = {plain(self.rate)} {self.to}"


def plain(rate: Decimal) -> str:
    """A rate as people write it: no exponent, no trailing zeros."""
    return f"{rate.normalize():f}"


def day_label(day: date) -> str:
    """ "30 Oct 2026"."""
    return f"{day.day} {day:%b %Y}"


def significant(value: Decimal, digits: int = RATE_DIGITS) -> Decimal:
    """`value` rounded half-up to `digits` significant digits."""
    with localcontext(prec=PRECISION):
        return value.quantize(Decimal(1).scaleb(value.adjusted() - digits + 1), rounding=ROUND_HALF_UP)


def quote(frm: str, to: str, on: date, *, session: Session) -> Quote | None:
    """The rate from `frm` to `to` on `on` (None when either currency has no rate on or before it)."""
    if frm == to:
        return Quote(frm, to, Decimal(1), on, 0)
    frm_leg, to_leg = _per_euro(frm, on, session), _per_euro(to, on, session)
    if frm_leg is None or to_leg is None:
        return None
    (frm_rate, frm_day), (to_rate, to_day) = frm_leg, to_leg
    with localcontext(prec=PRECISION):
        rate = significant(to_rate / frm_rate)
    day = min(frm_day, to_day)
    return Quote(frm, to, rate, day, (on - day).days)


def _per_euro(currency: str, on: date, session: Session) -> tuple[Decimal, date] | None:
    """Units of `currency` per euro on the latest day on or before `on` that has one."""
    if currency == EURO:
        return Decimal(1), on
    query = (
        select(ExchangeRate)
        .where(col(ExchangeRate.currency) == currency, col(ExchangeRate.day) <= on)
        .order_by(col(ExchangeRate.day).desc())
        .limit(1)
    )
    found = session.exec(query).first()
    return (found.rate, found.day) if found else None


def missing_message(currency: str, on: date) -> str:
    """What to do when a currency has no rate at all on or before a day."""
    return f"There is no {currency} exchange rate on or before {day_label(on)}: add one in Settings (Exchange rates)."


def freeze(document: Document, on: date, *, session: Session) -> None:
    """Keep on the document its rate to the base currency on `on`, never to change again; refused when there is
    no rate at all (an old one is used: the draft said it was old)."""
    base = base_currency(session=session)
    found = quote(base, document.currency, on, session=session)
    if found is None:
        lacking = next(code for code in (document.currency, base) if _per_euro(code, on, session) is None)
        raise CustomerAppError(missing_message(lacking, on))
    document.base_currency, document.exchange_rate, document.exchange_rate_day = base, found.rate, found.day


def document_note(document: Document, *, session: Session, today: date | None = None) -> tuple[str, str]:
    """What the editor says of a document's rate to the base currency, and a warning (a draft's rate is old, or
    missing); nothing for a document in the base currency."""
    if document.status != "draft":
        if document.exchange_rate is None or document.currency == document.base_currency:
            return "", ""
        frozen = f"1 {document.base_currency} = {plain(document.exchange_rate)} {document.currency}"
        when = f" of {day_label(document.exchange_rate_day)}" if document.exchange_rate_day else ""
        return f"Exchange rate at issue: {frozen} (rate{when})", ""
    base, on = base_currency(session=session), today or date.today()
    if document.currency == base:
        return "", ""
    found = quote(base, document.currency, on, session=session)
    if found is None:
        lacking = next(code for code in (document.currency, base) if _per_euro(code, on, session) is None)
        return "", missing_message(lacking, on)
    warning = stale_note(found, document.currency) if found.stale else ""
    return f"Exchange rate: {found.label()}, from {day_label(found.day)}", warning


def currencies(*, session: Session) -> list[str]:
    """The currencies there are rates for, and the euro."""
    found = session.exec(select(ExchangeRate.currency).distinct()).all()
    return sorted({EURO, *found})


def suggest_payment(
    invoice_currency: str, balance_minor: int, currency: str, on: date, *, actor: Actor, session: Session
) -> tuple[str, str]:
    """For a payment in `currency` of an invoice in another: the table's rate on `on` (units of `currency` per unit
    of the invoice's) and the most that settles no more than the balance, as typed ("", "" without a rate)."""
    require(actor, "customer.edit")
    found = quote(invoice_currency, currency, on, session=session) if is_currency(currency) else None
    if found is None or not is_currency(invoice_currency):
        return "", ""
    amount = to_minor(from_minor(max(balance_minor, 0), invoice_currency) * found.rate, currency)
    while amount > 0 and to_minor(from_minor(amount, currency) / found.rate, invoice_currency) > balance_minor:
        amount -= 1  # rounding both ways may overshoot the balance by a minor unit
    return plain(found.rate), str(from_minor(amount, currency))


# --- the base currency ---------------------------------------------------------------------------------------------


def base_currency(*, session: Session) -> str:
    """The company's base currency (EUR until an admin chooses another)."""
    row = session.get(CommerceSettings, SETTINGS_ROW)
    return row.base_currency if row else EURO


def set_base_currency(code: str, *, actor: Actor, session: Session) -> str:
    """Choose the base currency; issued documents keep the rate to the one they were issued with."""
    require(actor, "settings.manage")
    chosen = (code or "").strip().upper()[:3]
    if not is_currency(chosen):
        raise ValidationError({"base_currency": "Choose a currency by its code, like EUR or USD."})
    if _per_euro(chosen, date.max, session) is None:
        raise ValidationError({"base_currency": f"There are no {chosen} rates: upload or type one first."})
    row = session.get(CommerceSettings, SETTINGS_ROW) or CommerceSettings(id=SETTINGS_ROW)
    before, row.base_currency = row.base_currency, chosen
    session.add(row)
    session.flush()
    _audit(actor, session, f"Base currency: {before} → {chosen}")
    return chosen


# --- the settings page ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class LatestRate:
    """A currency's latest rate, as the settings page lists it."""

    currency: str
    rate: Decimal
    day: date
    source: str
    typed_by_name: str
    age_days: int

    @property
    def stale(self) -> bool:
        return self.age_days > MAX_AGE_DAYS


def latest_rates(*, actor: Actor, session: Session, today: date | None = None) -> list[LatestRate]:
    """Each currency's latest rate per euro, by currency."""
    require(actor, "settings.manage")
    today = today or date.today()
    newest = (
        select(ExchangeRate.currency, func.max(ExchangeRate.day).label("day"))
        .group_by(col(ExchangeRate.currency))
        .subquery()
    )
    query = (
        select(ExchangeRate)
        .join(newest, (newest.c.currency == ExchangeRate.currency) & (newest.c.day == ExchangeRate.day))
        .order_by(col(ExchangeRate.currency))
    )
    return [
        LatestRate(r.currency, r.rate, r.day, r.source, r.typed_by_name, (today - r.day).days)
        for r in session.exec(query)
    ]


def type_rate(
    currency: str, day: date | str, rate_text: str, *, actor: Actor, session: Session, today: date | None = None
) -> ExchangeRate:
    """Keep a rate an admin typed (units of `currency` per euro on `day`); it replaces that day's rate."""
    require(actor, "settings.manage")
    errors, code = {}, (currency or "").strip().upper()[:3]
    if not is_currency(code) or code == EURO:
        errors["rate_currency"] = "Choose a currency by its code, like USD (a euro is always 1 euro)."
    chosen = _typed_day(day, today or date.today(), errors)
    rate = _typed_rate(rate_text, errors)
    if errors or chosen is None or rate is None:
        raise ValidationError(errors)
    row = _row(code, chosen, session) or ExchangeRate(currency=code, day=chosen, rate=rate)
    row.rate, row.source, row.typed_by_name = rate, "typed", actor.name[:200]
    session.add(row)
    session.flush()
    _audit(actor, session, f"Exchange rate typed: 1 EUR = {plain(rate)} {code} on {chosen.isoformat()}")
    return row


def _typed_day(value: date | str, today: date, errors: dict[str, str]) -> date | None:
    try:
        day = value if isinstance(value, date) else date.fromisoformat(str(value or "").strip()[:10])
    except ValueError:
        errors["rate_day"] = "Enter the day of the rate, like 2026-10-30."
        return None
    if day > today:
        errors["rate_day"] = "A rate is for a day that has come: the day cannot be in the future."
        return None
    return day


def parse_rate(text: object) -> Decimal | None:
    """A rate as typed ("1.1172" or "1,1172": no thousands marks, up to 10 places), None unless it is above zero."""
    typed = str(text or "").strip()
    rate = Decimal(typed.replace(",", ".")) if _TYPED_RATE.fullmatch(typed) else Decimal(0)
    return rate if rate > 0 else None


def _typed_rate(text: str, errors: dict[str, str]) -> Decimal | None:
    rate = parse_rate(text)
    if rate is None:
        errors["per_euro"] = "Enter how many units one euro buys, above zero, like 1.1172 (up to 10 decimal places)."
    return rate


def _row(currency: str, day: date, session: Session) -> ExchangeRate | None:
    where = (col(ExchangeRate.currency) == currency, col(ExchangeRate.day) == day)
    return session.exec(select(ExchangeRate).where(*where)).first()


def _audit(actor: Actor, session: Session, summary: str) -> None:
    audit.record(session, actor=actor, action="exchange_rates", entity_type="settings", summary=summary[:300])


# --- uploading an ECB file -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class UploadResult:
    """What an uploaded ECB file brought."""

    days: int
    added: int
    changed: int
    kept_typed: int

    def message(self) -> str:
        text = f"Read {self.days} days: {self.added} rates added, {self.changed} changed."
        return text + (f" {self.kept_typed} typed rates kept." if self.kept_typed else "")


def upload_ecb(data: bytes, *, actor: Actor, session: Session) -> UploadResult:
    """Add the rates of an ECB file (eurofxref-hist.csv, its zip, or the daily eurofxref.csv, or its zip); a typed
    rate for the same day stays. A file that does not read is refused whole, and nothing is written."""
    require(actor, "settings.manage")
    found = parse_ecb(data)
    first, last = min(day for _, day in found), max(day for _, day in found)
    where = (col(ExchangeRate.day) >= first, col(ExchangeRate.day) <= last)
    have = {(r.currency, r.day): r for r in session.exec(select(ExchangeRate).where(*where))}
    changed = kept = 0
    new = [
        {"currency": c, "day": d, "rate": r, "source": "upload", "typed_by_name": ""}
        for (c, d), r in found.items()
        if (c, d) not in have
    ]
    for start in range(0, len(new), INSERT_BATCH):  # in bulk: the whole history is 200,000 rates
        session.execute(insert(ExchangeRate), new[start : start + INSERT_BATCH])
    for key, rate in found.items():
        row = have.get(key)
        if row is None:
            continue
        if row.source == "typed":
            kept += 1
        elif row.rate != rate:
            row.rate, row.source = rate, "upload"
            session.add(row)
            changed += 1
    session.flush()
    result = UploadResult(len({day for _, day in found}), len(new), changed, kept)
    _audit(actor, session, f"Uploaded an ECB rates file, {first.isoformat()} to {last.isoformat()}: {result.message()}")
    return result


def stale_note(found: Quote, currency: str) -> str:
    """The warning on a draft whose rate is older than MAX_AGE_DAYS."""
    return (
        f"The {currency} rate is from {day_label(found.day)}, {found.age_days} days old: "
        "update rates in Settings before issuing."
    )
