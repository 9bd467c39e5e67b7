"""The Sales Tax tab of the customer page: currency, tax class and its exemption, payment terms for new documents."""

from dataclasses import dataclass

import reflex as rx
from sqlmodel import Session

from customer_app.commerce import customer_sales, taxes
from customer_app.core.permissions import Actor
from customer_app.customers.models import Customer
from customer_app.records.state.record_tab import CustomerTabMixin
from customer_app.ui.parsing import parse_ids


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
    classes: list[ClassChoice] = []

    def _load_for(self, customer: Customer, actor: Actor, session: Session) -> None:
        """Read the customer's settings and the classes to choose from."""
        self.customer_id = customer.id
        found = customer_sales.sales_settings(customer.id, actor=actor, session=session)
        self.currency, self.tax_class = found.currency, str(found.tax_class_id or "")
        self.payment_terms_days, self.exemption_reference = str(found.payment_terms_days), found.exemption_reference
        self.kept_in_other_currency = found.documents_in_other_currencies
        self.classes = [ClassChoice(str(c.id), c.name) for c in taxes.classes("customer", session=session)]
        self.form_key += 1

    @rx.event
    async def save(self, form: dict):
        """Keep the settings typed; new documents use them."""
        saved: list[customer_sales.SalesSettings] = []
        done, event = await self._write(
            lambda actor, session: saved.append(
                customer_sales.save_sales_settings(
                    self.customer_id,
                    currency=str(form.get("currency", "")),
                    tax_class_id=(parse_ids(form.get("tax_class", "")) or [None])[0],
                    payment_terms_days=str(form.get("payment_terms_days", "")),
                    exemption_reference=str(form.get("exemption_reference", "")),
                    actor=actor,
                    session=session,
                )
            )
        )
        if not done:
            return event
        return rx.toast.success(saved[0].change_note or "Sales settings saved.", duration=8000)
