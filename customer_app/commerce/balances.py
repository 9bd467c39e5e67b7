"""What customers owe: each issued invoice's paid amount, balance and payment status, derived from the allocations of
payments and refunds and from the credit notes issued for it whenever they are read (never stored), the customer's
balance per currency, and the payments.

Balances are never added up across currencies: a balance is a {currency: minor units} map.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import and_, func, not_
from sqlalchemy.orm import aliased
from sqlmodel import Session, col, select

from customer_app.commerce.models import CustomerSales, Document, Payment
from customer_app.commerce.models import PaymentAllocation as Allocation
from customer_app.core.permissions import Actor, require
from customer_app.customers.customers import get_customer
from customer_app.errors import NotFoundError

PAYABLE = ("issued", "sent")  # invoices that take payments; drafts do not, cancelled ones no more
PAYMENT_STATUSES = {
    "open": "Open",
    "partially_paid": "Partially paid",
    "paid": "Paid",
    "overdue": "Overdue",
    "refunded": "Refunded",
    "credited": "Credited",
    "cancelled": "Cancelled",
}
FILTERS = {"open": "Open", "paid": "Paid", "refunded": "Refunded", "all": "All"}
# Settled invoices are Paid or, when credit notes took back what was owed, Credited; both are under "Paid".
_IN_FILTER = {"open": ("open", "partially_paid", "overdue"), "paid": ("paid", "credited"), "refunded": ("refunded",)}
SHOWN = 200
CREDITING = ("issued", "sent")  # credit notes that take something off an invoice (not drafts)

# (payments allocated, refunds allocated, credit notes issued for it) in minor units, by invoice id
Settlements = dict[int, tuple[int, int, int]]


@dataclass(frozen=True)
class InvoiceBalance:
    """An issued invoice with what it has been paid (net of refunds), refunded, what is left, and its status."""

    document: Document
    paid_minor: int
    refunded_minor: int
    balance_minor: int
    status: str


@dataclass(frozen=True)
class PaymentEntry:
    """A payment or refund with the invoices it went to (numbers) and what is left of it as credit."""

    payment: Payment
    invoices: list[str] = field(default_factory=list)
    unallocated_minor: int = 0


def payment_status(
    document: Document, paid_minor: int, today: date, refunded_minor: int = 0, credited_minor: int = 0
) -> str:
    """The invoice's payment status from what it has been paid (net of refunds), refunded and credited, on `today`.

    Overdue: something is left to pay after the due date. Refunded: everything paid went back (a refund also takes
    its amount off what is owed, standing in for a credit note). Credited: credit notes took back what was not paid.
    """
    if document.status == "cancelled":
        return "cancelled"
    balance = document.gross_minor - credited_minor - paid_minor - refunded_minor
    if balance <= 0:
        if refunded_minor > 0 and paid_minor <= 0:
            return "refunded"
        return "credited" if credited_minor > 0 and paid_minor <= 0 else "paid"
    if document.due_date is not None and document.due_date < today:
        return "overdue"
    return "partially_paid" if paid_minor > 0 else "open"


def settlements(document_ids: list[int], session: Session) -> Settlements:
    """What was allocated to each invoice, payments and refunds apart, in one query."""
    if not document_ids:
        return {}
    query = (
        select(Allocation.document_id, Payment.kind, func.sum(Allocation.amount_minor))
        .join(Payment, col(Payment.id) == col(Allocation.payment_id))
        .where(col(Allocation.document_id).in_(document_ids))
        .group_by(col(Allocation.document_id), col(Payment.kind))
    )
    found: dict[int, list[int]] = defaultdict(lambda: [0, 0, 0])
    for document_id, kind, total in session.exec(query):
        found[document_id][kind == "refund"] += int(total or 0)
    credits = (
        select(Document.source_id, func.sum(Document.gross_minor))
        .where(col(Document.source_id).in_(document_ids), col(Document.kind) == "credit_note")
        .where(col(Document.status).in_(CREDITING))
        .group_by(col(Document.source_id))
    )
    for document_id, total in session.exec(credits):
        if document_id is not None:
            found[document_id][2] -= int(total or 0)  # a credit note's total is negative
    return {
        document_id: (received, refunded, credited) for document_id, (received, refunded, credited) in found.items()
    }


def invoice_balance(document: Document, paid: Settlements, today: date) -> InvoiceBalance:
    """One invoice's figures from its settlements."""
    received, refunded, credited = paid.get(document.id, (0, 0, 0))
    net = received - refunded
    left = document.gross_minor - credited - received  # below 0: the customer is owed money back
    # A refund first pays back what credit notes made owed; beyond that it stands in for a credit note itself.
    balance = 0 if document.status == "cancelled" else left + min(refunded, max(0, -left))
    return InvoiceBalance(document, net, refunded, balance, payment_status(document, net, today, refunded, credited))


def balance_of(document_id: int, *, actor: Actor, session: Session, today: date | None = None) -> InvoiceBalance:
    """One issued invoice's paid amount, balance and status."""
    require(actor, "customer.view")
    document = session.get(Document, document_id)
    if document is None or document.kind != "invoice" or document.status == "draft":
        raise NotFoundError("This invoice does not exist any more.")
    get_customer(document.customer_id, actor=actor, session=session)
    return invoice_balance(document, settlements([document.id], session), today or date.today())


