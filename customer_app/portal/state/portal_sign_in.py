"""The portal's pages for people not signed in: sign-in, forgotten password, and the invitation and reset links."""

import reflex as rx

from customer_app import routes
from customer_app.core.db import session_scope
from customer_app.core.i18n import N_
from customer_app.errors import CustomerAppError, SignInError, ValidationError
from customer_app.portal import accounts, sign_in
from customer_app.portal.state.portal import PortalState

SENT = N_("If an account uses this address, we sent it a link to choose a new password.")
RENEWED = N_("If this link was yours, a new one is on its way to the same address.")


class PortalSignInState(rx.State):
    """Messages and link details for the portal's signed-out pages."""

    error: str = ""
    errors: dict[str, str] = {}
    notice: str = ""
    link_state: str = ""  # "valid", "expired" or "invalid" on a link page
    link_email: str = ""

    def _clear(self) -> None:
        self.error, self.errors, self.notice = "", {}, ""

    @rx.event
    async def on_login_load(self):
        """A signed-in browser goes straight in; otherwise the page speaks the browser's language."""
        self._clear()
        portal = await self.get_state(PortalState)
        if await portal._resolve():
            return rx.redirect(self._next(), replace=True)  # Back must not return to a page that only sends away
        portal._first_guess()
        return None

    @rx.event
    async def sign_in(self, form: dict):
        """Check the credentials; keep a fresh portal session token in this browser."""
        self._clear()
        portal, token = await self.get_state(PortalState), ""
        with session_scope() as session:  # a refusal is recorded too: the scope commits it
            try:
                token = sign_in.sign_in(
                    str(form.get("email", "")),
                    str(form.get("password", "")),
                    address=self.router.session.client_ip,
                    session=session,
                )
            except SignInError as exc:
                self.error = portal._t(str(exc))
        return await self._signed_in(token, self._next()) if token else None

    @rx.event
    async def request_reset(self, form: dict):
        """E-mail a reset link; the answer is the same whether or not the account exists."""
        self._clear()
        with session_scope() as session:
            accounts.request_reset(str(form.get("email", "")), address=self.router.session.client_ip, session=session)
        self.notice = (await self.get_state(PortalState))._t(SENT)

    @rx.event
    async def on_link_load(self):
        """Say whether the invitation or reset link in the address still works (opening an invitation is noted)."""
        self._clear()
        token, portal = self.router.page.params.get("token", ""), await self.get_state(PortalState)
        with session_scope() as session:
            if self._is_invitation():
                account = accounts.invitation_owner(token, session=session)
            else:
                account = accounts.reset_owner(token, session=session)
            expired = account is None and accounts.is_expired(token, session=session)
        self.link_state = "valid" if account else "expired" if expired else "invalid"
        self.link_email = account.email if account else ""
        if account:
            portal.language = account.language
        else:
            portal._first_guess()

    @rx.event
    async def renew_link(self):
        """Send a new link in place of the expired one in the address."""
        self._clear()
        with session_scope() as session:
            accounts.renew_link(self.router.page.params.get("token", ""), session=session)
        self.notice = (await self.get_state(PortalState))._t(RENEWED)

    @rx.event
    async def use_link(self, form: dict):
        """Register with the invitation, or choose a new password with the reset link; then sign in."""
        self._clear()
        portal = await self.get_state(PortalState)
        if form.get("password") != form.get("confirm"):
            self.errors = {"confirm": portal._t("The two passwords differ.")}
            return None
        token, password = self.router.page.params.get("token", ""), str(form.get("password", ""))
        address = self.router.session.client_ip
        try:
            with session_scope() as session:
                if self._is_invitation():
                    account = accounts.register(
                        token, str(form.get("name", "")), password, address=address, session=session
                    )
                else:
                    account = accounts.reset_password(token, password, address=address, session=session)
                raw = sign_in.start_first_session(account, address=address, session=session)
        except ValidationError as exc:
            self.errors = {field: portal._t(message) for field, message in exc.errors.items()}
            return None
        except CustomerAppError as exc:
            self.error = portal._t(str(exc))
            return None
        return await self._signed_in(raw)

    def _is_invitation(self) -> bool:
        return self.router.url.path.startswith(routes.PORTAL_REGISTER.split("[", 1)[0])

    def _next(self) -> str:
        """The portal page the sign-in page was sent from (its `next`), else the dashboard."""
        asked = self.router.url.query_parameters.get("next", routes.PORTAL)
        return routes.safe_next(asked, routes.PORTAL, within=routes.PORTAL)

    async def _signed_in(self, token: str, target: str = routes.PORTAL):
        """Keep the new session token in this browser and open `target` (the link leaves the address bar)."""
        portal = await self.get_state(PortalState)
        portal.portal_token = token
        await portal._resolve()
        return rx.redirect(target, replace=True)  # Back must not return to a form that is done
