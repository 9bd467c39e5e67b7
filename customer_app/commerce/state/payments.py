"""The Payments tab of the customer page: payment terms, what the customer owes and holds as credit per currency,
and the payments and refunds received."""

from dataclasses import dataclass

import reflex as rx
from sqlmodel import Session

from customer_app.commerce import balances, income_accounts
from customer_app.commerce.models import PAYMENT_KINDS, PAYMENT_METHODS
from customer_app.core.money import format_money
from customer_app.core.permissions import Actor
from customer_app.customers.models import Customer
from customer_app.records.state.record_tab import CustomerTabMixin
from customer_app.ui.parsing import parse_ids

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
class AccountChoice:
    """An income account to choose."""

    id: str = ""
    label: str = ""


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
    income_account: str = ""  # the id of the customer's default income account, "" for none
    income_account_label: str = ""
    accounts: list[AccountChoice] = []

    def _load_for(self, customer: Customer, actor: Actor, session: Session) -> None:
        """Read the customer's payments and balances."""
        self.customer_id = customer.id
        self.rows = [_payment_row(e) for e in balances.payments_of(customer.id, actor=actor, session=session)]
        self.owed = _amounts(balances.customer_balance(customer.id, actor=actor, session=session))
        self.credit = _amounts(balances.customer_credit(customer.id, actor=actor, session=session))
        sales = balances.payment_terms(customer.id, actor=actor, session=session)
        self.terms_days, self.currency = sales.payment_terms_days, sales.currency
        self._load_account(customer, actor, session)

    def _load_account(self, customer: Customer, actor: Actor, session: Session) -> None:
        """The customer's default income account, and the accounts to choose from (its own even when retired)."""
        chosen = income_accounts.customer_account(customer.id, actor=actor, session=session)
        offered = income_accounts.accounts(actor=actor, session=session, include_retired=False)
        kept = [chosen] if chosen is not None and chosen.retired else []
        self.accounts = [AccountChoice(str(a.id), income_accounts.label(a)) for a in [*kept, *offered]]
        self.income_account = str(chosen.id) if chosen else ""
        self.income_account_label = income_accounts.label(chosen)
        self.form_key += 1

    @rx.event
    async def set_income_account(self, account_id: str):
        """Make the chosen account the one the customer's new documents take ("" for none)."""
        chosen = (parse_ids(account_id) or [None])[0]
        done, event = await self._write(
            lambda actor, session: income_accounts.set_customer_account(
                self.customer_id, chosen, actor=actor, session=session
            )
        )
        return rx.toast.success("Default income account saved.") if done else event
