"""Structured logs: with LOG_FORMAT=json, one JSON line per HTTP request and per failed event, each with its
correlation id and the signed-in staff user's id when the request resolved one.

Every HTTP answer carries `X-Request-ID` (the proxy's, when it sent a plain one; else a new id), so a person reporting
a problem, the proxy's log and this log name the same request. Events on the websocket get the id Reflex gives each
event (its transaction id). With the default LOG_FORMAT=text nothing changes: no request lines, plain messages.
"""

import json
import logging
import time
from collections import OrderedDict
from datetime import UTC, datetime

from reflex.middleware.middleware import Middleware
from reflex.state import BaseState, StateUpdate
from reflex_base.event import Event
from reflex_base.event.context import EventContext
from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from customer_app.core import request_context

REQUESTS = logging.getLogger("customer_app.requests")
HEADER = "X-Request-ID"
_FIELDS = ("request_id", "method", "path", "event", "status", "duration_ms", "user_id")


class JsonLines(logging.Formatter):
    """One JSON object per record: time, level, logger, message, the request's fields, and any exception."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, object] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        context = request_context.current()
        if context is not None:
            entry |= {"request_id": context.request_id, "user_id": context.user_id}
        entry |= {name: getattr(record, name) for name in _FIELDS if hasattr(record, name)}
        if record.exc_info and record.exc_info[0] is not None:
            entry["error"] = record.exc_info[0].__name__
            entry["traceback"] = self.formatException(record.exc_info)
        return json.dumps(entry, default=str)


def configure(log_format: str) -> None:
    """With "json", write the app's log records as JSON lines on stderr and log every request; else leave logging be."""
    if log_format != "json":
        return
    app_logger = logging.getLogger("customer_app")
    if any(isinstance(h.formatter, JsonLines) for h in app_logger.handlers):
        return  # configured already (the app module is imported more than once by Reflex's tooling)
    handler = logging.StreamHandler()
    handler.setFormatter(JsonLines())
    app_logger.addHandler(handler)
    app_logger.propagate = False  # one line per record, not a second plain copy from the root logger
    app_logger.setLevel(logging.WARNING)
    REQUESTS.setLevel(logging.INFO)


def log_requests(app: ASGIApp) -> ASGIApp:
    """Wrap the backend: give each HTTP request a correlation id, echo it, and log the request when enabled."""

    async def logged(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return await app(scope, receive, send)
        incoming = dict(scope["headers"]).get(b"x-request-id", b"").decode("latin-1")
        request_id = request_context.request_id_from(incoming)
        token = request_context.begin(request_id, scope.get("path", ""))
        started, status = time.perf_counter(), 500

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                MutableHeaders(scope=message)[HEADER] = request_id
            await send(message)

        try:
            await app(scope, receive, send_with_id)
        finally:
            if REQUESTS.isEnabledFor(logging.INFO):
                elapsed = round((time.perf_counter() - started) * 1000, 1)
                fields = {"method": scope.get("method", ""), "path": scope.get("path", "")}
                REQUESTS.info("request", extra=fields | {"status": status, "duration_ms": elapsed})
            request_context.end(token)

    return logged


class EventContextMiddleware(Middleware):
    """Before each event: a fresh context named by Reflex's id for the event, so a failure's line can name it.

    Reflex calls the failure handler in a task of its own, outside the event's context, so the last events' contexts
    are also kept by id (a bounded few: enough for failures, which are handled at once).
    """

    async def preprocess(self, app, state: BaseState, event: Event) -> StateUpdate | None:
        request_context.begin(event_id(), event.name)
        context = request_context.current()
        if context is not None:
            _recent[context.request_id] = context
            while len(_recent) > RECENT_EVENTS:
                _recent.popitem(last=False)
        return None


RECENT_EVENTS = 1024
_recent: OrderedDict[str, request_context.RequestContext] = OrderedDict()


def event_id() -> str:
    """The id Reflex gives the running event (its transaction id), or a new one outside an event."""
    try:
        return EventContext.get().txid or request_context.request_id_from(None)
    except LookupError:
        return request_context.request_id_from(None)


def failure_fields() -> dict[str, object]:
    """The fields of a failed event's log line: its id, its handler and the staff user who sent it, when known."""
    event = event_id()
    context = _recent.get(event)
    if context is None:
        return {"request_id": event, "event": "", "user_id": None}
    return {"request_id": event, "event": context.target.rsplit(".", 1)[-1], "user_id": context.user_id}
