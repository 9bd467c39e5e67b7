"""The Shipping tab of the customer page: where the customer's goods go, how, and what the carrier should know."""

from dataclasses import dataclass

import reflex as rx
from sqlmodel import Session

from customer_app.commerce import shipping
from customer_app.core.permissions import Actor
from customer_app.customers.models import Customer
from customer_app.records.addresses import formatted, list_addresses
from customer_app.records.models import ADDRESS_KINDS
from customer_app.records.state.record_tab import CustomerTabMixin
from customer_app.ui.parsing import parse_ids

AUTOMATIC = "The default shipping address, else the billing address"


@dataclass
class ShippingChoice:
    """An address or method to choose."""

    id: str = ""
    label: str = ""


def _one_line(address) -> str:
    kind = ADDRESS_KINDS.get(address.kind, address.kind)
    return f"{kind}: " + ", ".join(formatted(address).splitlines())


class CustomerShippingState(CustomerTabMixin, rx.State):
    """One customer's shipping settings in one browser tab."""

    address: str = ""  # the chosen address's id, "" for the automatic choice
    method: str = ""
    instructions: str = ""
    addresses: list[ShippingChoice] = []
    methods: list[ShippingChoice] = []
    address_label: str = AUTOMATIC  # what read-only staff see
    method_label: str = ""

    def _load_for(self, customer: Customer, actor: Actor, session: Session) -> None:
        """Read the customer's shipping settings, addresses and the methods offered."""
        self.customer_id = customer.id
        found = shipping.customer_shipping(customer.id, actor=actor, session=session)
        own = list_addresses(customer.id, actor=actor, session=session)
        self.addresses = [ShippingChoice(str(a.id), _one_line(a)) for a in own]
        every = shipping.methods(actor=actor, session=session)
        # Retired methods are not offered, except the one the customer already has.
        self.methods = [ShippingChoice(str(m.id), m.name) for m in every if not m.retired or m.id == found.method_id]
        self.address, self.method = str(found.address_id or ""), str(found.method_id or "")
        self.instructions = found.instructions
        chosen = next((a.label for a in self.addresses if a.id == self.address), "")
        self.address_label = chosen or AUTOMATIC
        self.method_label = next((m.label for m in self.methods if m.id == self.method), "")
        self.form_key += 1

    @rx.event
    async def save(self, form: dict):
        """Keep the chosen address, method and instructions; new documents take them."""
        address_id = (parse_ids(form.get("address", "")) or [None])[0]
        method_id = (parse_ids(form.get("method", "")) or [None])[0]
        instructions = str(form.get("instructions", ""))[:2000]
        done, event = await self._write(
            lambda actor, session: shipping.save_customer_shipping(
                self.customer_id,
                address_id=address_id,
                method_id=method_id,
                instructions=instructions,
                actor=actor,
                session=session,
            )
        )
        return rx.toast.success("Shipping saved.") if done else event
