"""Refusals shared by the service tests: a read refused to its caller never reaches the database."""

from collections.abc import Callable

import pytest

from customer_app.core.permissions import Actor
from customer_app.errors import PermissionDenied

SIGN_IN = "Please sign in"
NOT_YOUR_ROLE = "Your role does not allow this"


class UntouchedSession:
    """Stands in for a session; any use of it fails the test (the actor is checked before the database is used)."""

    def __getattr__(self, name: str):
        raise AssertionError(f"the database was used (session.{name}) before the actor was checked")


def refusal(read: Callable[[Actor | None, object], object], actor: Actor | None) -> str:
    """The message `read(actor, session)` is refused with; fails if it went ahead or touched the database first."""
    with pytest.raises(PermissionDenied) as refused:
        read(actor, UntouchedSession())
    return str(refused.value)
