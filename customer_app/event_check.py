"""Events no page of the app sends are dropped before they reach a handler, with one line in the log.

Any websocket client can send any event with any payload. Reflex converts arguments by the handler's annotations
where it can and otherwise passes them on as sent, so a number where a handler expects text, a missing or an extra
argument made the handler fail, and each such event logged a traceback. Events naming no handler logged one too.
Now:
- an event for one of the app's handlers goes through only if its arguments are the ones the handler declares, of
  the types it declares (after Reflex's own conversion, e.g. "12" for an int);
- `setvar` is refused on the app's states: the pages never use it, and it would reach the setters unchecked;
- browser storage values naming no state of the app are refused (Reflex's own handlers would fail on them);
- an event naming no handler is logged on one line, without a traceback.
"""

import functools
import inspect
import logging
import types
import typing
from typing import Any

from reflex.middleware.middleware import Middleware
from reflex.state import BaseState, State, StateUpdate
from reflex_base.event import Event, EventHandler
from reflex_base.event.processor.base_state_processor import _transform_event_arg  # Reflex's own conversion
from reflex_base.registry import RegisteredEventHandler, RegistrationContext

log = logging.getLogger(__name__)
APP_PACKAGE = "customer_app"
STORAGE_HANDLERS = ("hydrate_and_load", "update_vars_internal")  # Reflex's, carrying browser storage values


def _fits(value: Any, hint: Any) -> bool:
    """Whether a value, as Reflex converts it, is of the annotated type (list items and union members included)."""
    if hint is Any:
        return True
    origin = typing.get_origin(hint)
    if origin in (typing.Union, types.UnionType):
        return any(_fits(value, member) for member in typing.get_args(hint))
    try:
        value = _transform_event_arg(value, hint)
    except Exception:  # Reflex could not convert it either (e.g. "last" for an int)
        return False
    kind = origin or hint
    if hint is None or hint is type(None):
        return value is None
    if not isinstance(kind, type):
        return True  # an annotation this check does not understand: Reflex decides
    if kind is int and isinstance(value, bool):
        return False
    if kind is float and isinstance(value, int) and not isinstance(value, bool):
        return True
    if not isinstance(value, kind):
        return False
    items = typing.get_args(hint)
    if isinstance(value, list) and items:
        return all(_fits(item, items[0]) for item in value)
    return True


@functools.cache
def _parameters(function) -> tuple[list[inspect.Parameter], dict[str, Any]]:
    parameters = list(inspect.signature(function).parameters.values())[1:]  # after self
    return parameters, typing.get_type_hints(function)


def misfit(handler: EventHandler, payload: dict[str, Any]) -> str | None:
    """Why a payload does not fit the handler's parameters (never quoting the values), or None when it does."""
    parameters, hints = _parameters(handler.fn)
    if any(p.kind is inspect.Parameter.VAR_KEYWORD for p in parameters):
        return None
    if unknown := sorted(set(payload) - {p.name for p in parameters}):
        return f"unexpected argument {unknown[0][:40]!r}"
    if missing := [p.name for p in parameters if p.default is inspect.Parameter.empty and p.name not in payload]:
        return f"missing argument {missing[0]!r}"
    for name, value in payload.items():
        hint = hints.get(name, Any)
        if not _fits(value, hint):
            return f"argument {name!r} is not {getattr(hint, '__name__', hint)}"
    return None


def unknown_storage(values: object) -> str | None:
    """Why browser storage values sent with an event name no state of the app (Reflex would fail on them)."""
    if values is None:
        return None
    if not isinstance(values, dict):
        return "browser storage is not a mapping"
    for key in values:
        try:
            State.get_class_substate(str(key).rpartition(".")[0])
        except ValueError:
            return "browser storage names no state"
    return None


def problem(registered: RegisteredEventHandler, payload: dict[str, Any]) -> str | None:
    """Why an event is one no page of the app sends, or None."""
    handler, state = registered.handler, registered.states[0]
    if handler.fn.__module__ == "reflex.state" and handler.fn.__name__ in STORAGE_HANDLERS:
        return unknown_storage(payload.get("vars"))
    if not state.__module__.startswith(APP_PACKAGE):
        return None
    if handler.fn.__name__ == "setvar":
        return "setvar is not used by the app"
    return misfit(handler, payload) if handler.fn.__module__.startswith(APP_PACKAGE) else None


class EventCheck(Middleware):
    """Drops events that no page of the app sends (see the module's docstring)."""

    async def preprocess(self, app, state: BaseState, event: Event) -> StateUpdate | None:
        registered = RegistrationContext.get().event_handlers.get(event.name)
        if registered is None or (why := problem(registered, event.payload)) is None:
            return None
        log.warning("Dropped an event for %s: %s", event.name.rsplit(".", 1)[-1][:60], why)
        return StateUpdate()


class OneLineForUnknownHandlers(logging.Filter):
    """Reflex logs an event naming no handler with a traceback and the whole event; it is the client's mistake, not
    a fault of the server, so one line is enough."""

    def filter(self, record: logging.LogRecord) -> bool:
        error = record.exc_info[1] if record.exc_info else None
        if isinstance(error, KeyError) and "No registered handler found" in str(error):
            record.msg, record.args, record.exc_info, record.exc_text = (
                "Dropped an event naming no handler",
                (),
                None,
                None,
            )
            record.levelno, record.levelname = logging.WARNING, "WARNING"
        return True


def install(app) -> None:
    """Check every event the app receives."""
    app.add_middleware(EventCheck())
    logging.getLogger("reflex_base.event.processor.event_processor").addFilter(OneLineForUnknownHandlers())
