"""The portal's e-mails, each in the language of the person or customer it is for."""

from sqlmodel import Session

from customer_app import routes
from customer_app.core.mail import send_mail
from customer_app.core.portal_mail_texts import (
    ACCESS_GRANTED,
    CONFIRM_EMAIL,
    INVITATION,
    PASSWORD_RESET,
    WELCOME,
    MailText,
    rendered,
)
from customer_app.customers.models import Customer
from customer_app.portal.models import PortalTemplate
from customer_app.records.notifications import mail_customer
from customer_app.settings import settings

PLACEHOLDERS = ("customer", "workspace", "link")  # what an admin's welcome text may use


def _send(to: str, text: MailText, lang: str, session: Session, *, secret: str = "", **params: str) -> None:
    subject, body = rendered(text, lang, workspace=settings.workspace_name, **params)
    send_mail(to, subject, body, session=session, redact=(secret,) if secret else ())


def invitation(to: str, customer: Customer, link: str, lang: str, *, session: Session) -> None:
    """The link to register, for someone without an account."""
    _send(to, INVITATION, lang, session, secret=link, customer=customer.display_name, link=link)


def access_granted(to: str, customer: Customer, link: str, lang: str, *, session: Session) -> None:
    """The notice that an existing account now works for one more customer."""
    _send(to, ACCESS_GRANTED, lang, session, customer=customer.display_name, link=link)


def reset(to: str, link: str, lang: str, *, session: Session) -> None:
    """The link to choose a new password."""
    _send(to, PASSWORD_RESET, lang, session, secret=link, link=link)


def confirm_email(to: str, link: str, lang: str, *, session: Session) -> None:
    """The link that confirms a new e-mail address, sent to that address."""
    _send(to, CONFIRM_EMAIL, lang, session, secret=link, link=link)


def welcome_text(
    customer_name: str, lang: str, *, session: Session, keep_placeholders: bool = False
) -> tuple[str, str]:
    """The welcome e-mail's subject and body in `lang`: the admins' version, else the built-in one (with
    `keep_placeholders`, the built-in one as an admin would start editing it)."""
    values = _values(customer_name)
    template = session.get(PortalTemplate, lang)
    if template is None:
        unfilled = {name: "{" + name + "}" for name in PLACEHOLDERS}
        return rendered(WELCOME, lang, **(unfilled if keep_placeholders else values))
    return _filled(template.subject, values), _filled(template.body, values)


def filled_sample(subject: str, body: str, customer_name: str) -> tuple[str, str]:
    """An admin's text as it reads for `customer_name`."""
    values = _values(customer_name)
    return _filled(subject, values), _filled(body, values)


def _values(customer_name: str) -> dict[str, str]:
    return {
        "customer": customer_name,
        "workspace": settings.workspace_name,
        "link": settings.public_url + routes.PORTAL_LOGIN,
    }


def welcome(customer: Customer, lang: str, *, session: Session) -> bool:
    """Send the welcome e-mail unless the customer switched portal notices off; whether it went."""
    subject, body = welcome_text(customer.display_name, lang, session=session)
    return mail_customer(customer, "portal_notices", subject, body, session=session) is not None


def _filled(text: str, values: dict[str, str]) -> str:
    """An admin's text with {customer}, {workspace} and {link} filled in; other braces stay as written."""
    for name, value in values.items():
        text = text.replace("{" + name + "}", value)
    return text
