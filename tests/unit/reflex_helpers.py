"""Running Reflex event handlers in tests and reading what they send back to the browser."""

import asyncio
import json
import re

_TOAST = re.compile(r'\["(\w+)"\]\(("(?:[^"\\]|\\.)*")(?:, .*)?\)\)\)$')  # the message, then any options


def run(result):
    """Run an async handler to completion (plain handlers return their result directly)."""
    return asyncio.run(result) if asyncio.iscoroutine(result) else result


def run_background(state, name: str):
    """Run a background handler to completion on a state that is not a proxy (where `async with self` does nothing)."""
    return asyncio.run(type(state).event_handlers[name].fn(state))


def toast(spec) -> tuple[str, str]:
    """The kind and message of a toast an event handler returned."""
    kind, message = _TOAST.search(str(spec.args[0][1])).groups()
    return kind, json.loads(message)


def redirect_target(spec) -> str | None:
    """Where a returned event sends the browser, or None if it is not a redirect."""
    if getattr(getattr(spec, "handler", None), "fn", None) is None or spec.handler.fn.__qualname__ != "_redirect":
        return None
    return {name._js_expr: value for name, value in spec.args}["path"]._var_value
