"""The Sales Tax tab of the customer page: currency, tax class and its exemption, payment terms for new documents;
a change of currency is saved only after a confirmation that says what keeps the old one."""

from dataclasses import dataclass

import reflex as rx
from sqlmodel import Session

from customer_app.access.state.auth import act_as
from customer_app.commerce import customer_sales, taxes
from customer_app.core.permissions import Actor
from customer_app.customers.models import Customer
from customer_app.records.state.record_tab import CustomerTabMixin
from customer_app.ui.parsing import parse_ids

FIELDS = ("currency", "tax_class", "payment_terms_days", "exemption_reference")


@dataclass
class ClassChoice:
    """A tax class to choose."""

    id: str = ""
    name: str = ""


class CustomerSalesTaxState(CustomerTabMixin, rx.State):
    """One customer's settings for documents in one browser tab."""

    currency: str = ""
    tax_class: str = ""
    payment_terms_days: str = ""
    exemption_reference: str = ""
    kept_in_other_currency: int = 0
    vat_number: str = ""
    vat_check: str = ""
    vat_valid: bool = False
    classes: list[ClassChoice] = []
    confirm_currency_open: bool = False
    currency_note: str = ""  # what the change asked for leaves as it is
    pending: dict[str, str] = {}  # the form waiting for that confirmation
    new_currency: str = ""  # its currency, as the question names it

    def _load_for(self, customer: Customer, actor: Actor, session: Session) -> None:
        """Read the customer's settings and the classes to choose from."""
        self.customer_id = customer.id
        found = customer_sales.sales_settings(customer.id, actor=actor, session=session)
        self.currency, self.tax_class = found.currency, str(found.tax_class_id or "")
        self.payment_terms_days, self.exemption_reference = str(found.payment_terms_days), found.exemption_reference
        self.kept_in_other_currency = found.documents_in_other_currencies
        self.vat_number, self.vat_valid, self.vat_check = found.vat_number, found.vat_valid, found.vat_check
        self.classes = [ClassChoice(str(c.id), c.name) for c in taxes.classes("customer", session=session)]
        self.form_key += 1

    @rx.event
    async def save(self, form: dict):
        """Keep the settings typed; a new currency first asks for a confirmation saying what keeps the old one."""
        values = {name: str(form.get(name, ""))[:200] for name in FIELDS}
        notes: list[str] = []

        def ask(actor: Actor, session: Session) -> None:
            notes.append(
                customer_sales.currency_change_note(self.customer_id, values["currency"], actor=actor, session=session)
            )

        done, event = await act_as(self, "customer.edit", ask)
        if not done:
            return event
        if notes[0]:
            self.pending, self.currency_note, self.confirm_currency_open = values, notes[0], True
            self.new_currency = values["currency"].strip().upper()
            return None
        return await self._save(values)

    @rx.event
    async def confirm_currency_change(self):
        """Save the settings that waited for the confirmation."""
        self.confirm_currency_open = False
        return await self._save(self.pending)

    @rx.event
    def set_confirm_currency_open(self, is_open: bool):
        self.confirm_currency_open = bool(is_open)

    async def _save(self, values: dict[str, str]):
        saved: list[customer_sales.SalesSettings] = []
        done, event = await self._write(
            lambda actor, session: saved.append(
                customer_sales.save_sales_settings(
                    self.customer_id,
                    currency=values.get("currency", ""),
                    tax_class_id=(parse_ids(values.get("tax_class", "")) or [None])[0],
                    payment_terms_days=values.get("payment_terms_days", ""),
                    exemption_reference=values.get("exemption_reference", ""),
                    actor=actor,
                    session=session,
                )
            )
        )
        if not done:
            return event
        self.pending = {}
        return rx.toast.success(saved[0].change_note or "Sales settings saved.", duration=8000)
