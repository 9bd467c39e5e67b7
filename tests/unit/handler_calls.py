"""Every event handler of the app, what it needs, and calling it as a browser would, for the authorization matrix.

What a handler needs is read from its source, never listed by hand: the permissions named in the guard calls it
makes (itself, or through methods of its state), combined with the role table in `core/permissions.py`. Its
arguments are made from its signature. It is then run the way Reflex runs an event from the websocket (payload
converted by the handler's annotations, the state tree in a state manager, background handlers on a state proxy),
and everything it sends back to the browser is kept.
"""

import ast
import asyncio
import contextlib
import functools
import inspect
import io
import json
import time
import typing
from collections.abc import Callable
from dataclasses import dataclass, field, fields, is_dataclass, replace
from typing import Any

import reflex as rx
from PIL import Image
from reflex.istate.manager.memory import StateManagerMemory
from reflex.istate.manager.token import BaseStateToken
from reflex.istate.proxy import StateProxy
from reflex.state import BaseState, State
from reflex_base.event import Event
from reflex_base.event.context import EventContext
from reflex_base.event.processor.base_state_processor import process_event

from customer_app.core.live import customer_page_key, hub
from customer_app.core.permissions import PERMISSIONS, Role
from customer_app.portal.state.portal import portal_act
from customer_app.portal.state.portal_tickets import PORTAL_PAGE
from tests.unit.accounts import PASSWORD
from tests.unit.test_handler_guards import GUARDS as GUARD_CALLS
from tests.unit.test_handler_guards import PORTAL_GUARDS, UNCHECKED, app_states, function_of, syntax

syntax = functools.cache(syntax)  # the matrix asks about each handler many times

GUARDS = {guard.__name__: guard for guard in GUARD_CALLS}
PORTAL = "portal"  # what a portal write asks for: a portal session, which no staff role has
TARGET = 7001  # every table's first row of the world has this id, so any id argument names a real row
TOKEN = "matrix-tab"
ANYONE = frozenset(Role)


@dataclass(frozen=True)
class Handler:
    """One client-callable handler of one state."""

    state: type[BaseState]
    name: str

    def __str__(self) -> str:
        return f"{self.state.__name__}.{self.name}"

    @property
    def function(self) -> Callable:
        return self.state.event_handlers[self.name].fn

    @property
    def unchecked_because(self) -> str | None:
        """The allow-list group of a handler that needs no check (test_handler_guards.UNCHECKED), or None."""
        return next((why for why, names in UNCHECKED.items() if str(self) in names), None)


def app_handlers() -> list[Handler]:
    """Every handler the app's states serve (not Reflex's own, like `setvar`)."""
    return [
        Handler(state, name)
        for state in app_states()
        for name, handler in sorted(state.event_handlers.items())
        if handler.fn.__module__.startswith("customer_app")
    ]


# --- what a handler needs ------------------------------------------------------------------------------------


def _constant(node: ast.expr, function: Callable) -> Any:
    """The value of a literal or of a module-level name, as the function sees it."""
    if isinstance(node, ast.Constant):
        return node.value
    if isinstance(node, ast.Name):
        return function.__globals__.get(node.id)
    if isinstance(node, ast.Tuple | ast.List | ast.Set):
        return tuple(_constant(element, function) for element in node.elts)
    return None


def _guard_permissions(call: ast.Call, guard: Callable, caller: Callable) -> set[str]:
    """The permission a guard call asks for: its `permission` argument, or what the guard itself asks for."""
    if guard is portal_act or any(k.arg == "writing" for k in call.keywords):
        return {PORTAL}
    if guard in PORTAL_GUARDS:  # a read: staff who may view the customer see it in a preview
        return {"customer.view"}
    names = list(inspect.signature(guard).parameters)
    arguments = dict(zip(names, call.args, strict=False)) | {k.arg: k.value for k in call.keywords if k.arg}
    if "permission" in arguments:
        permission = _constant(arguments["permission"], caller)
        assert permission in PERMISSIONS, f"{caller.__qualname__} asks for a permission that is not in the table"
        return {permission}
    return permissions_in(guard)


