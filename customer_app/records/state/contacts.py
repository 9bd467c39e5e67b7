"""The Contact info tab: extra e-mails and phones, which e-mail wins and why, and an institution's people."""

from typing import ClassVar

import reflex as rx
from sqlmodel import Session

from customer_app.core.normalize import format_phone
from customer_app.core.permissions import Actor
from customer_app.customers.models import Customer, CustomerKind
from customer_app.records import contacts
from customer_app.records.models import CONTACT_LABELS, ContactPerson, CustomerContact
from customer_app.records.state.record_tab import CustomerTabMixin
from customer_app.ui.parsing import parse_ids


def contact_row(contact: CustomerContact) -> dict[str, str]:
    return {
        "id": str(contact.id),
        "value": contact.value if contact.channel == "email" else format_phone(contact.value),
        "label": CONTACT_LABELS.get(contact.label, contact.label),
        "primary": "yes" if contact.is_primary else "",
        "opted_out": "yes" if contact.opted_out else "",
        "chosen": "yes" if contact.chosen else "",
        "channel": contact.channel,
    }


def person_row(person: ContactPerson) -> dict[str, str]:
    return {
        "id": str(person.id),
        "name": person.name,
        "position": person.position,
        "email": person.email,
        "phone": format_phone(person.phone),
    }


class CustomerContactsState(CustomerTabMixin, rx.State):
    """One customer's contact info in one browser tab."""

    is_institution: bool = False
    emails: list[dict[str, str]] = []
    phones: list[dict[str, str]] = []
    people: list[dict[str, str]] = []
    communication: str = ""
    reason: str = ""
    person_errors: dict[str, str] = {}
    # The header shows an e-mail and a phone beside these: after a change here the page re-reads it, so they agree.
    _refreshes_page: ClassVar[bool] = True

    def _load_for(self, customer: Customer, actor: Actor, session: Session) -> None:
        """Read the customer's contacts and people, and which e-mail wins."""
        self.customer_id, self.is_institution = customer.id, customer.kind == CustomerKind.INSTITUTION
        found = contacts.list_contacts(customer.id, actor=actor, session=session)
        self.emails = [contact_row(c) for c in found if c.channel == "email"]
        self.phones = [contact_row(c) for c in found if c.channel == "phone"]
        winner = contacts.communication_email(customer, found)
        self.communication, self.reason = winner.address, winner.reason
        self.people = [person_row(p) for p in contacts.list_people(customer.id, actor=actor, session=session)]

    @rx.event
    async def add_contact(self, form: dict):
        """Add the e-mail or phone typed in the form."""
        done, event = await self._write(
            lambda actor, session: contacts.add_contact(
                self.customer_id,
                str(form.get("channel", "")),
                str(form.get("value", "")),
                str(form.get("label", "")),
                is_primary=bool(form.get("is_primary")),
                opted_out=bool(form.get("opted_out")),
                actor=actor,
                session=session,
            )
        )
        self.form_key += done
        return event

    @rx.event
    async def change(self, contact_id: str, change: str):
        """Make primary, choose for communication, or opt out/in."""
        ids = parse_ids(contact_id)
        _, event = await self._write(
            lambda actor, session: [contacts.change_contact(i, change, actor=actor, session=session) for i in ids],
            errors=None,
        )
        return event

    @rx.event
    async def delete(self, contact_id: str):
        ids = parse_ids(contact_id)
        _, event = await self._write(
            lambda actor, session: [contacts.delete_contact(i, actor=actor, session=session) for i in ids], errors=None
        )
        return event

    @rx.event
    async def add_person(self, form: dict):
        """Add a contact person to this institution."""
        done, event = await self._write(
            lambda actor, session: contacts.add_person(self.customer_id, form, actor=actor, session=session),
            errors="person_errors",
        )
        self.form_key += done
        return event

    @rx.event
    async def delete_person(self, person_id: str):
        ids = parse_ids(person_id)
        _, event = await self._write(
            lambda actor, session: [contacts.delete_person(i, actor=actor, session=session) for i in ids], errors=None
        )
        return event
