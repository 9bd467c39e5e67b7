"""Small display helpers shared by the admin pages and the customer history: times and change lines."""

from dataclasses import dataclass, field

from customer_app.audit.queries import Change, EventRow
from customer_app.ui.formatting import when

DENIED = "denied"
ALLOWED = "ok"
_RED = {"sign_in_failed", "lockout", "purge", "deactivate"}
_GREEN = {"create", "restore", "reactivate", "setup", "invitation_accepted"}


@dataclass
class AuditRow:
    """One audit event as a table row shows it."""

    id: str = ""
    when: str = ""
    who: str = ""
    who_email: str = ""
    action: str = ""
    tone: str = "gray"
    what: str = ""
    changes: list[Change] = field(default_factory=list)


def audit_row(event: EventRow) -> AuditRow:
    """An event as text; empty values read "—"."""
    return AuditRow(
        id=str(event.id),
        when=when(event.at),
        who=event.actor_name or event.actor_email or "—",
        who_email=event.actor_email if event.actor_name else "",
        action=event.action_label,
        tone="red" if event.action in _RED else "green" if event.action in _GREEN else "gray",
        what=event.summary,
        changes=[Change(c.field, c.before or "—", c.after or "—") for c in event.changes],
    )
