"""Payments and refunds of a customer, allocated to issued invoices.

What an invoice has been paid, its balance and its payment status are derived from the allocations every time they
are read, never stored. A payment may be allocated to several invoices (each at most its balance); what is left
stays with the customer as credit. A refund returns money paid on one invoice: there are no credit notes made from
invoices yet, so a refund stands for "credited and refunded" and takes its amount off what was paid and off what is
owed alike (the balance does not grow again). Amounts are integer minor units: a payment's in its currency, an
allocation's in its invoice's; a payment in another currency keeps the rate it was made at, and each allocation what
it took of the payment.
What is read (balances, statuses, the lists) is in balances.py.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlmodel import Session, col, select

from customer_app.commerce import open_balances
from customer_app.commerce.balances import PAYABLE, invoice_balance, settlements
from customer_app.commerce.models import PAYMENT_KINDS, PAYMENT_METHODS, CustomerSales, Document, Payment
from customer_app.commerce.models import PaymentAllocation as Allocation
from customer_app.commerce.rates import parse_rate
from customer_app.core import audit
from customer_app.core.money import exponent, format_money, from_minor, is_currency, parse_decimal, to_minor
from customer_app.core.normalize import clean_text
from customer_app.core.permissions import Actor, require
from customer_app.customers.customers import get_customer
from customer_app.errors import CustomerAppError, NotFoundError, ValidationError

MAX_REFERENCE = 120
PAID_KINDS = ("invoice", "sales_receipt")  # a sales receipt is paid when it is issued
MAX_ALLOCATIONS = 50


@dataclass(frozen=True)
class _Checked:
    """A payment's fields once each has been read."""

    day: date | None
    method: str
    reference: str
    amount: int


def record_payment(
    customer_id: int,
    *,
    paid_on: date | str,
    method: str,
    amount_text: str,
    currency: str,
    reference: str = "",
    allocations: dict[int, str] | None = None,
    exchange_rate: str = "",
    actor: Actor,
    session: Session,
    today: date | None = None,
) -> Payment:
    """Record money received and allocate it to issued invoices of the customer; each bad field says why, and then
    nothing is stored. A payment in another currency than its invoices' needs `exchange_rate` (units of the payment's
    currency per unit of theirs); what it allocates is converted into their currency, rounded half-up."""
    require(actor, "customer.edit")
    customer = get_customer(customer_id, actor=actor, session=session)
    errors: dict[str, str] = {}
    wanted = _allocation_amounts(allocations or {}, errors)
    invoices = _payable(customer.id, list(wanted), session, errors)
    expected = _expected_currency(customer.id, invoices, session)
    rate = _rate(currency, expected, exchange_rate, errors) if not errors.get("allocations") else None
    checked = _fields((paid_on, method, reference, amount_text), currency, today, errors)
    parts = _parts(invoices, wanted, (currency, expected, rate), session, errors)
    if "amount" not in errors and sum(paid for paid, _ in parts.values()) > checked.amount:
        errors["allocations"] = "The amounts allocated add up to more than the payment."
    if errors:
        raise ValidationError(errors)
    payment = _store(customer.id, "payment", checked, currency, parts, actor=actor, session=session, rate=rate)
    numbers = ", ".join(str(document.number) for document in invoices)
    summary = f"Recorded a payment of {format_money(checked.amount, currency, 'en')}" + (
        f" for {numbers}" if numbers else " as credit"
    )
    _audit(
        actor, session, customer.id, "payment_add", summary + (f" at 1 {expected} = {rate} {currency}" if rate else "")
    )
    return payment


def _rate(currency: str, expected: str, typed: str, errors: dict[str, str]) -> Decimal | None:
    """The rate a payment in another currency than `expected` was made at (None for the same currency)."""
    if currency == expected:
        return None
    if not is_currency(currency):
        errors["currency"] = "Choose a currency by its code, like EUR or USD."
        return None
    rate = parse_rate(typed)
    if rate is None:
        errors["exchange_rate"] = (
            f"A payment in {currency} for {expected} needs its exchange rate: how many {currency} one {expected} "
            f"was, like 1.1172."
        )
        return None
    return rate


