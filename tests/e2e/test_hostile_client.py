"""A hostile websocket client against the running app: it speaks Reflex's socket.io protocol itself, with no tab
token, with a forged or ended sign-in session, and sends what no browser would: wrong argument types, large and huge
strings, unknown ids and names of handlers that do not exist.

It must get refusals or nothing, the server must log no traceback, the tab's state on the server must not grow, the
database must not change, nothing must be left running (the live-update subscription included), and a person must
still be able to use the app afterwards.
"""

import asyncio
import concurrent.futures
import logging
import secrets
import sys
import time
from collections.abc import Callable, Coroutine
from typing import Any

import pytest
import socketio
from playwright.sync_api import Browser, expect
from reflex.testing import AppHarness

from bench._reflex_client import ENGINEIO_PATH, NAMESPACE, ROOT_STATE, ReflexSession, state_path, vars_of
from customer_app.access import auth
from customer_app.core.db import make_engine, session_scope
from customer_app.core.live import customer_page_key
from customer_app.core.permissions import Actor, Role
from customer_app.customers.customers import create_customer
from customer_app.customers.validation import validate_customer
from customer_app.settings import settings
from tests.database_rows import all_rows, changed_tables
from tests.e2e.browsing import open_customers, session_token
from tests.e2e.helpers import rows, search

LIST = state_path("customer_app.customers.state.customer_list", "CustomerListState")
PAGE = state_path("customer_app.customer_page.state.page", "CustomerDetailState")
FORM = state_path("customer_app.customers.state.customer_form", "CustomerFormState")
HISTORY = state_path("customer_app.customers.state.customer_history", "CustomerHistoryState")
NOTES = state_path("customer_app.records.state.notes", "CustomerNotesState")
TICKETS = state_path("customer_app.records.state.tickets", "CustomerTicketsState")
FIELDS = state_path("customer_app.admin.state.custom_fields", "CustomFieldsAdminState")
EXPORT = state_path("customer_app.transfer.state.exporter", "ExportState")
STAFF = state_path("customer_app.admin.state.staff", "StaffAdminState")
AUTH_KEY = state_path("customer_app.access.state.auth", "AuthState") + ".auth_token_rx_state_"
STORAGE = f"{ROOT_STATE}.reflex___state____update_vars_internal_state.update_vars_internal"
LARGE = "y" * 450_000  # two of them fit in the largest message the websocket takes (1 MB)
HUGE = "x" * 3_000_000  # several MB: over it
SETTLE = 20.0  # seconds the server may take to answer a hostile batch


def hostile_events(customer_id: int, staff_id: int) -> list[tuple[str, dict[str, Any]]]:
    """What the client sends: real handlers with real ids, wrong types, large strings, made-up handlers."""
    target, person = str(customer_id), str(staff_id)
    return [
        # Real handlers, real ids: each must be refused.
        (f"{LIST}.set_search", {"value": "Hostile"}),
        (f"{LIST}.toggle_selected", {"row_id": target}),
        (f"{LIST}.remove_selected", {}),
        (f"{LIST}.remove_all", {}),
        (f"{LIST}.restore", {"row_ids": [target]}),
        (f"{HISTORY}.load", {"customer_id": customer_id}),
        (f"{FORM}.open_edit", {"customer_id": target}),
        (f"{FORM}.save", {"form_data": {"first_name": "Hacked", "last_name": "Hacked"}}),
        (f"{PAGE}.delete_customer", {}),
        (f"{NOTES}.add_note", {"form": {"note": "Hacked"}}),
        (f"{STAFF}.change_role", {"user_id": person, "role": "read_only"}),
        (f"{STAFF}.invite", {"form": {"email": "mallory@example.com", "name": "Mallory", "role": "admin"}}),
        # Wrong types, missing and extra arguments.
        (f"{LIST}.set_search", {"value": 12345}),
        (f"{LIST}.set_search", {"value": {"$ne": ""}}),
        (f"{LIST}.set_search", {"value": None}),
        (f"{LIST}.set_search", {}),
        (f"{LIST}.clear_search", {"bogus": 1}),
        (f"{LIST}.go_to_page", {"page": "last"}),
        (f"{LIST}.go_to_page", {"page": [1, 2]}),
        (f"{LIST}.set_page_size", {"size": {"rows": 100000}}),
        (f"{LIST}.toggle_selected", {"row_id": [customer_id, 2]}),
        (f"{LIST}.restore", {"row_ids": "1,2,3"}),
        (f"{LIST}.set_tab", {"tab": None}),
        (f"{HISTORY}.load", {"customer_id": "1; DROP TABLE customer"}),
        (f"{FORM}.save", {"form_data": "not a form"}),
        (f"{PAGE}.set_tab", {"tab": 7}),
        (f"{LIST}.ask_delete", {"row_id": None, "name": ["a"]}),
        (STORAGE, {"vars": {AUTH_KEY: 12345}}),
        (STORAGE, {"vars": {f"{LIST}.rows_rx_state_": [{"id": "1"}]}}),
        (STORAGE, {"vars": {"reflex___state____state.no_such_state.x_rx_state_": "1"}}),
        (f"{LIST}.setvar", {"var_name": "rows", "value": [{"id": "1"}]}),
        # Large strings, and ids by the thousand: nothing of them may stay in the tab's state.
        (f"{LIST}.set_search", {"value": LARGE}),
        (f"{LIST}.toggle_sort", {"key": LARGE}),
        (f"{LIST}.type_tag", {"value": LARGE}),
        (f"{LIST}.ask_delete", {"row_id": LARGE, "name": LARGE}),
        (f"{LIST}.toggle_selected", {"row_id": LARGE}),
        *((f"{LIST}.toggle_selected", {"row_id": str(i)}) for i in range(1, 2001)),
        (f"{NOTES}.ask_delete", {"note_id": LARGE}),
        (f"{TICKETS}.ask_delete", {"record_id": LARGE}),
        (f"{FIELDS}.set_field_type", {"field_type": LARGE}),
        (f"{EXPORT}.set_config_name", {"value": LARGE}),
        (f"{FORM}.save", {"form_data": {"first_name": LARGE, "last_name": "Hacked"}}),
        (f"{TICKETS}.save", {"form": {"subject": LARGE, "description": LARGE}}),
        # Handlers that do not exist.
        (f"{LIST}.drop_everything", {}),
        (f"{LIST}._load", {}),
        (f"{LIST}._change", {"work": "print", "done": "x"}),
        ("reflex___state____state.no_such_state.handler", {}),
        ("not a handler at all", {}),
    ]


