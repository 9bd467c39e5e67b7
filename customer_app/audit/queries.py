"""Read the audit trail: filtered and paged newest first, with each event's changes parsed for display."""

import json
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import ColumnElement, func
from sqlmodel import Session, col, select

from customer_app.access.models import StaffUser
from customer_app.core.models import AuditEvent
from customer_app.core.permissions import ROLE_LABELS, Actor, require
from customer_app.errors import ValidationError

ACTION_LABELS = {
    "create": "Created",
    "update": "Edited",
    "delete": "Moved to Trash",
    "restore": "Restored",
    "purge": "Deleted permanently",
    "restore_batch": "Restored a removal",
    "sign_in": "Signed in",
    "sign_in_failed": "Sign-in failed",
    "lockout": "Locked out",
    "setup": "Set up",
    "invite": "Invited",
    "invitation_accepted": "Accepted invitation",
    "role_change": "Role changed",
    "deactivate": "Deactivated",
    "reactivate": "Reactivated",
    "password_reset_requested": "Password reset requested",
    "password_reset": "Password reset",
    "import": "Imported",
    "note_add": "Added a note",
    "note_delete": "Deleted a note",
    "ticket_add": "Opened a ticket",
    "ticket_update": "Updated a ticket",
    "ticket_reply": "Replied to a ticket",
    "activity_add": "Planned an activity",
    "activity_update": "Updated an activity",
    "activity_delete": "Deleted an activity",
    "notifications": "E-mail choice changed",
    "contact_info": "Contact info changed",
    "address": "Address changed",
    "other_info": "Other info changed",
    "group_add": "Group added",
    "group_rename": "Group renamed",
    "group_remove": "Group removed",
    "custom_fields": "Custom fields changed",
    "custom_field_add": "Custom field added",
    "custom_field_change": "Custom field changed",
    "custom_field_remove": "Custom field removed",
    "undo_import": "Undid an import",
    "portal_grant": "Gave portal access",
    "portal_revoke": "Took portal access back",
    "portal_sections": "Portal sections changed",
    "portal_default_sections": "Default portal sections changed",
    "portal_welcome_template": "Welcome e-mail changed",
    "portal_registered": "Registered for the portal",
    "portal_sign_in": "Signed in to the portal",
    "portal_sign_in_failed": "Portal sign-in failed",
    "portal_reset_requested": "Portal password reset requested",
    "portal_password_reset": "Portal password reset",
    "portal_ticket_add": "Opened a ticket in the portal",
    "portal_ticket_reply": "Replied in the portal",
    "portal_profile": "Changed their profile in the portal",
    "portal_estimate_answer": "Answered an estimate in the portal",
    "tax_settings": "Tax settings changed",
    "number_sequence": "Document numbers changed",
    "sales_policy": "Rules for new documents changed",
    "exchange_rates": "Exchange rates changed",
    "sales_settings": "Sales settings changed",
    "document_draft": "Started a document",
    "document_issue": "Issued a document",
    "document_delete": "Deleted a draft document",
    "document_void": "Voided a document",
    "document_send": "Sent a document",
    "payment_add": "Recorded a payment",
    "payment_refund": "Recorded a refund",
    "income_accounts": "Income accounts changed",
    "income_account": "Default income account changed",
    "shipping_methods": "Shipping methods changed",
    "customer_shipping": "Shipping settings changed",
    "document_edit": "Changed a draft document",
}
ACTIONS = tuple(ACTION_LABELS)
ENTITY_TYPES = ("customer", "staff", "import", "group", "custom_field", "trash_batch", "portal_account", "settings")
FIELD_LABELS = {
    "kind": "Type",
    "first_name": "First name",
    "last_name": "Last name",
    "date_of_birth": "Date of birth",
    "company_name": "Company name",
    "vat_number": "VAT number",
    "ownership_type": "Ownership type",
    "deleted_at": "Deleted",
    "email": "Email",
    "business_number": "Business number",
    "tags": "Tags",
    "applies_to": "For",
    "choices": "Choices",
    "required": "Required",
}
MAX_PAGE_SIZE = 100
_MAX_VALUE = 200  # characters of one value shown; long footnotes are cut
_BEFORE_AFTER = 2  # a change is stored as [before, after]


@dataclass(frozen=True)
class Change:
    """One changed field, named as people say it, with its values as text ("" when empty)."""

    field: str
    before: str
    after: str


