"""The Addresses tab of the customer page: the addresses as their country writes them, and the add/edit pop-up."""

import reflex as rx
from sqlmodel import Session

from customer_app.core.permissions import Actor
from customer_app.customers.models import Customer
from customer_app.records import addresses
from customer_app.records.models import ADDRESS_KINDS, CustomerAddress
from customer_app.records.state.record_tab import RecordTabMixin
from customer_app.ui.parsing import parse_ids

FORM_FIELDS = ("kind", "country_code", "street", "city", "postal_code", "region", "is_default")


def address_row(address: CustomerAddress) -> dict[str, str]:
    default = f"Default {address.kind}" if address.is_default else ""
    return {
        "id": str(address.id),
        "kind": ADDRESS_KINDS.get(address.kind, address.kind),
        "default": default,
        "text": addresses.formatted(address),
    } | {name: str(getattr(address, name)) for name in FORM_FIELDS if name != "is_default"}


class CustomerAddressesState(RecordTabMixin, rx.State):
    """One customer's addresses in one browser tab."""

    rows: list[dict[str, str]] = []

    def _load_for(self, customer: Customer, actor: Actor, session: Session) -> None:
        """Read the customer's addresses."""
        self.customer_id = customer.id
        self.rows = [address_row(a) for a in addresses.list_addresses(customer.id, actor=actor, session=session)]

    @rx.event
    def open_new(self):
        self._open_form(0, {"kind": "billing", "country_code": "US"})

    @rx.event
    def open_edit(self, address_id: str):
        row = next((r for r in self.rows if r["id"] == address_id), None)
        if row is None:
            return
        values = {name: row.get(name, "") for name in FORM_FIELDS} | {
            "kind": next(key for key, label in ADDRESS_KINDS.items() if label == row["kind"]),
            "is_default": "on" if row["default"] else "",
        }
        self._open_form(int(row["id"]), values)

    @rx.event
    async def save(self, form: dict):
        """Add or change the address; field errors stay in the pop-up."""
        values = {name: str(form.get(name, "")) for name in FORM_FIELDS}

        def work(actor, session):
            self.values = values  # what the pop-up shows again; kept only for someone allowed to save
            addresses.save_address(self.customer_id, values, actor=actor, session=session, address_id=self.editing_id)

        done, event = await self._write(work)
        self.form_open = self.form_open and not done
        return event

    @rx.event
    async def delete(self):
        """Delete the address the confirmation was about."""
        ids, self.confirm_id = parse_ids(self.confirm_id), ""
        _, event = await self._write(
            lambda actor, session: [addresses.delete_address(i, actor=actor, session=session) for i in ids]
        )
        return event
