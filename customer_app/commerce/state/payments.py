"""The Payments tab of the customer page: payment terms, what the customer owes and holds as credit per currency,
and the payments and refunds received."""

from dataclasses import dataclass

import reflex as rx
from sqlmodel import Session

from customer_app.commerce import balances
from customer_app.commerce.models import PAYMENT_KINDS, PAYMENT_METHODS
from customer_app.core.money import format_money
from customer_app.core.permissions import Actor
from customer_app.customers.models import Customer
from customer_app.records.state.record_tab import CustomerTabMixin

STAFF_LANGUAGE = "en"


@dataclass
class PaymentRow:
    """One payment or refund in the list."""

    id: str = ""
    paid_on: str = ""
    kind: str = ""
    kind_label: str = ""
    method: str = ""
    amount: str = ""
    reference: str = ""
    invoices: str = ""
    unallocated: str = ""


@dataclass
class AmountRow:
    """An amount in one currency (balances are never added up across currencies)."""

    currency: str = ""
    amount: str = ""


def _payment_row(entry: balances.PaymentEntry) -> PaymentRow:
    payment = entry.payment
    left = entry.unallocated_minor if payment.kind == "payment" else 0
    return PaymentRow(
        id=str(payment.id),
        paid_on=payment.paid_on.isoformat(),
        kind=payment.kind,
        kind_label=PAYMENT_KINDS.get(payment.kind, payment.kind),
        method=PAYMENT_METHODS.get(payment.method, payment.method),
        amount=format_money(payment.amount_minor, payment.currency, STAFF_LANGUAGE),
        reference=payment.reference,
        invoices=", ".join(entry.invoices),
        unallocated=format_money(left, payment.currency, STAFF_LANGUAGE) if left else "",
    )


def _amounts(by_currency: dict[str, int]) -> list[AmountRow]:
    return [AmountRow(code, format_money(minor, code, STAFF_LANGUAGE)) for code, minor in by_currency.items()]


class CustomerPaymentsState(CustomerTabMixin, rx.State):
    """One customer's payments, balance and credit per currency, and payment terms, in one browser tab."""

    rows: list[PaymentRow] = []
    owed: list[AmountRow] = []
    credit: list[AmountRow] = []
    terms_days: int = 0
    currency: str = ""

    def _load_for(self, customer: Customer, actor: Actor, session: Session) -> None:
        """Read the customer's payments and balances."""
        self.customer_id = customer.id
        self.rows = [_payment_row(e) for e in balances.payments_of(customer.id, actor=actor, session=session)]
        self.owed = _amounts(balances.customer_balance(customer.id, actor=actor, session=session))
        self.credit = _amounts(balances.customer_credit(customer.id, actor=actor, session=session))
        sales = balances.payment_terms(customer.id, actor=actor, session=session)
        self.terms_days, self.currency = sales.payment_terms_days, sales.currency
