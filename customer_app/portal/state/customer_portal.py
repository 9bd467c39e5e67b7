"""The Portal tab of the customer page: who has access and where it stands, invitations, revoking, sections."""

from dataclasses import dataclass

import reflex as rx
from sqlmodel import Session

from customer_app.core.permissions import Actor
from customer_app.customers.models import Customer
from customer_app.portal import grants, sections
from customer_app.portal.models import AVAILABLE_SECTIONS, SECTIONS
from customer_app.records.state.record_tab import CustomerTabMixin
from customer_app.ui.parsing import parse_ids


@dataclass
class AccessLine:
    """One person's access as the tab shows it."""

    grant_id: str = ""
    email: str = ""
    contact_name: str = ""
    status: str = ""
    status_label: str = ""
    invited: str = ""
    last_sign_in: str = ""


@dataclass
class SectionSwitch:
    """One portal section and whether this customer's people see it."""

    key: str = ""
    label: str = ""
    on: bool = False
    coming: bool = False  # its capability does not exist yet


@dataclass
class ContactChoice:
    """A contact person of an institution who could be given access."""

    id: str = ""
    label: str = ""


class CustomerPortalState(CustomerTabMixin, rx.State):
    """One customer's portal access in one browser tab."""

    lines: list[AccessLine] = []
    switches: list[SectionSwitch] = []
    contacts: list[ContactChoice] = []
    has_email: bool = False
    confirm_grant: str = ""  # the access a revoke confirmation is about

    def _load_for(self, customer: Customer, actor: Actor, session: Session) -> None:
        """Read who has access, the sections and the contact persons who could be invited."""
        self.customer_id, self.has_email = customer.id, bool(customer.email)
        self.lines = [
            AccessLine(**{**row.__dict__, "grant_id": str(row.grant_id)})
            for row in grants.access_rows(customer.id, actor=actor, session=session)
        ]
        chosen = sections.chosen_sections(customer.id, actor=actor, session=session)
        self.switches = [
            SectionSwitch(key, label, key in chosen, key not in AVAILABLE_SECTIONS) for key, label in SECTIONS.items()
        ]
        people = grants.invitable_contacts(customer.id, actor=actor, session=session)
        self.contacts = [ContactChoice(str(p.id), f"{p.name} <{p.email}>") for p in people]

    @rx.event
    async def send_invitation(self):
        """Give the customer access (again): a new invitation replaces the old link."""
        done, event = await self._write(
            lambda actor, session: grants.give_access(self.customer_id, actor=actor, session=session), errors=None
        )
        return rx.toast.success("Invitation sent.") if done else event

    @rx.event
    async def invite_contact(self, contact_id: str):
        """Give one of the institution's contact persons access of their own."""
        chosen = (parse_ids(contact_id) or [0])[0]
        done, event = await self._write(
            lambda actor, session: grants.give_access(
                self.customer_id, contact_id=chosen, actor=actor, session=session
            ),
            errors=None,
        )
        return rx.toast.success("Invitation sent.") if done else event

    @rx.event
    def ask_revoke(self, grant_id: str):
        self.confirm_grant = grant_id[:20]

    @rx.event
    def set_confirm_open(self, is_open: bool):
        if not is_open:
            self.confirm_grant = ""

    @rx.event
    async def revoke(self):
        """Take the access asked about back: that person's portal sessions end at once."""
        grant_id = (parse_ids(self.confirm_grant) or [0])[0]
        self.confirm_grant = ""
        done, event = await self._write(
            lambda actor, session: grants.revoke_access(grant_id, actor=actor, session=session), errors=None
        )
        return rx.toast.success("Access taken back.") if done else event

    def _is_on(self, key: str) -> bool:
        return any(s.key == key and s.on for s in self.switches)

    @rx.event
    async def set_section(self, key: str, on: bool):
        """Show or hide one portal section for this customer's people (open portal pages follow at once)."""
        chosen = {s.key for s in self.switches if s.on} ^ {str(key)} if bool(on) != self._is_on(str(key)) else None
        if chosen is None:  # already as asked
            return None
        _, event = await self._write(
            lambda actor, session: sections.set_sections(
                self.customer_id, sorted(chosen), actor=actor, session=session
            ),
            errors=None,
        )
        return event
