"""Who is signed in to the portal in this browser tab, the language it speaks, and the checks every portal handler
makes: the portal token is kept apart from the staff one, so neither opens the other's pages."""

import contextlib
import logging
from collections.abc import Callable
from dataclasses import dataclass

import reflex as rx
from sqlalchemy.exc import InterfaceError, OperationalError
from sqlmodel import Session

from customer_app import routes
from customer_app.access.state.auth import actor_or_refusal
from customer_app.core.db import session_scope
from customer_app.core.i18n import DEFAULT_LANGUAGE, LANGUAGES, best_language, checked_language, strings, translate
from customer_app.core.permissions import Actor
from customer_app.errors import DATABASE_UNREACHABLE, CustomerAppError, NotFoundError, PortalDenied, ValidationError
from customer_app.portal import sign_in
from customer_app.portal.models import SECTIONS
from customer_app.portal.scope import PortalScope
from customer_app.ui.parsing import parse_ids

log = logging.getLogger(__name__)
DOMAIN = "portal"
PREVIEW_ONLY = "Your role does not allow this in a preview: nothing is changed for the customer."
SIGN_IN_FIRST = "Sign in to the client portal."
_MESSAGES: dict[str, None] = {}  # every message the portal's views show, in the order first used


def tr(msgid: str) -> rx.Var:
    """A message of the portal in the tab's language (the views' only way to show words)."""
    _MESSAGES.setdefault(msgid)
    return PortalState.words[msgid]


@dataclass
class CustomerChoice:
    """A customer the signed-in account may work for."""

    id: str = ""
    name: str = ""


class PortalState(rx.State):
    """The portal session token in browser storage, the account's names and sections for display, the language."""

    portal_token: str = rx.LocalStorage("", name="customer_portal_session")
    language: str = DEFAULT_LANGUAGE
    account_name: str = ""
    customer_id: str = ""
    customer_name: str = ""
    sections: list[str] = []
    customers: list[CustomerChoice] = []
    preview_customer_id: int = 0  # set only by `preview`, for a staff member allowed to view that customer
    previewing: bool = False

    @rx.var
    def words(self) -> dict[str, str]:
        """Every message of the portal in the tab's language."""
        return strings(DOMAIN, checked_language(self.language), list(_MESSAGES))

    @rx.var
    def nav(self) -> list[list[str]]:
        """The sections this customer's people may open: [key, label], in the navigation's order."""
        lang = checked_language(self.language)
        return [[key, translate(DOMAIN, lang, SECTIONS[key])] for key in SECTIONS if key in self.sections]

    @rx.var
    def languages(self) -> list[list[str]]:
        """The languages to switch to: [code, name]."""
        return [[code, name] for code, name in LANGUAGES.items()]

    def _t(self, msgid: str, **params: object) -> str:
        """A message in the tab's language, with its parameters filled in (rendered here, not in the browser)."""
        return translate(DOMAIN, checked_language(self.language), msgid, **params)

    async def _resolve(self) -> PortalScope | None:
        """The scope behind this tab's portal token right now (staff can take access back at any moment), or, in a
        staff preview, the previewed customer's, while the tab's staff member may still view it."""
        token = self.portal_token if isinstance(self.portal_token, str) else ""  # clients send anything
        actor = await self._previewer()
        with session_scope() as session:
            scope = sign_in.resolve(token, address=self.router.session.client_ip, session=session)
            if scope is None and actor is not None:
                with contextlib.suppress(NotFoundError):
                    scope = sign_in.preview_scope(self.preview_customer_id, actor=actor, session=session)
            choices = sign_in.customers_of(scope, session=session) if scope else []
        self._show(scope, choices)
        return scope

    async def _previewer(self) -> Actor | None:
        """The staff member previewing a customer's portal in this tab, if any and still allowed."""
        if not self.preview_customer_id:
            return None
        actor, _ = await actor_or_refusal(self, "customer.view")
        return actor

    def _show(self, scope: PortalScope | None, choices: list[tuple[int, str]]) -> None:
        self.account_name = scope.name if scope else ""
        self.customer_id, self.customer_name = (str(scope.customer_id), scope.customer_name) if scope else ("", "")
        self.sections = sorted(scope.sections) if scope else []
        self.previewing = bool(scope and scope.preview)
        self.customers = [CustomerChoice(id=str(i), name=name) for i, name in choices]
        if scope:
            self.language = scope.language

    def _first_guess(self) -> None:
        """Before anyone signs in: the browser's preferred language."""
        if not self.account_name:
            self.language = best_language(self.router.headers.accept_language or "")

    @rx.event
    async def preview(self, customer_id: str):
        """Staff: open the portal as this customer's people see it, read-only."""
        actor, refusal = await actor_or_refusal(self, "customer.view")
        if actor is None:
            return refusal
        self.preview_customer_id = (parse_ids(customer_id) or [0])[0]
        return rx.redirect(routes.PORTAL)

    @rx.event
    async def end_preview(self):
        """Staff: leave the preview, back to the customer's page."""
        actor, refusal = await actor_or_refusal(self, "customer.view")
        if actor is None:
            return refusal
        customer_id, self.preview_customer_id, self.previewing = self.preview_customer_id, 0, False
        return rx.redirect(routes.customer(customer_id, tab="portal"))

    @rx.event
    async def set_language(self, language: str):
        """Speak another language; a signed-in account keeps it for its pages and e-mails."""
        self.language = checked_language(language)
        token = self.portal_token if isinstance(self.portal_token, str) else ""
        with session_scope() as session:  # a preview has no account to keep it in
            scope = sign_in.resolve(token, session=session)
            if scope is not None:
                sign_in.set_language(self.language, scope=scope, session=session)

    @rx.event
    async def sign_out(self):
        """End this browser's portal session and forget what the tab showed."""
        with session_scope() as session:
            sign_in.sign_out(self.portal_token if isinstance(self.portal_token, str) else "", session=session)
        language = self.language
        self.reset()
        self.language = language
        return rx.redirect(routes.PORTAL_LOGIN)

    @rx.event
    async def switch_customer(self, customer_id: str):
        """Work for another customer the account has access to."""

        def work(scope: PortalScope, session: Session) -> None:
            sign_in.switch_customer(
                self.portal_token, int(customer_id) if customer_id.isdigit() else 0, scope=scope, session=session
            )

        done, event = await portal_act(self, None, work)
        if done:
            await self._resolve()
            return rx.redirect(routes.PORTAL)
        return event


