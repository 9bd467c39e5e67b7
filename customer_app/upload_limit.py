"""Uploads are refused before their body is read when they are too big, or when nobody allowed to send them is asking.

Reflex's upload endpoint spools the whole multipart body to disk before any handler can look at it, so without
this anyone could send gigabytes, signed in or not. The proxy in front should cap bodies too (see README).
"""

from functools import cache

from reflex.istate.manager import get_state_manager
from reflex.istate.manager.token import BaseStateToken
from reflex.utils.format import format_event_handler
from starlette.types import ASGIApp, Receive, Scope, Send

from customer_app.access import auth
from customer_app.access.state.auth import AuthState
from customer_app.admin.state.exchange_rates import PERMISSION as RATES
from customer_app.admin.state.exchange_rates import ExchangeRatesState
from customer_app.core.db import session_scope
from customer_app.core.sheet_rules import MAX_BYTES as SPREADSHEET_MAX_BYTES
from customer_app.customers.state.customer_form import EDIT, CustomerFormState
from customer_app.portal import profile, sign_in
from customer_app.portal.state.portal import PortalState
from customer_app.portal.state.portal_profile import PortalProfileState
from customer_app.settings import settings
from customer_app.transfer.state.import_upload import IMPORT
from customer_app.transfer.state.importer import ImportState

UPLOAD_PATH = "/_upload"
FORM_OVERHEAD = 64 * 1024  # multipart boundaries and headers around the file
TOO_LARGE = b"This upload is larger than anything the workspace accepts."
NO_LENGTH = b"Uploads must say how large they are (Content-Length)."
SIGN_IN = b"Please sign in to continue."
NOT_ALLOWED = b"Your role does not allow this upload."
PORTAL_PROFILE = "portal:" + profile.SECTION  # a portal person whose customer shows them the Profile section


def limit() -> int:
    """The largest upload body accepted: the largest file of any kind, plus the form around it."""
    return max(SPREADSHEET_MAX_BYTES, settings.picture_max_bytes) + FORM_OVERHEAD


@cache
def upload_permissions() -> dict[str, str]:
    """Each upload handler, by the name the browser sends, and the permission the handler itself checks first."""
    return {
        format_event_handler(ImportState.event_handlers["handle_upload"]): IMPORT,
        format_event_handler(CustomerFormState.event_handlers["upload_picture"]): EDIT,
        format_event_handler(PortalProfileState.event_handlers["upload_picture"]): PORTAL_PROFILE,
        format_event_handler(ExchangeRatesState.event_handlers["upload_rates"]): RATES,
    }


def guard_uploads(app: ASGIApp) -> ASGIApp:
    """Wrap the backend so an upload without a size, over `limit()`, or from someone who may not send it is answered
    411/413/401/403 without reading its body."""

    async def guarded(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["path"].rstrip("/").endswith(UPLOAD_PATH):
            headers = dict(scope["headers"])
            length = headers.get(b"content-length")
            if length is None or not length.isdigit():
                return await _answer(send, 411, NO_LENGTH)
            if int(length) > limit():
                return await _answer(send, 413, TOO_LARGE)
            refused = await _refusal(headers)
            if refused:
                return await _answer(send, *refused)
        return await app(scope, receive, send)

    return guarded


async def _refusal(headers: dict[bytes, bytes]) -> tuple[int, bytes] | None:
    """Why this upload is refused (status and text), or None when the tab's signed-in person may send it.

    Reflex names the browser tab and the handler in headers; the tab's state holds its sign-in token, as for any event.
    """
    permission = upload_permissions().get(headers.get(b"reflex-event-handler", b"").decode(errors="replace"))
    if permission is None:
        return 403, NOT_ALLOWED  # not one of the app's uploads: nobody may send it
    client = headers.get(b"reflex-client-token", b"").decode(errors="replace")
    if not client:
        return 401, SIGN_IN
    if permission == PORTAL_PROFILE:
        return await _portal_refusal(client)
    tab = await get_state_manager().get_state(BaseStateToken(ident=client, cls=AuthState))
    token = (await tab.get_state(AuthState)).auth_token  # read only: the handler that follows resolves it again
    with session_scope() as session:
        user = auth.resolve_session(token, session=session)
        if user is None:
            return 401, SIGN_IN
        return None if auth.actor_of(user).can(permission) else (403, NOT_ALLOWED)


async def _portal_refusal(client: str) -> tuple[int, bytes] | None:
    """For the portal's picture: the tab's portal session must be one whose customer shows the Profile section."""
    tab = await get_state_manager().get_state(BaseStateToken(ident=client, cls=PortalState))
    token = (await tab.get_state(PortalState)).portal_token
    with session_scope() as session:
        scope = sign_in.resolve(token if isinstance(token, str) else "", session=session)
    if scope is None:
        return 401, SIGN_IN
    return None if profile.SECTION in scope.sections else (403, NOT_ALLOWED)


async def _answer(send: Send, status: int, text: bytes) -> None:
    headers = [(b"content-type", b"text/plain; charset=utf-8"), (b"content-length", str(len(text)).encode())]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": text})
