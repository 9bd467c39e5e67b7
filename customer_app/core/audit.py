"""The audit trail: an append-only record of who did what, when, and which fields changed."""

import json
from collections.abc import Iterable, Mapping
from datetime import date, datetime
from typing import Any

from sqlmodel import Session

from customer_app.core import bulk
from customer_app.core.columns import utcnow
from customer_app.core.models import AuditEvent
from customer_app.core.permissions import Actor

BULK_CHUNK = 5000  # rows per INSERT in record_many
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
    "trash_batch_id",
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
        **_who(actor, actor_email, address),
        action=action,
        entity_type=entity_type,
        entity_id=entity_id,
        summary=summary[:300],
        changes=json.dumps(changes or {}, ensure_ascii=False, default=str),
    )
    session.add(event)
    return event


def record_many(
    session: Session, *, actor: Actor, action: str, entity_type: str, summaries: Iterable[tuple[int, str]]
) -> None:
    """Append one event per (entity id, summary), inserted in bulk ("Remove all" may touch a million rows)."""
    common = _who(actor) | {"at": utcnow(), "action": action, "entity_type": entity_type, "changes": "{}"}
    events = [common | {"entity_id": entity_id, "summary": summary[:300]} for entity_id, summary in summaries]
    for start in range(0, len(events), BULK_CHUNK):
        bulk.insert_many(session.connection(), AuditEvent, events[start : start + BULK_CHUNK])


def _who(actor: Actor | None, actor_email: str = "", address: str = "") -> dict[str, Any]:
    """The columns naming who acted and from where (an e-mail alone when nobody is signed in)."""
    return {
        "actor_id": (actor.id or None) if actor else None,  # 0: no staff account (a customer in the portal)
        "actor_email": actor.email if actor else actor_email,
        "address": (actor.address if actor else address)[:64],
    }