def permissions_in(function: Callable, state: type | None = None, seen: frozenset[str] = frozenset()) -> set[str]:
    """Every permission the function's guard calls ask for, following the state's own methods to any depth."""
    found: set[str] = set()
    for node in ast.walk(syntax(function)):
        if not isinstance(node, ast.Call):
            continue
        if isinstance(node.func, ast.Name) and node.func.id in GUARDS:
            found |= _guard_permissions(node, GUARDS[node.func.id], function)
        elif state is not None and isinstance(node.func, ast.Attribute) and ast.unparse(node.func.value) == "self":
            method = function_of(inspect.getattr_static(state, node.func.attr, None))
            if node.func.attr not in seen and method is not None:
                found |= permissions_in(method, state, seen | {node.func.attr})
    return found


@functools.cache
def allowed_roles(handler: Handler) -> frozenset[Role]:
    """Who the permission table lets through: the roles granted every permission the handler asks for."""
    if handler.unchecked_because:
        return ANYONE
    needed = permissions_in(handler.function, handler.state)
    assert needed, f"{handler} asks for no permission: what it needs cannot be told from its source"
    if PORTAL in needed:  # a staff session never opens the portal
        return frozenset()
    return frozenset.intersection(*(PERMISSIONS[permission] for permission in needed))


# --- plausible arguments --------------------------------------------------------------------------------------

FIELD_SAMPLES = {  # what a person would type in the fields whose format is checked
    "email": "hostile@example.com",  # nobody's account: a refused sign-in
    "password": PASSWORD,
    "confirm": PASSWORD,
    "starts_at": "2031-05-06T10:30",
    "duration_minutes": "45",
    "date_of_birth": "1980-02-03",
    "phone": "+1 212 555 0100",
    "website": "https://example.com",
    "role": "staff",
    "rate_currency": "USD",
    "rate_day": "2026-11-02",
    "per_euro": "1.1",
    "base_currency": "USD",
    "exchange_rate": "1.1",
}
TEXT = "Hostile words"


def _png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (24, 16), (200, 40, 90)).save(buffer, "PNG")
    return buffer.getvalue()


def _is_id(name: str) -> bool:
    return name == "id" or name.endswith("_id") or name.endswith("_ids")


def _choices(parameter: str, function: Callable) -> list[str]:
    """The values the handler compares the parameter with (`tab in TABS`, `kind == "institution"`)."""
    found: list[str] = []
    for node in ast.walk(syntax(function)):
        if isinstance(node, ast.Compare) and isinstance(node.left, ast.Name) and node.left.id == parameter:
            for operator, other in zip(node.ops, node.comparators, strict=True):
                value = _constant(other, function)
                if isinstance(operator, ast.Eq | ast.NotEq) and isinstance(value, str):
                    found.append(value)
                elif isinstance(operator, ast.In | ast.NotIn) and isinstance(value, dict | tuple | list | set):
                    found += [v for v in value if isinstance(v, str)]
    return found


def _form_fields(parameter: str, function: Callable) -> list[str]:
    """The names the handler reads from a form: `form.get("x")`, `form["x"]`, `{n: form.get(n) for n in NAMES}`."""
    tree = syntax(function)
    loops = {
        node.target.id: node.iter
        for node in ast.walk(tree)
        if isinstance(node, ast.comprehension | ast.For) and isinstance(node.target, ast.Name)
    }
    names: list[str] = []
    for node in ast.walk(tree):
        key = None
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "get":
            key = node.args[0] if ast.unparse(node.func.value) == parameter and node.args else None
        elif isinstance(node, ast.Subscript) and ast.unparse(node.value) == parameter:
            key = node.slice
        if isinstance(key, ast.Name) and key.id in loops:
            names += [name for name in _constant(loops[key.id], function) or () if isinstance(name, str)]
        elif isinstance(key, ast.Constant) and isinstance(key.value, str):
            names.append(key.value)
    return list(dict.fromkeys(names))


def _sample(name: str) -> str:
    return str(TARGET) if _is_id(name) else FIELD_SAMPLES.get(name, TEXT)


def arguments(handler: Handler) -> dict[str, Any]:
    """A value for each parameter, from its annotation: ids of real rows, text, form data with the handler's fields."""
    function = handler.function
    hints = typing.get_type_hints(function)
    payload: dict[str, Any] = {}
    for name in list(inspect.signature(function).parameters)[1:]:
        hint = hints.get(name, str)
        origin = typing.get_origin(hint) or hint
        if hint is int:
            payload[name] = TARGET
        elif hint is bool:
            payload[name] = True
        elif origin is dict:
            payload[name] = {key: _sample(key) for key in _form_fields(name, function)}
        elif origin is list and typing.get_args(hint)[0] is not str:  # uploaded files
            payload[name] = [rx.UploadFile(file=io.BytesIO(_png()), path=None, size=None)]
        elif origin is list:
            payload[name] = [str(TARGET)]
        else:
            choices = _choices(name, function)
            payload[name] = choices[-1] if choices else _sample(name)
    return payload