def record_refund(
    document_id: int,
    *,
    paid_on: date | str,
    method: str,
    amount_text: str,
    reference: str = "",
    actor: Actor,
    session: Session,
    today: date | None = None,
) -> Payment:
    """Return money paid on an invoice (in its currency), at most what it has been paid."""
    require(actor, "customer.edit")
    document = _invoice(document_id, actor, session)
    errors: dict[str, str] = {}
    checked = _fields((paid_on, method, reference, amount_text), document.currency, today, errors)
    paid = invoice_balance(document, settlements([document.id], session), today or date.today()).paid_minor
    if "amount" not in errors and checked.amount > paid:
        shown = format_money(paid, document.currency, "en")
        errors["amount"] = f"{document.number} has been paid {shown}: refund at most that."
    if errors:
        raise ValidationError(errors)
    parts = {document.id: (checked.amount, checked.amount)}
    refund = _store(document.customer_id, "refund", checked, document.currency, parts, actor=actor, session=session)
    summary = f"Refunded {format_money(checked.amount, document.currency, 'en')} on {document.number}"
    _audit(actor, session, document.customer_id, "payment_refund", summary)
    return refund


def _store(
    customer_id: int,
    kind: str,
    checked: _Checked,
    currency: str,
    parts: dict[int, tuple[int, int]],
    *,
    actor: Actor,
    session: Session,
    rate: Decimal | None = None,
) -> Payment:
    """The payment and its allocations; `parts` holds each invoice's (part of the payment, part in its currency)."""
    assert kind in PAYMENT_KINDS
    assert checked.day is not None  # a day that did not read is an error, and nothing is stored then
    payment = Payment(
        customer_id=customer_id,
        kind=kind,
        paid_on=checked.day,
        method=checked.method,
        amount_minor=checked.amount,
        currency=currency,
        reference=checked.reference,
        created_by_name=actor.name,
        exchange_rate=rate,
    )
    session.add(payment)
    session.flush()
    session.add_all(
        Allocation(
            payment_id=payment.id, document_id=d, amount_minor=converted, payment_amount_minor=paid if rate else None
        )
        for d, (paid, converted) in parts.items()
    )
    session.flush()
    open_balances.refresh(customer_id, session=session)
    return payment


def _fields(
    typed: tuple[date | str, str, str, str], currency: str, today: date | None, errors: dict[str, str]
) -> _Checked:
    """Read the (date, method, reference, amount) typed; what is wrong goes into `errors` by field."""
    paid_on, method, reference, amount_text = typed
    day = _day(paid_on, today or date.today(), errors)
    if method not in PAYMENT_METHODS:
        errors["method"] = "Choose how it was paid."
    text = clean_text(reference) or ""
    if len(text) > MAX_REFERENCE:
        errors["reference"] = f"Keep the reference under {MAX_REFERENCE} characters."
    amount = _minor(amount_text, currency, "Amount", "amount", errors)
    return _Checked(day, method, text, amount)


def _day(value: date | str, today: date, errors: dict[str, str]) -> date | None:
    try:
        day = value if isinstance(value, date) else date.fromisoformat(str(value or "").strip()[:10])
    except ValueError:
        errors["paid_on"] = "Enter the day it was paid, like 2026-03-31."
        return None
    if day > today:
        errors["paid_on"] = "A payment is recorded once it has been made: the day cannot be in the future."
        return None
    return day