def in_thread(coroutine: Coroutine[Any, Any, Any]) -> Any:
    """Run a coroutine on its own event loop in a worker thread (Playwright's sync API owns this thread)."""
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, coroutine).result()


async def until(condition: Callable[[], bool], what: str, seconds: float = SETTLE) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, f"waited {seconds:.0f} s for {what}"
        await asyncio.sleep(0.05)


class Tab:
    """One hostile tab on the customers page, keeping every update the server sends it."""

    def __init__(self, backend: str, storage: dict[str, Any]):
        self.session = ReflexSession(backend, "/customers", storage)
        self.updates: list[tuple[dict, list]] = []
        self.session.listeners.append(lambda delta, events, _: self.updates.append((delta, events)))

    def sign_in_pages_since(self, start: int) -> int:
        return sum(
            1
            for _, events in self.updates[start:]
            for event in events
            if event.get("name") == "_redirect" and str(event.get("payload", {}).get("path", "")).startswith("/login")
        )

    def searched(self, term: str) -> bool:
        return any(vars_of(delta, LIST).get("search") == term for delta, _ in self.updates)

    async def open(self) -> None:
        """Connect as a browser does; the page's first read must send it to sign in."""
        await self.session.connect()
        await until(lambda: self.sign_in_pages_since(0) > 0, "the customers page to send the tab to sign in")

    async def send(self, name: str, payload: dict[str, Any]) -> None:
        await self.session.sio.emit("event", self.session._event(name, payload), namespace=NAMESPACE)

    async def settle(self) -> None:
        """Send a search the server refuses but shows (the box keeps the text), and wait for it: every event sent
        before it has been handled (a tab's events are handled one after another)."""
        term = f"probe {secrets.token_hex(4)}"
        await self.send(f"{LIST}.set_search", {"value": term})
        await until(lambda: self.searched(term), "the answer to the last event")


def tab_state(harness: AppHarness, token: str):
    """The state the server keeps for a tab token (the backend runs in this process)."""
    assert harness.app_instance is not None
    return harness.app_instance.state_manager.states.get(token)  # pyright: ignore[reportAttributeAccessIssue]


def state_sizes(root) -> dict[str, int]:
    """How much each var of each state of the tab holds."""
    sizes, todo = {}, [root]
    while todo:
        state = todo.pop()
        sizes |= {f"{type(state).__name__}.{name}": len(repr(getattr(state, name))) for name in state.base_vars}
        todo += state.substates.values()
    return sizes


def grown(before: dict[str, int], after: dict[str, int]) -> dict[str, int]:
    """The vars that hold more than a kilobyte more than before."""
    return {name: size for name, size in after.items() if size > before.get(name, 0) + 1_000}


def live_subscriptions(token: str) -> list[str]:
    """The tab's live-update subscriptions, as the running app's hub has them."""
    hub = sys.modules["customer_app.core.live"].hub
    return [key for key in (token, customer_page_key(token)) if key in hub.subscribers]


def tracebacks(caplog: pytest.LogCaptureFixture, output: str) -> list[str]:
    """Tracebacks the server logged or printed."""
    found = [r.getMessage()[:300] for r in caplog.records if r.exc_info or "Traceback" in r.getMessage()]
    return found + (["printed: " + output[output.index("Traceback") :][:300]] if "Traceback" in output else [])


@pytest.fixture(scope="module")
def backend(harness: AppHarness) -> str:
    """Where the websocket is: the backend the harness runs in a thread of this process."""
    assert harness.backend is not None
    return "http://{}:{}".format(*harness.backend.servers[0].sockets[0].getsockname())


