"""A minimal headless Reflex 0.10.1 browser session over socket.io, for load benchmarks.

What the compiled frontend (`.web/utils/state.js`, `.web/utils/context.jsx`) does, and this imitates:

* One socket.io connection per tab to namespace `/_event`, engine.io path `/_event` (in `--env prod` the one
  port serves the page, `/ping` and the websocket), websocket transport only, the tab's token as the
  `?token=` query parameter.
* The boot event rides in the CONNECT packet's `auth` as `{"event": <hydrate_and_load event>}` (0.10.1); the
  backend links the token, hydrates, and queues the page's on_load via `on_load_internal`.
* An event is emitted as socket.io event `"event"` with `{"name": "<state path>.<handler>", "payload": {arg:
  value}, "router_data": {"pathname": ..., "asPath": ...}}`; the backend adds the token and the rest.
* Updates arrive as socket.io event `"event"` with `{"delta": {<state path>: {<var>_rx_state_: value}},
  "events": [...]}`. Nothing in them names the request they answer: match by content.
"""

from __future__ import annotations

import asyncio
import time
import uuid
from collections.abc import Callable
from typing import Any

import socketio

NAMESPACE = "/_event"
ENGINEIO_PATH = "_event"
ROOT_STATE = "reflex___state____state"
VAR_SUFFIX = "_rx_state_"

Delta = dict[str, dict[str, Any]]
Listener = Callable[[Delta, list, float], None]


def state_path(module: str, class_name: str) -> str:
    """The frontend name of an app state, e.g. `customer_app.customers.state.customer_list`, `CustomerListState`."""
    snake = "".join(f"_{c.lower()}" if c.isupper() else c for c in class_name).lstrip("_")
    return f"{ROOT_STATE}.{module.replace('.', '___')}____{snake}"


def vars_of(delta: Delta, path: str) -> dict[str, Any]:
    """The variables of one state in a delta, without the `_rx_state_` suffix ({} when absent)."""
    return {k.removesuffix(VAR_SUFFIX): v for k, v in (delta.get(path) or {}).items()}


class ReflexSession:
    """One browser tab: its own token, one socket, every update timestamped on arrival."""

    def __init__(self, base_url: str, pathname: str = "/", storage: dict[str, str] | None = None) -> None:
        self.base_url = base_url.rstrip("/")
        self.pathname = pathname
        self.storage = storage or {}  # browser storage values by state key, sent with the hydrate as a browser does
        self.token = str(uuid.uuid4())
        self.listeners: list[Listener] = []
        self.updates = 0
        self.error_events: list[str] = []
        self._waiters: list[tuple[Callable[[Delta], bool], asyncio.Future]] = []
        self.sio = socketio.AsyncClient(reconnection=False)
        self.sio.on("event", self._on_update, namespace=NAMESPACE)

    def _router_data(self) -> dict[str, str]:
        # As the browser: the path alone, and the path with its query (`/customers/7?tab=tickets`).
        return {"pathname": self.pathname.split("?", 1)[0], "asPath": self.pathname}

    def _event(self, name: str, payload: dict[str, Any] | None = None) -> dict[str, Any]:
        event: dict[str, Any] = {"name": name, "router_data": self._router_data()}
        if payload:
            event["payload"] = payload
        return event

    async def connect(self, timeout: float = 30.0) -> None:
        """Open the socket with the hydrate-and-load boot event in the CONNECT auth, as the browser does."""
        boot = self._event(f"{ROOT_STATE}.hydrate_and_load", {"vars": self.storage} if self.storage else None)
        await self.sio.connect(
            f"{self.base_url}?token={self.token}",
            socketio_path=ENGINEIO_PATH,
            namespaces=[NAMESPACE],
            transports=["websocket"],
            auth={"event": boot},
            wait_timeout=timeout,  # pyright: ignore[reportArgumentType] (fractions work; the hint says int)
        )

    async def emit(self, handler: str, **payload: Any) -> float:
        """Send one event (`handler` is "<state path>.<method>"); returns the perf_counter time of sending."""
        sent = time.perf_counter()
        await self.sio.emit("event", self._event(handler, payload), namespace=NAMESPACE)
        return sent

    def expect(self, predicate: Callable[[Delta], bool]) -> asyncio.Future:
        """A future resolved with the arrival time of the first later update whose delta satisfies `predicate`."""
        future = asyncio.get_running_loop().create_future()
        self._waiters.append((predicate, future))
        return future

    async def disconnect(self) -> None:
        """Close the socket (the tab goes away)."""
        for _, future in self._waiters:
            future.cancel()
        self._waiters.clear()
        await self.sio.disconnect()

    def _on_update(self, update: dict[str, Any]) -> None:
        arrived = time.perf_counter()
        self.updates += 1
        delta: Delta = update.get("delta") or {}
        events = update.get("events") or []
        for event in events:  # a backend exception reaches the browser as an error toast or alert
            text = str(event.get("payload", ""))
            if "__toast" in text and '["error"]' in text:
                self.error_events.append(text[:300])
        for listener in self.listeners:
            listener(delta, events, arrived)
        if delta and self._waiters:
            still = []
            for predicate, future in self._waiters:
                if future.done():
                    continue
                if predicate(delta):
                    future.set_result(arrived)
                else:
                    still.append((predicate, future))
            self._waiters = still
