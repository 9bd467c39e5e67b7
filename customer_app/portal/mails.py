"""The portal's e-mails, each in the language of the customer it is about."""

from sqlmodel import Session

from customer_app.core.i18n import translate
from customer_app.core.mail import send_mail
from customer_app.customers.models import Customer
from customer_app.portal.models import PortalTemplate
from customer_app.records.notifications import mail_customer
from customer_app.settings import settings

INVITE_SUBJECT = "You are invited to the client portal of {workspace}"
INVITE_BODY = (
    "Hello,\n\n{workspace} invites you to its client portal, where you can follow {customer}'s requests and "
    "documents.\n\nChoose your password here (the link works once, for 7 days):\n\n{link}\n\n"
    "If you did not expect this message, ignore it.\n"
)
GRANTED_SUBJECT = "You now have access to {customer} in the client portal"
GRANTED_BODY = (
    "Hello,\n\nYou can now work for {customer} in the client portal of {workspace}, with the account you "
    "already have. Sign in here:\n\n{link}\n"
)
RESET_SUBJECT = "Reset your client portal password"
RESET_BODY = (
    "Hello,\n\nSomeone asked to reset your client portal password. If it was you, choose a new one here (the "
    "link works once, for 1 hour):\n\n{link}\n\nIf it was not you, ignore this message.\n"
)
WELCOME_SUBJECT = "Welcome to {workspace}"
WELCOME_BODY = "Hello {customer},\n\nWelcome to {workspace}. Your client portal is at {portal}.\n"
PLACEHOLDERS = ("customer", "workspace", "portal")


def _text(lang: str, msgid: str, **params: object) -> str:
    return translate("email", lang, msgid, workspace=settings.workspace_name, **params)


def invitation(to: str, customer: Customer, link: str, lang: str, *, session: Session) -> None:
    """The link to register, for someone without an account."""
    subject = _text(lang, INVITE_SUBJECT)
    body = _text(lang, INVITE_BODY, customer=customer.display_name, link=link)
    send_mail(to, subject, body, session=session, redact=(link,))


def access_granted(to: str, customer: Customer, link: str, lang: str, *, session: Session) -> None:
    """The notice that an existing account now works for one more customer."""
    subject = _text(lang, GRANTED_SUBJECT, customer=customer.display_name)
    send_mail(to, subject, _text(lang, GRANTED_BODY, customer=customer.display_name, link=link), session=session)


def reset(to: str, link: str, lang: str, *, session: Session) -> None:
    """The link to choose a new password."""
    send_mail(to, _text(lang, RESET_SUBJECT), _text(lang, RESET_BODY, link=link), session=session, redact=(link,))


def welcome_text(customer_name: str, lang: str, *, session: Session) -> tuple[str, str]:
    """The welcome e-mail's subject and body in `lang`: the admins' version, else the built-in one."""
    template = session.get(PortalTemplate, lang)
    values = {"customer": customer_name, "workspace": settings.workspace_name, "portal": settings.public_url}
    if template is None:
        return _text(lang, WELCOME_SUBJECT), _text(lang, WELCOME_BODY, customer=customer_name, portal=values["portal"])
    return _filled(template.subject, values), _filled(template.body, values)


def welcome(customer: Customer, lang: str, *, session: Session) -> bool:
    """Send the welcome e-mail unless the customer switched portal notices off; whether it went."""
    subject, body = welcome_text(customer.display_name, lang, session=session)
    return mail_customer(customer, "portal_notices", subject, body, session=session) is not None


def _filled(text: str, values: dict[str, str]) -> str:
    """An admin's text with {customer}, {workspace} and {portal} filled in; other braces stay as written."""
    for name, value in values.items():
        text = text.replace("{" + name + "}", value)
    return text


CONFIRM_SUBJECT = "Confirm your new e-mail address"
CONFIRM_BODY = (
    "Hello,\n\nSomeone asked to use this address in the client portal of {workspace}. If it was you, confirm it "
    "here (the link works once, for 24 hours):\n\n{link}\n\nIf it was not you, ignore this message.\n"
)


def confirm_email(to: str, link: str, lang: str, *, session: Session) -> None:
    """The link that confirms a new e-mail address, sent to that address."""
    subject, body = _text(lang, CONFIRM_SUBJECT), _text(lang, CONFIRM_BODY, link=link)
    send_mail(to, subject, body, session=session, redact=(link,))
