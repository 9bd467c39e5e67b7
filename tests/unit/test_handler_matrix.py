"""Every handler × every caller: each public event handler of every state, called by a browser with no session, with an
ended session (signed out, expired, deactivated account), and signed in as read-only, staff and admin.

The handlers are found by walking the app's state tree, and what each needs is read from its guard calls and the role
table (tests/unit/handler_calls.py): nothing here lists handlers or their permissions by hand. Each case runs on its
own copy of a world where every id argument names a real row (tests/unit/matrix_world.py).

A caller the table lets through is answered, not refused. A caller it does not let through is refused (sent to sign
in, or told their role does not allow it) or gets no answer, and in either case gets none of the world's data back
(in what the browser receives or in the tab's state), changes nothing in the database or on disk, and leaves nothing
running. Handlers that only open or close a pop-up or select rows (the UNCHECKED allow-list) do the same for everyone.
"""

import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from reflex.state import BaseState, State
from sqlalchemy import Engine

from customer_app.access.state.auth import AuthState
from customer_app.core import db
from customer_app.core.permissions import Role
from customer_app.settings import settings
from tests.database_rows import all_rows, changed_tables
from tests.unit.accounts import ADDRESS
from tests.unit.handler_calls import (
    PORTAL,
    TARGET,
    TOKEN,
    Answer,
    Handler,
    allowed_roles,
    app_handlers,
    arguments,
    deliver,
    permissions_in,
    point_at_target,
)
from tests.unit.matrix_world import CALLERS, World, build_world, marked_words, without_data

HANDLERS = app_handlers()
UI_ONLY = {"pop-ups and form fields", "selection"}  # groups of the allow-list that never read or write


# What the pages for signed-out people and signing out legitimately record about anyone: their own session,
# failed sign-ins, the audit trail of those, and reset links with their mail.
BOOKKEEPING = {"staff_session", "sign_in_attempt", "audit_event", "one_time_token", "outbox_message"}


@pytest.fixture(scope="module")
def worlds(tmp_path_factory, password_hash) -> tuple[World, World]:
    """The world, and the same accounts and sessions without any data."""
    folder = tmp_path_factory.mktemp("matrix")
    world = build_world(folder / "world.db", password_hash)
    return world, without_data(world, folder / "bare.db")


@pytest.fixture(scope="module")
def folder(tmp_path_factory) -> Iterator[Path]:
    """Where each case keeps its copy of a world (replaced by the next case): in memory where the system offers a
    folder there, since a disk would make each copy wait for its writes to land."""
    memory = Path("/dev/shm")
    if not memory.is_dir():
        yield tmp_path_factory.mktemp("cases")
        return
    with tempfile.TemporaryDirectory(dir=memory, prefix="matrix-") as name:
        yield Path(name)


@pytest.fixture
def use(folder: Path, monkeypatch) -> Iterator[Callable[[World], Engine]]:
    """Point the app at a fresh copy of a world; its private folders are the case's own."""
    engines: list[Engine] = []
    monkeypatch.setenv("IMPORT_DIR", str(folder / "imports"))
    monkeypatch.setenv("EXPORT_DIR", str(folder / "exports"))
    monkeypatch.setenv("DOCUMENT_DIR", str(folder / "documents"))

    def copy(world: World) -> Engine:
        engine = world.copy(folder / f"case-{len(engines)}.db")
        engines.append(engine)
        monkeypatch.setattr(db, "engine", lambda: engine)
        return engine

    yield copy
    for engine in engines:
        engine.dispose()


def browser_tab(token: str) -> State:
    """A tab's state tree as Reflex builds it for a websocket client, on a customer's page, holding `token`."""
    root = State(_reflex_internal_init=True)  # pyright: ignore[reportCallIssue] (how Reflex builds one)
    path = f"/customers/{TARGET}"
    router = {"pathname": path, "asPath": path, "query": {}, "token": TOKEN, "sid": "sid", "headers": {}, "ip": ADDRESS}
    root.router_data = root._update_router_vars(router, {})
    todo: list[BaseState] = [root]
    while todo:
        state = todo.pop()
        point_at_target(state)
        todo += state.substates.values()
    root.get_substate(AuthState._get_substate_path()).auth_token = token
    return root


def tab_values(root: State) -> dict[str, object]:
    """Every var of every state of the tab, those only the server keeps included, by state and name."""
    values = {f"{state}.{name}": value for state, variables in root.dict().items() for name, value in variables.items()}
    todo: list[BaseState] = [root]
    while todo:
        state = todo.pop()
        kept = {name: value for name, value in vars(state).items() if not name.startswith("__")}  # not var caches
        values |= {f"{state.get_full_name()}.{name}": value for name, value in kept.items()}
        todo += state.substates.values()
    return values


def tab_text(root: State) -> str:
    return str(tab_values(root))


def files() -> set[Path]:
    """Every file in the folders the app writes: pictures and other uploads, imports, exports, documents' PDFs."""
    folders = (settings.upload_dir, settings.import_dir, settings.export_dir, settings.document_dir)
    return {path for folder in folders if folder.exists() for path in folder.rglob("*") if path.is_file()}


def leaked(before: str, after: dict[str, object], answer: Answer) -> list[str]:
    """The world's data the caller got back: in what was sent to the browser or now held by the tab."""
    return sorted(marked_words(answer.text() + "\n" + str(after)) - marked_words(before))[:5]


