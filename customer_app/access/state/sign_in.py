"""Sign-in, first-run setup, forgotten password and link pages (reset, invitation)."""

import reflex as rx

from customer_app import routes
from customer_app.access import auth, staff_accounts
from customer_app.access.state.auth import AuthState
from customer_app.core.db import session_scope
from customer_app.errors import CustomerAppError, SignInError, ValidationError

HOME = routes.CUSTOMERS


class SignInState(rx.State):
    """Messages and link details for the pages a signed-out person sees."""

    error: str = ""
    errors: dict[str, str] = {}
    notice: str = ""
    link_valid: bool = False
    link_name: str = ""
    shown: str = ""  # the page its on_load let show ("login", "setup", "link"): until then a neutral wait, no form

    def _clear(self) -> None:
        self.error, self.errors, self.notice = "", {}, ""

    @rx.event
    async def on_login_load(self):
        """First run goes to setup; a signed-in browser goes straight in (both in place of this page)."""
        self._clear()
        self.shown = ""
        with session_scope() as session:
            if not staff_accounts.has_staff(session=session):
                return rx.redirect(routes.SETUP, replace=True)
        auth_state = await self.get_state(AuthState)
        if await auth_state._resolve():
            return rx.redirect(routes.safe_next(self.router.url.query_parameters.get("next", HOME), HOME), replace=True)
        self.shown = "login"
        return None

    @rx.event
    async def sign_in(self, form: dict):
        """Check the credentials; store a fresh session token in this browser."""
        self._clear()
        token = ""
        with session_scope() as session:  # a refusal is recorded too: the scope commits it
            try:
                _, token = auth.sign_in(
                    str(form.get("email", "")),
                    str(form.get("password", "")),
                    address=self.router.session.client_ip,
                    remember=bool(form.get("remember")),
                    session=session,
                )
            except SignInError as exc:
                self.error = str(exc)
        if not token:
            return None
        return await self._signed_in(token, routes.safe_next(self.router.url.query_parameters.get("next", HOME), HOME))

    @rx.event
    async def on_setup_load(self):
        """Setup exists only while there is no account at all; afterwards the address says where the person is."""
        self._clear()
        self.shown = ""
        with session_scope() as session:
            done = staff_accounts.has_staff(session=session)
        if done:
            signed_in = await (await self.get_state(AuthState))._resolve()
            return rx.redirect(HOME if signed_in else routes.LOGIN, replace=True)
        self.shown = "setup"
        return None

    @rx.event
    async def create_admin(self, form: dict):
        """Create the first admin and sign them in."""
        self._clear()
        if form.get("password") != form.get("confirm"):
            self.errors = {"confirm": "The two passwords differ."}
            return None
        return await self._start(
            lambda session: staff_accounts.create_first_admin(
                str(form.get("email", "")),
                str(form.get("name", "")),
                str(form.get("password", "")),
                session=session,
                address=self.router.session.client_ip,
            )
        )

    @rx.event
    def request_reset(self, form: dict):
        """E-mail a reset link; the answer is the same whether or not the account exists."""
        self._clear()
        with session_scope() as session:
            staff_accounts.request_password_reset(
                str(form.get("email", "")), session=session, address=self.router.session.client_ip
            )
        self.notice = "If an account uses this address, we sent it a link to choose a new password."

    @rx.event
    def on_link_load(self):
        """Greet the owner of a reset or invitation link, or say it no longer works."""
        self._clear()
        purpose = routes.link_purpose(self.router.url.path)
        with session_scope() as session:
            user = staff_accounts.link_owner(self.router.page.params.get("token", ""), purpose, session=session)
        self.link_valid, self.link_name = user is not None, user.name if user else ""
        self.shown = "link"

    @rx.event
    async def set_password(self, form: dict):
        """Use the link to set a password, then sign in."""
        self._clear()
        if form.get("password") != form.get("confirm"):
            self.errors = {"confirm": "The two passwords differ."}
            return None
        purpose = routes.link_purpose(self.router.url.path)
        token = self.router.page.params.get("token", "")
        return await self._start(
            lambda session: staff_accounts.set_password_with_token(
                token, purpose, str(form.get("password", "")), session=session
            )
        )

    async def _start(self, make_user):
        """Create or update the account, sign this browser in, and go to the customers; or show what is wrong."""
        try:
            with session_scope() as session:
                token = auth.start_session(make_user(session), remember=False, session=session)
        except ValidationError as exc:
            self.errors = exc.errors
            return None
        except CustomerAppError as exc:
            self.error = str(exc)
            return None
        return await self._signed_in(token, HOME)

    async def _signed_in(self, token: str, target: str):
        """Keep the new session token in this browser and go on."""
        auth_state = await self.get_state(AuthState)
        auth_state.auth_token = token
        await auth_state._resolve()
        return rx.redirect(target, replace=True)  # Back must not return to a form that is done
