"""Who is asking, and what each role may do; checked by every service that changes or reveals data."""

import enum
from dataclasses import dataclass

from customer_app.errors import PermissionDenied


class Role(enum.StrEnum):
    """What a staff member may do; each role includes the ones below it."""

    ADMIN = "admin"
    STAFF = "staff"
    READ_ONLY = "read_only"


ROLE_LABELS: dict[str, str] = {Role.ADMIN: "Admin", Role.STAFF: "Staff", Role.READ_ONLY: "Read-only"}

PERMISSIONS: dict[str, frozenset[Role]] = {
    "customer.view": frozenset({Role.ADMIN, Role.STAFF, Role.READ_ONLY}),
    "customer.edit": frozenset({Role.ADMIN, Role.STAFF}),
    "customer.purge": frozenset({Role.ADMIN}),  # deleting from Trash for good: there is no way back
    "customer.import": frozenset({Role.ADMIN}),
    "customer.export": frozenset({Role.ADMIN}),
    "staff.manage": frozenset({Role.ADMIN}),
    "settings.manage": frozenset({Role.ADMIN}),
    "audit.view": frozenset({Role.ADMIN}),
    "outbox.view": frozenset({Role.ADMIN}),
}


@dataclass(frozen=True)
class Actor:
    """The signed-in staff member behind a request, and where it came from."""

    id: int
    email: str
    name: str
    role: Role
    address: str = ""

    def can(self, permission: str) -> bool:
        """Whether this actor's role grants the permission."""
        return self.role in PERMISSIONS[permission]


def require(actor: Actor | None, permission: str) -> Actor:
    """Return the actor if allowed; raise PermissionDenied otherwise."""
    if actor is None:
        raise PermissionDenied("Please sign in to continue.")
    if not actor.can(permission):
        raise PermissionDenied("Your role does not allow this. Ask an admin if you need it.")
    return actor
