"""The Invoices tab of the customer page: issued invoices with what each has been paid and has left, filtered by
payment status, and pop-ups recording a payment for one of them or a refund of what it was paid."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import reflex as rx
from sqlmodel import Session

from customer_app.access.state.auth import actor_or_refusal
from customer_app.commerce import balances, payments, rates
from customer_app.commerce.balances import FILTERS, PAYMENT_STATUSES, InvoiceBalance
from customer_app.core.db import session_scope
from customer_app.core.money import format_money, from_minor, to_minor
from customer_app.core.permissions import Actor
from customer_app.customers.models import Customer
from customer_app.records.state.record_tab import CustomerTabMixin

STAFF_LANGUAGE = "en"
FORM_FIELDS = ("paid_on", "method", "amount", "reference", "exchange_rate")


@dataclass
class InvoiceRow:
    """One invoice in the list, its amounts formatted in its currency."""

    id: str = ""
    number: str = ""
    date: str = ""
    due_date: str = ""
    total: str = ""
    paid: str = ""
    balance: str = ""
    status: str = ""
    status_label: str = ""
    balance_text: str = ""  # the balance as typed in the pop-up ("69.00")
    paid_text: str = ""  # what may be refunded, as typed in the refund pop-up ("50.00"); empty when nothing was paid
    currency: str = ""


def _row(figures: InvoiceBalance) -> InvoiceRow:
    document = figures.document

    def money(minor: int) -> str:
        return format_money(minor, document.currency, STAFF_LANGUAGE)

    return InvoiceRow(
        id=str(document.id),
        number=document.number or "",
        date=document.issue_date.isoformat() if document.issue_date else "",
        due_date=document.due_date.isoformat() if document.due_date else "",
        total=money(document.gross_minor),
        paid=money(figures.paid_minor),
        balance=money(figures.balance_minor),
        status=figures.status,
        status_label=PAYMENT_STATUSES[figures.status],
        balance_text=str(from_minor(max(figures.balance_minor, 0), document.currency)),
        paid_text=str(from_minor(figures.paid_minor, document.currency)) if figures.paid_minor > 0 else "",
        currency=document.currency,
    )


class CustomerInvoicesState(CustomerTabMixin, rx.State):
    """One customer's issued invoices in one browser tab, and the payment pop-up."""

    rows: list[InvoiceRow] = []
    invoice_filter: str = "open"
    pay_open: bool = False
    refund_open: bool = False
    paying: InvoiceRow = InvoiceRow()  # the invoice the pop-up pays (or refunds)
    values: dict[str, str] = {}
    money_key: int = 0  # bumped to re-mount the pop-up's amount and rate fields alone
    pay_currency: str = ""  # the currency the payment came in (the invoice's unless changed in the pop-up)
    currencies: list[str] = []  # those there are rates for

    def _load_for(self, customer: Customer, actor: Actor, session: Session) -> None:
        """Read the customer's invoices in the chosen filter, with their figures as of today."""
        self.customer_id = customer.id
        chosen = self.invoice_filter if self.invoice_filter in FILTERS else "open"
        self.rows = [_row(f) for f in balances.invoices(customer.id, chosen, actor=actor, session=session)]
        self.currencies = rates.currencies(session=session)

    @rx.event
    async def set_invoice_filter(self, value: str):
        """Show open, paid, refunded or all invoices."""
        self.invoice_filter = value if value in FILTERS else "open"
        _, event = await self._reload()
        return event

    @rx.event
    def open_payment(self, invoice_id: str):
        """Open the pop-up for an invoice the list shows, the amount its balance."""
        row = next((r for r in self.rows if r.id == invoice_id), None)
        if row is None:
            return
        self.paying, self.errors = row, {}
        self.values = {"paid_on": date.today().isoformat(), "method": "bank_transfer", "amount": row.balance_text}
        self.values["reference"], self.values["exchange_rate"], self.pay_currency = "", "", row.currency
        if row.currency not in self.currencies:  # one without rates is still the invoice's own
            self.currencies = sorted([*self.currencies, row.currency])
        self.form_key += 1
        self.pay_open = True

    @rx.event
    async def choose_currency(self, currency: str):
        """Take the payment in another currency: the rate and amount are filled in from the rates table."""
        actor, event = await actor_or_refusal(self, "customer.edit")
        if actor is None:
            return event
        chosen, paying = str(currency).strip().upper()[:3], self.paying
        balance = to_minor(Decimal(paying.balance_text or "0"), paying.currency) if paying.currency else 0
        with session_scope() as session:
            rate, amount = rates.suggest_payment(
                paying.currency, balance, chosen, date.today(), actor=actor, session=session
            )
        same = chosen == paying.currency
        self.pay_currency = chosen
        self.values = self.values | {"exchange_rate": "" if same else rate, "amount": amount or paying.balance_text}
        self.money_key += 1  # only the amount and rate are filled in again: the date and reference typed stay
        return None

    @rx.event
    def set_pay_open(self, is_open: bool):
        self.pay_open = bool(is_open)

    @rx.event
    def open_refund(self, invoice_id: str):
        """Open the refund pop-up for an invoice the list shows, the amount what it has been paid."""
        row = next((r for r in self.rows if r.id == invoice_id and r.paid_text), None)
        if row is None:
            return
        self.paying, self.errors = row, {}
        self.values = {"paid_on": date.today().isoformat(), "method": "bank_transfer", "amount": row.paid_text}
        self.values["reference"] = ""
        self.form_key += 1
        self.refund_open = True

    @rx.event
    def set_refund_open(self, is_open: bool):
        self.refund_open = bool(is_open)

    @rx.event
    async def record_refund(self, form: dict):
        """Return money paid on the invoice the pop-up is about; field errors stay in the pop-up."""
        values = {name: str(form.get(name, ""))[:200] for name in FORM_FIELDS}
        refunding = self.paying

        def work(actor: Actor, session: Session) -> None:
            self.values = values
            payments.record_refund(
                int(refunding.id or 0),
                paid_on=values["paid_on"],
                method=values["method"],
                amount_text=values["amount"],
                reference=values["reference"],
                actor=actor,
                session=session,
            )

        done, event = await self._write(work)
        if not done:
            return event
        self.refund_open = False
        return rx.toast.success(f"Refund recorded for {refunding.number}.")

    @rx.event
    async def record_payment(self, form: dict):
        """Record the payment, allocated to the invoice the pop-up is about; field errors stay in the pop-up."""
        values = {name: str(form.get(name, ""))[:200] for name in FORM_FIELDS}
        paying, currency = self.paying, self.pay_currency or self.paying.currency

        def work(actor: Actor, session: Session) -> None:
            self.values = values  # what the pop-up shows again; kept only for someone allowed to save
            payments.record_payment(
                self.customer_id,
                paid_on=values["paid_on"],
                method=values["method"],
                amount_text=values["amount"],
                currency=currency,
                reference=values["reference"],
                allocations={int(paying.id or 0): values["amount"]},
                exchange_rate=values["exchange_rate"] if currency != paying.currency else "",
                actor=actor,
                session=session,
            )

        done, event = await self._write(work)
        if not done:
            return event
        self.pay_open = False
        return rx.toast.success(f"Payment recorded for {paying.number}.")
