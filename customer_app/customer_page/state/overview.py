"""The Overview tab of the customer page: key facts (filled custom fields too), what each tab holds, recent history."""

import reflex as rx
from sqlmodel import Session

from customer_app.audit.queries import customer_history
from customer_app.audit.rows import AuditRow, audit_row
from customer_app.core.normalize import format_phone
from customer_app.core.permissions import Actor
from customer_app.customer_page.queries import overview_counts
from customer_app.customers import custom_field_values
from customer_app.customers.models import Customer
from customer_app.records.models import TICKET_STATUSES
from customer_app.ui.formatting import when

HISTORY_SHOWN = 10


class CustomerOverviewState(rx.State):
    """What one browser tab's Overview shows of one customer."""

    customer_id: int = 0
    facts: list[list[str]] = []
    history: list[AuditRow] = []
    contacts: int = 0
    addresses: int = 0
    notes: int = 0
    upcoming: int = 0
    tickets: dict[str, int] = dict.fromkeys(("all", *TICKET_STATUSES), 0)  # by the Tickets tab's filter

    def _load_for(self, customer: Customer, actor: Actor, session: Session) -> None:
        """Read the facts, counts and history (the customer page calls it when the tab is shown)."""
        self.customer_id = customer.id
        filled = custom_field_values.customer_values(customer.id, actor=actor, session=session)
        shown = [[field.label, custom_field_values.shown(field, value)] for field, value in filled]
        self.facts = _facts(customer) + [pair for pair in shown if pair[1]]
        history = customer_history(customer.id, actor=actor, session=session, limit=HISTORY_SHOWN)
        self.history = [audit_row(e) for e in history]
        counts = overview_counts(customer.id, actor=actor, session=session)
        self.contacts, self.addresses, self.notes = counts.contacts, counts.addresses, counts.notes
        self.upcoming, self.tickets = counts.upcoming, counts.tickets


def _facts(customer: Customer) -> list[list[str]]:
    """Label and value of each key fact that has a value."""
    pairs = [
        ("Company", customer.company_name),
        ("Position", customer.position),
        ("Mobile", format_phone(customer.mobile)),
        ("Fax", format_phone(customer.fax)),
        ("Website", customer.website),
        ("VAT number", customer.vat_number),
        ("Date of birth", customer.date_of_birth.isoformat() if customer.date_of_birth else ""),
        ("Gender", customer.gender),
        ("Ownership type", customer.ownership_type),
        ("Customer since", when(customer.created_at)),
        ("Footnotes", customer.footnotes),
    ]
    return [[label, str(value)] for label, value in pairs if value]
