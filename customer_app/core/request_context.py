"""Who and what the log lines of one HTTP request or one event belong to: a correlation id and the staff user's id.

The code that already resolves a sign-in notes the user here (`note_user`), so logging adds no query. The context
holds one mutable record, so a note made in a worker thread (which runs in a copy of the context) is still seen.
"""

import re
import uuid
from contextvars import ContextVar, Token
from dataclasses import dataclass

_SANE_ID = re.compile(r"[A-Za-z0-9._:\-]{1,128}")


@dataclass
class RequestContext:
    """The correlation id, what was asked (a path or an event's name) and the signed-in staff user, once known."""

    request_id: str
    target: str
    user_id: int | None = None


_current: ContextVar[RequestContext | None] = ContextVar("customer_app_request", default=None)


def request_id_from(header: str | None) -> str:
    """An incoming X-Request-ID when it is a plain token (a proxy's), else a new random id."""
    if header and _SANE_ID.fullmatch(header):
        return header
    return uuid.uuid4().hex


def begin(request_id: str, target: str) -> Token:
    """Start the context of one request or event; pass the token to `end`."""
    return _current.set(RequestContext(request_id=request_id, target=target))


def end(token: Token) -> None:
    _current.reset(token)


def current() -> RequestContext | None:
    """The running request's or event's context, if any."""
    return _current.get()


def note_user(user_id: int | None) -> None:
    """Remember the signed-in staff user of the running request or event (no-op outside one)."""
    context = _current.get()
    if context is not None and user_id is not None:
        context.user_id = user_id
