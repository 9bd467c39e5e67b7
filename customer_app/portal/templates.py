"""The welcome e-mail admins write per language, with placeholders, and how it reads before it is sent."""

import re
from dataclasses import dataclass

from sqlmodel import Session

from customer_app.core import audit
from customer_app.core.i18n import LANGUAGES
from customer_app.core.normalize import clean_text
from customer_app.core.permissions import Actor, require
from customer_app.errors import ValidationError
from customer_app.portal import mails
from customer_app.portal.models import PortalTemplate

MAX_SUBJECT = 200
MAX_BODY = 10_000
SAMPLE_CUSTOMER = "Ada Lovelace"
_PLACEHOLDER = re.compile(r"\{(\w*)\}")


@dataclass(frozen=True)
class WelcomeText:
    """One language's welcome e-mail as the settings page shows it."""

    language: str
    subject: str
    body: str
    customised: bool  # written by an admin, rather than the built-in text


def welcome_template(language: str, *, actor: Actor, session: Session) -> WelcomeText:
    """The welcome e-mail in `language` with its placeholders unfilled."""
    require(actor, "settings.manage")
    lang = _checked_language(language)
    stored = session.get(PortalTemplate, lang)
    if stored is not None:
        return WelcomeText(lang, stored.subject, stored.body, True)
    subject, body = mails.welcome_text("{customer}", lang, session=session, keep_placeholders=True)
    return WelcomeText(lang, subject, body, False)


def preview(language: str, subject: str, body: str, *, actor: Actor) -> tuple[str, str]:
    """The typed text as a customer would read it (a sample customer's name filled in)."""
    require(actor, "settings.manage")
    checked_subject, checked_body = _checked(subject, body)
    return mails.filled_sample(checked_subject, checked_body, SAMPLE_CUSTOMER)


def save_welcome_template(language: str, subject: str, body: str, *, actor: Actor, session: Session) -> WelcomeText:
    """Keep the admins' welcome e-mail for one language."""
    require(actor, "settings.manage")
    lang = _checked_language(language)
    checked_subject, checked_body = _checked(subject, body)
    stored = session.get(PortalTemplate, lang) or PortalTemplate(language=lang, subject="", body="")
    before = {"subject": stored.subject, "body": stored.body}
    stored.subject, stored.body = checked_subject, checked_body
    session.add(stored)
    audit.record(
        session,
        actor=actor,
        action="portal_welcome_template",
        entity_type="settings",
        summary=f"Welcome e-mail ({LANGUAGES[lang]}) changed",
        changes=audit.field_changes(before, {"subject": checked_subject, "body": checked_body}),
    )
    return WelcomeText(lang, checked_subject, checked_body, True)


def reset_welcome_template(language: str, *, actor: Actor, session: Session) -> WelcomeText:
    """Go back to the built-in welcome e-mail for one language."""
    require(actor, "settings.manage")
    lang = _checked_language(language)
    stored = session.get(PortalTemplate, lang)
    if stored is not None:
        session.delete(stored)
        session.flush()
        audit.record(
            session,
            actor=actor,
            action="portal_welcome_template",
            entity_type="settings",
            summary=f"Welcome e-mail ({LANGUAGES[lang]}) back to the built-in text",
        )
    return welcome_template(lang, actor=actor, session=session)


def _checked_language(language: str) -> str:
    if language not in LANGUAGES:
        raise ValidationError({"language": "Choose a language from the list."})
    return language


def _checked(subject: str, body: str) -> tuple[str, str]:
    errors, title, text = {}, clean_text(subject) or "", (body or "").strip()
    if not title:
        errors["subject"] = "Give the e-mail a subject."
    elif len(title) > MAX_SUBJECT:
        errors["subject"] = f"Keep the subject under {MAX_SUBJECT} characters."
    if not text:
        errors["body"] = "Write the e-mail's text."
    elif len(text) > MAX_BODY:
        errors["body"] = f"Keep the text under {MAX_BODY:,} characters."
    for field, value in (("subject", title), ("body", text)):
        unknown = sorted({name for name in _PLACEHOLDER.findall(value) if name not in mails.PLACEHOLDERS})
        if unknown and field not in errors:
            known = ", ".join("{" + name + "}" for name in mails.PLACEHOLDERS)
            errors[field] = f"Unknown placeholder {{{unknown[0]}}}: use {known}."
    if errors:
        raise ValidationError(errors)
    return title, text