def point_at_target(state: BaseState) -> None:
    """Where a person is before acting: every id the state keeps (customer shown, row to confirm, selection) names a
    real row; what a tab that was open when its right was lost, or a client that sent those ids first, would hold."""
    for name in state.base_vars:
        value = getattr(state, name)
        if _is_id(name) and isinstance(value, int) and not isinstance(value, bool):
            setattr(state, name, TARGET)
        elif _is_id(name) and isinstance(value, str):
            setattr(state, name, str(TARGET))
        elif name == "selected" and isinstance(value, list):
            setattr(state, name, [str(TARGET)])
        elif is_dataclass(value) and not isinstance(value, type) and "id" in {f.name for f in fields(value)}:
            setattr(state, name, replace(value, id=str(TARGET)))


# --- calling it ----------------------------------------------------------------------------------------------


@dataclass
class Answer:
    """What the browser got back from one event, and what the event left running."""

    deltas: list[dict] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    left_running: list[str] = field(default_factory=list)  # tasks or live-update subscriptions still there

    def text(self) -> str:
        return json.dumps([self.deltas, [(e.name, e.payload) for e in self.events]], default=str)

    def refusals(self) -> list[Event]:
        """The events that send the browser to sign in, or say the caller's role does not allow it."""
        return [
            event
            for event in self.events
            if (
                event.name == "_redirect"
                and str(event.payload.get("path", "")).startswith(("/login", "/clients/login"))
            )
            or "Your role does not allow this" in json.dumps(event.payload, default=str)
        ]

    def sends_to_sign_in(self) -> bool:
        """Whether it sends the browser to the staff sign-in (the portal's is a refusal for anyone on staff)."""
        return any(
            event.name == "_redirect" and event.payload.get("path", "").startswith("/login")
            for event in self.refusals()
        )

    def says_role_refused(self) -> bool:
        return any(event.name != "_redirect" for event in self.refusals())


def _subscribed() -> list[str]:
    return [key for key in (TOKEN, customer_page_key(TOKEN), TOKEN + PORTAL_PAGE) if key in hub.subscribers]


async def _until(condition: Callable[[], bool], seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while not condition() and time.monotonic() < deadline:
        await asyncio.sleep(0.01)


async def _deliver(root: State, handler: Handler, payload: dict[str, Any]) -> Answer:
    answer = Answer()

    async def emit_delta(_token, delta):
        answer.deltas.append(delta)

    async def emit_events(_token, *events):
        answer.events.extend(events)

    manager = StateManagerMemory()
    await manager.set_state(BaseStateToken(ident=TOKEN, cls=State), root)
    context = EventContext(
        token=TOKEN,
        state_manager=manager,
        enqueue_impl=emit_events,
        emit_delta_impl=emit_delta,
        emit_event_impl=emit_events,
    )
    event_handler = handler.state.event_handlers[handler.name]
    already = asyncio.all_tasks()  # the state manager's own
    try:
        with context:
            substate = root.get_substate(handler.state._get_substate_path())
            if not event_handler.is_background:
                await process_event(event_handler, payload, substate, root)
            else:  # as Reflex runs it: without the lock, on a proxy; a live page's task runs until the page goes
                task = asyncio.create_task(process_event(event_handler, payload, StateProxy(substate), None))
                await _until(lambda: task.done() or bool(_subscribed()), seconds=20)
                answer.left_running += _subscribed()
                if not task.done():
                    answer.left_running.append(f"{handler} still running")
                    task.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await task
        others = [t for t in asyncio.all_tasks() - already if not t.done()]
        answer.left_running += [t.get_name() for t in others]
        for task in others:
            task.cancel()
    finally:
        await manager.close()
    return answer


def deliver(root: State, handler: Handler, payload: dict[str, Any]) -> Answer:
    """Run one event for the browser tab `root`, as Reflex does for a websocket message, and keep its answer."""
    return asyncio.run(_deliver(root, handler, payload))