def balances(customer_id: int, *, actor: Actor, session: Session, today: date | None = None) -> list[InvoiceBalance]:
    """Every issued invoice of the customer with its figures, newest first."""
    require(actor, "customer.view")
    customer = get_customer(customer_id, actor=actor, session=session)
    return _figures(list(session.exec(_issued_invoices(customer.id))), session, today)


def invoices(
    customer_id: int, chosen: str = "open", *, actor: Actor, session: Session, today: date | None = None
) -> list[InvoiceBalance]:
    """The customer's invoices in the filter (open, paid, refunded or all), each with its figures (the newest SHOWN).

    The filter is applied in SQL before the limit, so a customer with thousands of invoices reads only those shown;
    each row's status is then derived as everywhere, and the filter checked again on it.
    """
    require(actor, "customer.view")
    customer = get_customer(customer_id, actor=actor, session=session)
    query = _issued_invoices(customer.id)
    if chosen in _IN_FILTER:
        query = query.where(_in_filter(chosen))
    rows = _figures(list(session.exec(query.limit(SHOWN))), session, today)
    return [row for row in rows if chosen not in _IN_FILTER or row.status in _IN_FILTER[chosen]]


def _issued_invoices(customer_id: int):
    """The customer's issued invoices (cancelled ones included), newest first."""
    return (
        select(Document)
        .where(col(Document.customer_id) == customer_id, col(Document.kind) == "invoice")
        .where(col(Document.status) != "draft")
        .order_by(col(Document.issue_date).desc(), col(Document.id).desc())
    )


def _figures(documents: list[Document], session: Session, today: date | None) -> list[InvoiceBalance]:
    paid = settlements([document.id for document in documents], session)
    return [invoice_balance(document, paid, today or date.today()) for document in documents]


def _allocated(kind: str):
    """What payments (or refunds) allocated to the invoice of the outer query add up to, in SQL."""
    return (
        select(func.coalesce(func.sum(Allocation.amount_minor), 0))
        .join(Payment, col(Payment.id) == col(Allocation.payment_id))
        .where(col(Allocation.document_id) == col(Document.id), col(Payment.kind) == kind)
        .scalar_subquery()
    )


def credited() -> object:
    """What issued credit notes took back from the invoice of the outer query (a positive amount), in SQL."""
    credit = aliased(Document)
    return (
        select(func.coalesce(-func.sum(credit.gross_minor), 0))
        .where(credit.source_id == Document.id, credit.kind == "credit_note", col(credit.status).in_(CREDITING))
        .scalar_subquery()
    )


def _in_filter(chosen: str):
    """payment_status's groups as a SQL condition: open (something left to pay), paid, or refunded."""
    received, refunded = _allocated("payment"), _allocated("refund")
    left = col(Document.gross_minor) - credited() - received
    if chosen == "open":
        return and_(col(Document.status) != "cancelled", left > 0)
    settled = and_(col(Document.status) != "cancelled", left <= 0)
    gave_back = and_(refunded > 0, received - refunded <= 0)
    return and_(settled, gave_back if chosen == "refunded" else not_(gave_back))


def customer_balance(customer_id: int, *, actor: Actor, session: Session) -> dict[str, int]:
    """What the customer has left to pay, per currency (currencies with nothing open are left out)."""
    owed: dict[str, int] = defaultdict(int)
    for row in balances(customer_id, actor=actor, session=session):
        if row.status != "cancelled" and row.balance_minor > 0:
            owed[row.document.currency] += row.balance_minor
    return dict(sorted(owed.items()))


def payments_of(customer_id: int, *, actor: Actor, session: Session) -> list[PaymentEntry]:
    """The customer's payments and refunds, newest first, with the invoices each went to."""
    require(actor, "customer.view")
    customer = get_customer(customer_id, actor=actor, session=session)
    query = select(Payment).where(col(Payment.customer_id) == customer.id)
    payments = list(session.exec(query.order_by(col(Payment.paid_on).desc(), col(Payment.id).desc()).limit(SHOWN)))
    parts = session.exec(
        # What each part took of the payment, in its currency (a part of a payment in another currency says so).
        select(
            Allocation.payment_id,
            func.coalesce(Allocation.payment_amount_minor, Allocation.amount_minor),
            Document.number,
        )
        .join(Document, col(Document.id) == col(Allocation.document_id))
        .where(col(Allocation.payment_id).in_([payment.id for payment in payments]))
        .order_by(col(Document.number))
    )
    numbers: dict[int, list[str]] = defaultdict(list)
    allocated: dict[int, int] = defaultdict(int)
    for payment_id, amount, number in parts:
        numbers[payment_id].append(str(number))
        allocated[payment_id] += amount
    return [PaymentEntry(p, numbers[p.id], p.amount_minor - allocated[p.id]) for p in payments]


def customer_credit(customer_id: int, *, actor: Actor, session: Session) -> dict[str, int]:
    """Payments not allocated to any invoice yet, per currency."""
    credit: dict[str, int] = defaultdict(int)
    for entry in payments_of(customer_id, actor=actor, session=session):
        if entry.payment.kind == "payment" and entry.unallocated_minor > 0:
            credit[entry.payment.currency] += entry.unallocated_minor
    return dict(sorted(credit.items()))


def payment_terms(customer_id: int, *, actor: Actor, session: Session) -> CustomerSales:
    """The customer's currency and payment terms (the defaults when none were set)."""
    require(actor, "customer.view")
    customer = get_customer(customer_id, actor=actor, session=session)
    return session.get(CustomerSales, customer.id) or CustomerSales(customer_id=customer.id)
