"""The portal section of the settings page: the sections new customers get, and the welcome e-mail per language."""

from dataclasses import dataclass

import reflex as rx

from customer_app.access.state.auth import actor_or_refusal
from customer_app.admin.state.settings_change import apply_change
from customer_app.core.db import session_scope
from customer_app.core.i18n import DEFAULT_LANGUAGE, LANGUAGES, checked_language
from customer_app.errors import ValidationError
from customer_app.portal import sections, templates
from customer_app.portal.models import AVAILABLE_SECTIONS, SECTIONS


@dataclass
class DefaultSection:
    """One portal section and whether new customers get it."""

    key: str = ""
    label: str = ""
    on: bool = False
    coming: bool = False


class PortalSettingsState(rx.State):
    """What one admin sees and edits of the portal settings."""

    defaults: list[DefaultSection] = []
    language: str = DEFAULT_LANGUAGE
    subject: str = ""
    body: str = ""
    customised: bool = False
    preview_subject: str = ""
    preview_body: str = ""
    errors: dict[str, str] = {}
    form_key: int = 0

    @rx.var
    def languages(self) -> list[list[str]]:
        """[code, name] of the languages a welcome e-mail can be written in."""
        return [[code, name] for code, name in LANGUAGES.items()]

    async def _load(self):
        actor, _ = await actor_or_refusal(self, "settings.manage")  # the custom fields section sends the refusal
        if actor is None:
            self.defaults, self.subject, self.body = [], "", ""
            return
        with session_scope() as session:
            chosen = sections.default_sections(session=session)
            text = templates.welcome_template(self.language, actor=actor, session=session)
        self.defaults = [
            DefaultSection(key, label, key in chosen, key not in AVAILABLE_SECTIONS) for key, label in SECTIONS.items()
        ]
        self.subject, self.body, self.customised = text.subject, text.body, text.customised
        self.preview_subject, self.preview_body = templates.preview(self.language, text.subject, text.body, actor=actor)
        self.form_key += 1

    @rx.event
    async def on_load(self):
        """The default sections and the welcome e-mail in the chosen language."""
        self.errors = {}
        await self._load()

    @rx.event
    async def set_default(self, key: str, on: bool):
        """Give new customers one section, or not."""
        chosen = {d.key for d in self.defaults if d.on} ^ {str(key)}
        if any(d.key == key and d.on == bool(on) for d in self.defaults):
            return None
        _, event = await apply_change(
            self, lambda actor, session: sections.set_default_sections(sorted(chosen), actor=actor, session=session)
        )
        return event

    @rx.event
    async def set_language(self, language: str):
        """Show the welcome e-mail in another language."""
        self.language, self.errors = checked_language(language), {}
        actor, event = await actor_or_refusal(self, "settings.manage")
        if actor is None:
            return event
        await self._load()
        return None

    @rx.event
    async def edit_subject(self, value: str):
        """The preview follows the subject as it is typed."""
        return await self._preview(str(value)[: templates.MAX_SUBJECT * 2], self.body)

    @rx.event
    async def edit_body(self, value: str):
        """The preview follows the text as it is typed."""
        return await self._preview(self.subject, str(value)[: templates.MAX_BODY * 2])

    async def _preview(self, subject: str, body: str):
        """The typed welcome e-mail as a customer would read it, or what is wrong with it (for admins only: nothing
        typed is kept for anyone else)."""
        actor, event = await actor_or_refusal(self, "settings.manage")
        if actor is None:
            return event
        self.subject, self.body = subject, body
        try:
            self.preview_subject, self.preview_body = templates.preview(
                self.language, self.subject, self.body, actor=actor
            )
            self.errors = {}
        except ValidationError as exc:
            self.preview_subject, self.preview_body, self.errors = "", "", exc.errors
        return None

    @rx.event
    async def save_welcome(self, form: dict):
        """Keep the typed welcome e-mail for this language."""
        subject, body, language = str(form.get("subject", "")), str(form.get("body", "")), self.language
        done, event = await apply_change(
            self,
            lambda actor, session: templates.save_welcome_template(
                language, subject, body, actor=actor, session=session
            ),
        )
        return rx.toast.success("Welcome e-mail saved.") if done else event

    @rx.event
    async def reset_welcome(self):
        """Go back to the built-in welcome e-mail for this language."""
        language = self.language
        done, event = await apply_change(
            self, lambda actor, session: templates.reset_welcome_template(language, actor=actor, session=session)
        )
        return rx.toast.success("Back to the built-in text.") if done else event
