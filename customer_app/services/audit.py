"""The audit trail: an append-only record of who did what, when, and which fields changed."""

import json
from collections.abc import Mapping
from datetime import date, datetime

from sqlmodel import Session

from customer_app.models.staff import AuditEvent
from customer_app.services.permissions import Actor

# Columns derived from others or bookkeeping: never shown as a change.
_HIDDEN_FIELDS = {
    "display_name",
    "sort_name",
    "search_text",
    "email_key",
    "company_key",
    "updated_at",
    "version",
    "created_at",
    "id",
}


def _plain(value: object) -> object:
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def field_changes(before: Mapping[str, object], after: Mapping[str, object]) -> dict[str, list[object]]:
    """Each visible field whose value differs: {field: [before, after]}."""
    changes = {}
    for name in sorted(set(before) | set(after)):
        if name in _HIDDEN_FIELDS:
            continue
        old, new = _plain(before.get(name)), _plain(after.get(name))
        if old != new and (old or new):
            changes[name] = [old, new]
    return changes


def record(
    session: Session,
    *,
    actor: Actor | None,
    action: str,
    entity_type: str,
    entity_id: int | None = None,
    summary: str = "",
    changes: Mapping[str, list[object]] | None = None,
    actor_email: str = "",
    address: str = "",
) -> AuditEvent:
    """Append one event; it commits or rolls back with the change it describes."""
    event = AuditEvent(
        actor_id=actor.id if actor else None,
        actor_email=actor.email if actor else actor_email,
        action=action,
        entity_type=entity_type,
        entity_id=entity_id,
        summary=summary[:300],
        changes=json.dumps(changes or {}, ensure_ascii=False, default=str),
        address=(actor.address if actor else address)[:64],
    )
    session.add(event)
    return event