@pytest.fixture(scope="module")
def world(harness: AppHarness) -> dict[str, Any]:
    """A customer and an admin to aim at, and a session that was signed out."""
    with session_scope() as session:
        admin = auth.resolve_session(session_token("admin"), session=session)
        actor = Actor(admin.id, admin.email, admin.name, Role.ADMIN)
        customer = create_customer(
            validate_customer({"first_name": "Tara", "last_name": "Target"}, phone_region="US"),
            actor=actor,
            session=session,
        )
        session.flush()
        ids = {"customer": customer.id, "staff": admin.id}
    ended = session_token("staff")
    with session_scope() as session:
        auth.sign_out(ended, session=session)
    return ids | {"ended": ended}


@pytest.mark.parametrize("who", ["no sign-in", "forged session", "signed-out session", "session of the wrong type"])
def test_a_hostile_tab_is_refused_leaves_no_trace_and_starts_nothing(
    who, world, backend: str, harness: AppHarness, caplog: pytest.LogCaptureFixture, capfd: pytest.CaptureFixture
):
    caplog.set_level(logging.WARNING)
    storage = {
        "no sign-in": {},
        "forged session": {AUTH_KEY: secrets.token_urlsafe(32)},
        "signed-out session": {AUTH_KEY: world["ended"]},
        "session of the wrong type": {AUTH_KEY: {"token": ["not", "text"]}},
    }[who]
    engine = make_engine(settings.database_url)
    before = all_rows(engine)

    async def attack() -> tuple[dict[str, int], list[str]]:
        tab = Tab(backend, storage)
        await tab.open()
        sizes = state_sizes(tab_state(harness, tab.session.token))
        for name, payload in hostile_events(world["customer"], world["staff"]):
            await tab.send(name, payload)
        await tab.send(f"{LIST}.watch_changes", {})
        await tab.send(f"{PAGE}.watch_changes", {})
        await tab.settle()
        root = tab_state(harness, tab.session.token)
        listing = root.get_substate(LIST.split(".")[1:])
        assert (listing.rows, listing.selected) == ([], [])
        subscribed = live_subscriptions(tab.session.token)
        await tab.session.disconnect()
        return grown(sizes, state_sizes(root)), subscribed

    bigger, subscribed = in_thread(attack())

    assert bigger == {}, "the tab's state grew"
    assert subscribed == [], "watch_changes subscribed a tab nobody signed in to"
    assert changed_tables(before, all_rows(engine)) == []
    engine.dispose()
    assert tracebacks(caplog, "".join(capfd.readouterr())) == []


def test_a_client_without_a_tab_token_is_ignored_a_huge_message_dropped_and_people_are_still_served(
    world, backend: str, browser: Browser, app_url: str, caplog: pytest.LogCaptureFixture, capfd: pytest.CaptureFixture
):
    caplog.set_level(logging.WARNING)
    engine = make_engine(settings.database_url)
    before = all_rows(engine)

    async def attack() -> list[Any]:
        answers: list[Any] = []
        client = socketio.AsyncClient(reconnection=False)
        client.on("event", answers.append, namespace=NAMESPACE)
        await client.connect(backend, socketio_path=ENGINEIO_PATH, namespaces=[NAMESPACE], transports=["websocket"])
        ignored = lambda: sum("no associated token" in r.getMessage() for r in caplog.records)  # noqa: E731
        for name in (f"{LIST}.set_search", f"{LIST}.watch_changes", f"{LIST}.remove_all", "no.such.handler"):
            await client.emit("event", {"name": name, "payload": {}, "router_data": {}}, namespace=NAMESPACE)
        await until(lambda: ignored() >= 4, "the server to drop the four events of a client without a tab token")
        await client.disconnect()

        huge = Tab(backend, {})
        await huge.open()
        await huge.send(f"{LIST}.set_search", {"value": HUGE})
        await until(lambda: not huge.session.sio.connected, "the server to drop the connection of a huge message")
        return answers

    assert in_thread(attack()) == []
    assert changed_tables(before, all_rows(engine)) == []
    engine.dispose()
    assert tracebacks(caplog, "".join(capfd.readouterr())) == []

    page = open_customers(browser, app_url)  # the server still serves people
    try:
        search(page, "Tara Target")
        expect(rows(page).filter(has_text="Tara Target").first).to_be_visible()
    finally:
        page.context.close()


def test_watch_changes_subscribes_a_signed_in_tab(backend: str):
    """The other side of the refusals above: a signed-in tab's live updates are seen where the test looks."""

    async def follow() -> tuple[str, list[str]]:
        tab = ReflexSession(backend, "/customers", {AUTH_KEY: session_token("read_only")})
        await tab.connect()
        await until(lambda: bool(live_subscriptions(tab.token)), "the signed-in tab to subscribe")
        found = live_subscriptions(tab.token)
        await tab.disconnect()
        return tab.token, found

    token, found = in_thread(follow())
    assert found == [token]
