"""Who is signed in to this browser tab: the session token in browser storage, checked on every event."""

import logging
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import reflex as rx
from sqlalchemy.exc import InterfaceError, OperationalError
from sqlmodel import Session

from customer_app import routes
from customer_app.access import auth
from customer_app.core.db import session_scope
from customer_app.core.permissions import ROLE_LABELS, Actor, Role, require
from customer_app.core.threads import in_pool
from customer_app.errors import DATABASE_UNREACHABLE, CustomerAppError, PermissionDenied, ValidationError

log = logging.getLogger(__name__)
STATE_LOST = "The server restarted and this page was read afresh: anything not yet saved is lost."
RESYNC_KEY = "customer_workspace_resync"  # never written: removing it makes the browser send its stored values again
_CHECKS = ThreadPoolExecutor(2, thread_name_prefix="sign-in-check")  # AuthState._resolve's queries
VIEWER_TRUSTED_SECONDS = 5.0  # how long an open page's live task trusts its last look at who views the tab


class AuthState(rx.State):
    """The browser's session token and the signed-in staff member's name and role, for display."""

    auth_token: str = rx.LocalStorage("", name="customer_workspace_session")
    user_name: str = ""
    user_email: str = ""
    role: str = ""

    @rx.var
    def can_edit(self) -> bool:
        """Whether the UI offers create, edit and delete."""
        return self.role in (Role.ADMIN, Role.STAFF)

    @rx.var
    def is_admin(self) -> bool:
        """Whether the UI offers admin pages."""
        return self.role == Role.ADMIN

    @rx.var
    def role_label(self) -> str:
        """The role as people say it."""
        return ROLE_LABELS.get(self.role, "")

    async def _resolve(self) -> Actor | None:
        """The staff member behind this tab's token right now (sessions can end at any moment)."""
        token = self.auth_token if isinstance(self.auth_token, str) else ""  # browser storage: clients send anything
        # In a thread: every event asks, and a query on the event loop would hold up every other tab of the worker
        # (a write's refresh of 200 open pages waited behind the searches' sign-in checks). Threads of their own, so
        # a check never queues behind slow page loads in the default pool.
        actor = await in_pool(_CHECKS, _actor_behind, token, self.router.session.client_ip)
        self.user_name, self.user_email = (actor.name, actor.email) if actor else ("", "")
        self.role = actor.role.value if actor else ""
        return actor

    def _login_redirect(self) -> rx.event.EventSpec:
        """Send the browser to sign in, and back to this very address afterwards (a list's tab and search too). In
        place of this page: Back must not return to a page that only sends away."""
        url = self.router.url
        return rx.redirect(routes.login(routes.address(url.path or "/", url.query)), replace=True)

    @rx.event
    async def sign_out(self):
        """End this browser's session, forget what the tab showed and go to the sign-in page."""
        with session_scope() as session:
            auth.sign_out(self.auth_token, session=session)
        await _forget_the_tab(self)
        return rx.redirect(routes.LOGIN)


def _actor_behind(token: str, address: str) -> Actor | None:
    """The actor of the staff session `token` opens, seen from `address`, or None."""
    with session_scope() as session:
        user = auth.resolve_session(token, session=session)
        return auth.actor_of(user, address) if user else None


async def _forget_the_tab(state: rx.State) -> None:
    """Every state of the tab back to its defaults (the token too): whoever uses the browser next sees nothing of the
    last person's import rows, download links, selections or drafts."""
    todo = list(rx.State.get_substates())
    while todo:  # load them all first: with Redis or on disk a state the tab has not used yet is not in memory
        cls = todo.pop()
        await state.get_state(cls)
        todo += cls.get_substates()
    state._get_root_state().reset()


async def actor_for(state: rx.State, permission: str) -> Actor:
    """The signed-in actor if allowed `permission`; raises PermissionDenied otherwise."""
    auth_state = await state.get_state(AuthState)
    return require(await auth_state._resolve(), permission)


async def refusal(state: rx.State, error: PermissionDenied):
    """What the browser gets when refused: the sign-in page if nobody is signed in, else a message."""
    auth_state = await state.get_state(AuthState)
    if not auth_state.role:
        return auth_state._login_redirect()
    return rx.toast.error(str(error))


async def viewer_gone(state: rx.State):
    """For an open page's live task, right after it asked who views the tab: nothing while someone does; otherwise
    the sign-in page, or, when the server lost the tab's whole state (Redis restarted empty: the session token went
    with it, the browser still holds it), the page read afresh in place with a word about unsaved work."""
    auth_state = await state.get_state(AuthState)
    if auth_state.role:
        return None
    if auth_state.auth_token:  # the session ended: signed out elsewhere, expired or deactivated
        return auth_state._login_redirect()
    return [rx.toast.warning(STATE_LOST, duration=10_000), rx.remove_local_storage(RESYNC_KEY)]  # time to read it


async def actor_or_refusal(state: rx.State, permission: str) -> tuple[Actor | None, object]:
    """For reads: the signed-in actor if allowed `permission`, or None and what to send back (as `act_as` does)."""
    try:
        return await actor_for(state, permission), None
    except PermissionDenied as exc:
        return None, await refusal(state, exc)


@dataclass
class LiveViewer:
    """What an open page's live task last learned about who views its tab (see `live_viewer`)."""

    actor: Actor | None = None
    token: object = None
    until: float = 0.0


async def live_viewer(state: rx.State, permission: str, seen: LiveViewer) -> Actor | None:
    """For an open page's live task: the signed-in actor allowed `permission`, or None (then `viewer_gone`
    says what to send). Asked of the database again when the last answer is VIEWER_TRUSTED_SECONDS old, was nobody,
    or the tab's session token changed (signed out or in in this tab, or the server lost the tab's state).

    Asking on every refresh cost a query per open page per write (200 pages: 200 queries for one save). A session
    ended elsewhere (another tab, an admin) therefore stops this page's refreshes within that time; every event the
    page sends itself is still checked at once.
    """
    token, now = (await state.get_state(AuthState)).auth_token, time.monotonic()
    if seen.actor is None or token != seen.token or now >= seen.until:
        seen.actor, _ = await actor_or_refusal(state, permission)
        seen.token, seen.until = token, now + VIEWER_TRUSTED_SECONDS
    return seen.actor


async def act_as(
    state: rx.State, permission: str, work: Callable[[Actor, Session], object], *, errors: str | None = "errors"
) -> tuple[bool, object]:
    """Run `work(actor, session)` in one transaction as the signed-in user, if their role allows `permission`.

    Returns whether it worked and what to send back otherwise (the sign-in page, or a message). Field errors go to
    the state's var named `errors` (cleared when it worked), or into the message when there is none.
    """
    try:
        actor = await actor_for(state, permission)
        with session_scope() as session:
            work(actor, session)
    except PermissionDenied as exc:
        return False, await refusal(state, exc)
    except ValidationError as exc:
        if errors is None:
            return False, rx.toast.error("; ".join(exc.errors.values()))
        setattr(state, errors, exc.errors)
        return False, None
    except CustomerAppError as exc:
        return False, rx.toast.error(str(exc))
    except (OperationalError, InterfaceError):  # the connection went mid-way: its transaction rolled back whole
        log.exception("The database could not be reached (%s)", permission)
        return False, rx.toast.error(DATABASE_UNREACHABLE)
    if errors is not None:
        setattr(state, errors, {})
    return True, None