@dataclass(frozen=True)
class EventRow:
    """One audit event ready to display."""

    id: int
    at: datetime
    actor_email: str
    actor_name: str
    action: str
    action_label: str
    entity_type: str
    entity_id: int | None
    summary: str
    changes: list[Change]


def field_label(name: str) -> str:
    """A column name as people say it: first_name → "First name"."""
    return FIELD_LABELS.get(name, name.replace("_", " ").capitalize())


def _text(field: str, value: object) -> str:
    if value is None or value == "":
        return ""
    if field == "picture":  # a random storage key means nothing to a reader
        return "picture"
    if field == "role":
        return ROLE_LABELS.get(str(value), str(value))
    if field == "kind":
        return str(value).capitalize()
    text = str(value)
    return text if len(text) <= _MAX_VALUE else text[: _MAX_VALUE - 1] + "…"


def parse_changes(raw: str) -> list[Change]:
    """The stored JSON {field: [before, after]} as display rows; anything malformed is skipped."""
    try:
        data = json.loads(raw or "{}")
    except ValueError:
        return []
    if not isinstance(data, dict):
        return []
    return [
        Change(field_label(name), _text(name, pair[0]), _text(name, pair[1]))
        for name, pair in data.items()
        if isinstance(pair, list | tuple) and len(pair) == _BEFORE_AFTER
    ]


def _row(event: AuditEvent, actor_name: str | None) -> EventRow:
    return EventRow(
        id=event.id,
        at=event.at,
        actor_email=event.actor_email,
        actor_name=actor_name or "",
        action=event.action,
        action_label=ACTION_LABELS.get(event.action, event.action),
        entity_type=event.entity_type,
        entity_id=event.entity_id,
        summary=event.summary,
        changes=parse_changes(event.changes),
    )


def _conditions(
    who: str, action: str, entity_type: str, since: date | None, until: date | None
) -> list[ColumnElement[bool]]:
    """WHERE conditions for the filters; action and entity type must be known values."""
    if action and action not in ACTIONS:
        raise ValidationError({"action": "Choose one of the listed actions."})
    if entity_type and entity_type not in ENTITY_TYPES:
        raise ValidationError({"entity_type": "Choose one of the listed kinds of record."})
    conditions = []
    term = " ".join(who.split()).lower()[:254]
    if term:
        conditions.append(func.lower(col(AuditEvent.actor_email)).contains(term, autoescape=True))
    if action:
        conditions.append(col(AuditEvent.action) == action)
    if entity_type:
        conditions.append(col(AuditEvent.entity_type) == entity_type)
    if since:
        conditions.append(col(AuditEvent.at) >= datetime.combine(since, time.min, UTC))
    if until:  # the whole "to" day counts
        conditions.append(col(AuditEvent.at) < datetime.combine(until + timedelta(days=1), time.min, UTC))
    return conditions


def list_events(
    *,
    actor: Actor,
    session: Session,
    who: str = "",
    action: str = "",
    entity_type: str = "",
    since: date | None = None,
    until: date | None = None,
    page: int = 1,
    page_size: int = 25,
) -> tuple[list[EventRow], int]:
    """One page of events matching the filters, newest first, and how many match in all."""
    require(actor, "audit.view")
    conditions = _conditions(who, action, entity_type, since, until)
    size, page = max(1, min(int(page_size), MAX_PAGE_SIZE)), max(1, int(page))
    statement = (
        select(AuditEvent, StaffUser.name)
        .outerjoin(StaffUser, col(StaffUser.id) == col(AuditEvent.actor_id))
        .where(*conditions)
        .order_by(col(AuditEvent.at).desc(), col(AuditEvent.id).desc())
        .offset((page - 1) * size)
        .limit(size)
    )
    rows = [_row(event, name) for event, name in session.exec(statement).all()]
    total = session.exec(select(func.count()).select_from(AuditEvent).where(*conditions)).one()
    return rows, total


def customer_history(customer_id: int, *, actor: Actor, session: Session, limit: int = 50) -> list[EventRow]:
    """A customer's events, newest first (at most `limit`, capped at 200)."""
    require(actor, "customer.view")
    statement = (
        select(AuditEvent, StaffUser.name)
        .outerjoin(StaffUser, col(StaffUser.id) == col(AuditEvent.actor_id))
        .where(col(AuditEvent.entity_type) == "customer", col(AuditEvent.entity_id) == customer_id)
        .order_by(col(AuditEvent.at).desc(), col(AuditEvent.id).desc())
        .limit(max(1, min(int(limit), 200)))
    )
    return [_row(event, name) for event, name in session.exec(statement).all()]