def _minor(text: object, currency: str, label: str, key: str, errors: dict[str, str]) -> int:
    """A positive amount typed in `currency`, in minor units (0 with an error in `errors[key]` when it is not)."""
    if not is_currency(currency):
        errors.setdefault("currency", "Choose a currency such as EUR.")
        return 0
    try:
        minor = to_minor(parse_decimal(str(text or ""), field=label, max_places=exponent(currency)), currency)
    except ValueError as exc:
        errors[key] = str(exc)
        return 0
    if minor <= 0:
        errors[key] = f"{label}: enter an amount above zero."
        return 0
    return minor


def _allocation_amounts(allocations: dict, errors: dict[str, str]) -> dict[int, str]:
    """The allocations by invoice id (ids from a form arrive as text)."""
    if len(allocations) > MAX_ALLOCATIONS:
        errors["allocations"] = f"Allocate a payment to at most {MAX_ALLOCATIONS} invoices."
        return {}
    wanted: dict[int, str] = {}
    for key, text in allocations.items():
        try:
            wanted[int(key)] = str(text or "")
        except (TypeError, ValueError):
            errors["allocations"] = "Choose the invoices from the list."
    return wanted


def _payable(customer_id: int, ids: list[int], session: Session, errors: dict[str, str]) -> list[Document]:
    """The customer's issued invoices with these ids, locked until the payment is stored (no two payments both take
    the last of a balance); any other id is an error."""
    if not ids or errors.get("allocations"):
        return []
    query = select(Document).where(col(Document.id).in_(ids)).order_by(col(Document.id)).with_for_update()
    found = {document.id: document for document in session.exec(query)}
    for document_id in ids:
        document = found.get(document_id)
        if document is None or document.customer_id != customer_id or document.kind not in PAID_KINDS:
            errors["allocations"] = "Allocate a payment only to this customer's invoices."
            return []
        if document.status not in PAYABLE:
            errors["allocations"] = f"{document.number or 'A draft'} is not open for payment: only issued invoices are."
            return []
    invoices = [found[document_id] for document_id in ids]
    if len({document.currency for document in invoices}) > 1:
        errors["allocations"] = "Allocate one payment only to invoices in one currency."
        return []
    return invoices


def _expected_currency(customer_id: int, invoices: list[Document], session: Session) -> str:
    """The currency the payment must be in: its invoices', or (as credit) the customer's own."""
    if invoices:
        return invoices[0].currency
    sales = session.get(CustomerSales, customer_id)
    return sales.currency if sales else "EUR"


def _parts(
    invoices: list[Document],
    wanted: dict[int, str],
    currencies: tuple[str, str, Decimal | None],
    session: Session,
    errors: dict[str, str],
) -> dict[int, tuple[int, int]]:
    """Each invoice's part of the payment as typed (in the payment's currency) and in the invoice's currency, at most
    its balance."""
    if not invoices:
        return {}
    currency, expected, rate = currencies
    paid = settlements([document.id for document in invoices], session)
    parts: dict[int, tuple[int, int]] = {}
    for document in invoices:
        part = _minor(wanted[document.id], currency, f"Amount for {document.number}", "allocations", errors)
        converted = to_minor(from_minor(part, currency) / rate, expected) if rate and part else part
        balance = invoice_balance(document, paid, date.today()).balance_minor
        if converted > balance:
            shown = format_money(max(balance, 0), expected, "en")
            errors["allocations"] = f"{document.number} has {shown} left to pay: allocate at most that."
        parts[document.id] = (part, converted)
    return parts


def _invoice(document_id: int, actor: Actor, session: Session) -> Document:
    document = session.get(Document, document_id)
    if document is None or document.kind != "invoice":
        raise NotFoundError("This invoice does not exist any more.")
    get_customer(document.customer_id, actor=actor, session=session)
    if document.status not in PAYABLE:
        raise CustomerAppError("Only an issued invoice takes payments and refunds.")
    return document


def _audit(actor: Actor, session: Session, customer_id: int, action: str, summary: str) -> None:
    audit.record(session, actor=actor, action=action, entity_type="customer", entity_id=customer_id, summary=summary)