async def portal_scope(state: rx.State, section: str | None, *, writing: bool = False) -> PortalScope:
    """The signed-in portal scope, allowed `section` (None: any signed-in account); raises PortalDenied otherwise.

    A preview refuses every write before showing anything of the customer (staff read, never act, as its people).
    """
    portal = await state.get_state(PortalState)
    if writing and not portal.portal_token and await portal._previewer():
        raise PortalDenied(PREVIEW_ONLY)
    scope = await portal._resolve()
    if scope is None:
        raise PortalDenied(SIGN_IN_FIRST)
    if writing and scope.preview:
        raise PortalDenied(PREVIEW_ONLY)
    if section is not None:
        scope.require(section)
    return scope


async def portal_refusal(state: rx.State, error: PortalDenied):
    """What the browser gets when refused: the portal's sign-in page if nobody is signed in, else a message."""
    if str(error) == SIGN_IN_FIRST:
        url = state.router.url  # back to this very page once signed in (a link in an e-mail, a bookmark)
        here = routes.address(url.path or routes.PORTAL, url.query)
        return rx.redirect(routes.portal_login(here), replace=True)  # in place of the page that only sends away
    return rx.toast.error((await state.get_state(PortalState))._t(str(error)))


async def portal_scope_or_refusal(
    state: rx.State, section: str | None, *, writing: bool = False
) -> tuple[PortalScope | None, object]:
    """For reads (and work before a write, `writing`): the scope if allowed `section`, or None and what to send
    back."""
    try:
        return await portal_scope(state, section, writing=writing), None
    except PortalDenied as exc:
        return None, await portal_refusal(state, exc)


async def portal_act(
    state: rx.State, section: str | None, work: Callable[[PortalScope, Session], object], *, errors: str | None = None
) -> tuple[bool, object]:
    """Run `work(scope, session)` in one transaction as the signed-in portal account, if it may use `section`.

    Returns whether it worked and what to send back otherwise. Field errors go to the state's var named `errors`
    (translated), or into a message when there is none.
    """
    portal = await state.get_state(PortalState)
    try:
        scope = await portal_scope(state, section, writing=True)
        with session_scope() as session:
            work(scope, session)
    except PortalDenied as exc:
        return False, await portal_refusal(state, exc)
    except ValidationError as exc:
        translated = {field: portal._t(message) for field, message in exc.errors.items()}
        if errors is None:
            return False, rx.toast.error("; ".join(translated.values()))
        setattr(state, errors, translated)
        return False, None
    except CustomerAppError as exc:
        return False, rx.toast.error(portal._t(str(exc)))
    except (OperationalError, InterfaceError):
        log.exception("The database could not be reached (portal)")
        return False, rx.toast.error(portal._t(DATABASE_UNREACHABLE))
    if errors is not None:
        setattr(state, errors, {})
    return True, None