def refusal_problems(caller: str, answer: Answer) -> list[str]:
    """A refused caller is sent to sign in (nobody signed in), told their role does not allow it, or not answered."""
    problems = []
    if CALLERS[caller] is None and answer.says_role_refused():
        problems.append("told a caller who is not signed in that their role is refused")
    if CALLERS[caller] is not None and answer.sends_to_sign_in():
        problems.append("sent a signed-in caller to sign in")
    if others := [event.name for event in answer.events if event not in answer.refusals()]:
        problems.append(f"answered as if allowed: {others}")
    return problems


def differences(mine: dict[str, object], answer: Answer, twin: State, twin_answer: Answer) -> list[str]:
    """What tells a caller the world from one without data: vars of the tab, or what was sent back, that differ."""
    theirs = tab_values(twin)
    keys = sorted(mine.keys() | theirs.keys())
    found = [key.rsplit("___", 1)[-1].removesuffix("_rx_state_") for key in keys if mine.get(key) != theirs.get(key)]
    return list(dict.fromkeys(found)) + (["what was sent back"] if answer.text() != twin_answer.text() else [])


def allowed(handler: Handler, caller: str) -> bool:
    role: Role | None = CALLERS[caller]
    return bool(handler.unchecked_because) or role in allowed_roles(handler)


def reveals_nothing(handler: Handler, caller: str) -> bool:
    """Whether the caller must get nothing of the world: refused, or on a handler that only works the page."""
    if handler.unchecked_because in UI_ONLY:
        return True
    return not allowed(handler, caller) or (bool(handler.unchecked_because) and CALLERS[caller] is None)


@pytest.mark.parametrize("caller", list(CALLERS))
@pytest.mark.parametrize("handler", HANDLERS, ids=str)
def test_each_caller_gets_what_the_permission_table_grants(worlds, use, handler: Handler, caller: str):
    world, bare = worlds
    engine, root = use(world), browser_tab(world.tokens[caller])
    skip = BOOKKEEPING if handler.unchecked_because and handler.unchecked_because not in UI_ONLY else set()
    quiet = reveals_nothing(handler, caller)
    before_db, before_files, before_tab = (
        (all_rows(engine, skip), files(), tab_text(root)) if quiet else ({}, set(), "")
    )

    answer = deliver(root, handler, arguments(handler))

    problems = []
    if not handler.unchecked_because and allowed(handler, caller) and answer.refusals():
        problems.append("refused, though the permission table allows this caller")
    if not allowed(handler, caller):
        problems += refusal_problems(caller, answer)
    if quiet:
        after = tab_values(root)
        if words := leaked(before_tab, after, answer):
            problems.append(f"data sent back: {words}")
        if tables := changed_tables(before_db, all_rows(engine, skip)):
            problems.append(f"database written: {tables}")
        if new_files := files() - before_files:
            problems.append(f"files written: {sorted(p.name for p in new_files)}")
        if answer.left_running:
            problems.append(f"left running: {answer.left_running}")
        use(bare)
        twin = browser_tab(world.tokens[caller])
        if differ := differences(after, answer, twin, deliver(twin, handler, arguments(handler))):
            problems.append(f"answer depends on the data: {differ[:5]}")
    assert not problems, f"{handler} × {caller}: " + "; ".join(problems)


def test_the_matrix_covers_every_state_and_each_guarded_handler_names_what_it_needs():
    states = {handler.state.__name__ for handler in HANDLERS}
    assert {"AuthState", "CustomerListState", "CustomerDetailState", "StaffAdminState", "ImportState"} <= states
    checked = [handler for handler in HANDLERS if not handler.unchecked_because]
    portal = {handler for handler in checked if PORTAL in permissions_in(handler.function, handler.state)}
    assert {"PortalTicketsState.open_ticket", "PortalProfileState.save"} <= {str(h) for h in portal}
    assert all(allowed_roles(handler) for handler in checked if handler not in portal)
    assert not any(allowed_roles(handler) for handler in portal)  # a staff session never writes in the portal
    assert {str(h) for h in checked if allowed_roles(h) == {Role.ADMIN}} >= {
        "StaffAdminState.invite",
        "OutboxState.on_load",
    }
    assert allowed_roles(next(h for h in HANDLERS if str(h) == "CustomerListState.on_load")) == set(Role)


def lengthened(value: object) -> object:
    """The same arguments with every text 100,000 characters long."""
    if isinstance(value, str):
        return "z" * 100_000
    if isinstance(value, dict):
        return {key: lengthened(item) for key, item in value.items()}
    if isinstance(value, list):
        return [lengthened(item) for item in value]
    return value


@pytest.mark.parametrize("handler", HANDLERS, ids=str)
def test_a_tab_nobody_signed_in_to_keeps_no_long_text_it_sent(worlds, use, handler: Handler):
    world, _ = worlds
    use(world)
    root = browser_tab(world.tokens["no session"])
    before = {key: len(repr(value)) for key, value in tab_values(root).items()}

    deliver(root, handler, {name: lengthened(value) for name, value in arguments(handler).items()})

    after = {key: len(repr(value)) for key, value in tab_values(root).items()}
    grown = {key.rsplit("___", 1)[-1]: size for key, size in after.items() if size > before.get(key, 0) + 1_000}
    assert grown == {}, f"{handler} keeps what a client nobody signed in to sent"
