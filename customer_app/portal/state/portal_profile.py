"""The portal's profile page: the customer's own contact details, and a new e-mail address confirmed by link."""

import asyncio
from dataclasses import dataclass

import reflex as rx
from sqlmodel import Session

from customer_app.core.db import session_scope
from customer_app.core.i18n import N_
from customer_app.core.live import hub
from customer_app.customers import pictures
from customer_app.errors import CustomerAppError, PictureError, ValidationError
from customer_app.portal import profile
from customer_app.portal.scope import PortalScope
from customer_app.portal.state.portal import PortalState, portal_act, portal_scope_or_refusal
from customer_app.settings import settings

LABELS = {
    "first_name": N_("First name"),
    "last_name": N_("Last name"),
    "name": N_("Name"),
    "phone": N_("Phone"),
    "mobile": N_("Mobile"),
    "position": N_("Position"),
    "website": N_("Website"),
}


@dataclass
class ProfileField:
    """One editable field: its name, label (in English: the view translates it) and value."""

    name: str = ""
    label: str = ""
    value: str = ""


class PortalProfileState(rx.State):
    """The profile form in one browser tab."""

    fields: list[ProfileField] = []
    email: str = ""
    pending_email: str = ""
    errors: dict[str, str] = {}
    form_key: int = 0
    confirmed: str = ""  # on the confirmation page: "", "done" or the reason it failed
    picture: str = ""
    picture_error: str = ""

    @rx.var
    def picture_url(self) -> str:
        """Relative upload path of the customer's picture, or empty."""
        return f"pictures/{pictures.picture_filename(self.picture, 512)}" if self.picture else ""

    @rx.event
    async def on_load(self):
        """Read the customer's contact details."""
        scope, refusal = await portal_scope_or_refusal(self, profile.SECTION)
        if scope is None:
            return refusal
        with session_scope() as session:
            self._show(profile.my_profile(scope=scope, session=session))
        return None

    def _show(self, found: profile.Profile) -> None:
        self.fields = [ProfileField(name, LABELS[name], value) for name, value in found.values.items()]
        self.email, self.pending_email, self.picture = found.email, found.pending_email, found.picture
        self.form_key += 1

    @rx.event
    async def save(self, form: dict):
        """Save the contact details typed; each bad field says why."""

        def work(scope: PortalScope, session: Session) -> None:
            profile.update_profile(form, scope=scope, session=session)
            self._show(profile.my_profile(scope=scope, session=session))

        done, event = await portal_act(self, profile.SECTION, work, errors="errors")
        if not done:
            return event
        await self._announce()
        return rx.toast.success((await self.get_state(PortalState))._t("Saved."))

    @rx.event
    async def upload_picture(self, files: list[rx.UploadFile]):
        """Check and store a picked picture as staff's pop-up does, and put it on the customer at once."""
        self.picture_error = ""
        scope, refusal = await portal_scope_or_refusal(self, profile.SECTION, writing=True)
        if scope is None:
            return refusal
        portal = await self.get_state(PortalState)
        for file in files[:1]:
            data = await file.read(settings.picture_max_bytes + 1)
            try:
                key = await asyncio.to_thread(pictures.store_upload, data)  # decoding takes a while
            except PictureError as exc:
                self.picture_error = portal._t(str(exc))
                return None
            return await self._put_picture(key)
        return None

    @rx.event
    async def remove_picture(self):
        """Take the customer's picture off."""
        return await self._put_picture(None)

    async def _put_picture(self, key: str | None):
        def work(scope: PortalScope, session: Session) -> None:
            profile.set_picture(key, scope=scope, session=session)
            self._show(profile.my_profile(scope=scope, session=session))

        done, event = await portal_act(self, profile.SECTION, work)
        if not done:
            if key:  # not put on the customer: the stored files would be orphans
                pictures.delete_picture(key, directory=settings.picture_dir)
            return event
        await self._announce()
        return None

    @rx.event
    async def change_email(self, form: dict):
        """Send a confirmation link to the new address."""

        def work(scope: PortalScope, session: Session) -> None:
            profile.ask_email_change(str(form.get("email", "")), scope=scope, session=session)
            self._show(profile.my_profile(scope=scope, session=session))

        done, event = await portal_act(self, profile.SECTION, work, errors="errors")
        if not done:
            return event
        return rx.toast.success((await self.get_state(PortalState))._t("We sent a link to the new address."))

    @rx.event
    async def confirm_email(self):
        """Use the link in the address: the new e-mail address replaces the old one."""
        portal = await self.get_state(PortalState)
        try:
            with session_scope() as session:
                customer = profile.confirm_email_change(
                    self.router.page.params.get("token", ""), address=self.router.session.client_ip, session=session
                )
        except (ValidationError, CustomerAppError) as exc:
            self.confirmed = portal._t(str(exc))
            return
        self.confirmed = "done"
        await hub.announce(self.router.session.client_token, customer.id)
        return

    async def _announce(self) -> None:
        portal = await self.get_state(PortalState)
        if portal.customer_id:
            await hub.announce(self.router.session.client_token, int(portal.customer_id))
