"""The customer pop-up's portal boxes: "Client portal access" and, on create, "Send welcome e-mail"."""

from collections.abc import Mapping

from sqlmodel import Session

from customer_app.core.i18n import DEFAULT_LANGUAGE
from customer_app.core.permissions import Actor
from customer_app.customers import form_extras
from customer_app.customers.models import Customer
from customer_app.portal import grants, mails

ACCESS, WELCOME = "portal_access", "portal_welcome"


def _has_access(customer_id: int, actor: Actor, session: Session) -> bool:
    return grants.has_access(customer_id, actor=actor, session=session)


def _apply_access(customer: Customer, boxes: Mapping[str, bool], created: bool, actor: Actor, session: Session) -> None:
    """Ticked: give access (an invitation or a notice goes out); unticked on an edit: take every access back."""
    wanted, has = (
        boxes.get(ACCESS, False),
        (not created) and grants.has_access(customer.id, actor=actor, session=session),
    )
    if wanted and not has:
        grants.give_access(customer.id, actor=actor, session=session, welcome=boxes.get(WELCOME, False))
    elif has and not wanted:
        grants.revoke_all(customer.id, actor=actor, session=session)


def _apply_welcome(
    customer: Customer, boxes: Mapping[str, bool], created: bool, actor: Actor, session: Session
) -> None:
    """A new customer without portal access still gets the welcome e-mail when asked (with access it went along)."""
    if created and boxes.get(WELCOME, False) and not boxes.get(ACCESS, False):
        mails.welcome(customer, customer.language or DEFAULT_LANGUAGE, session=session)


form_extras.register(form_extras.FormExtra(ACCESS, "Client portal access", _has_access, _apply_access))
form_extras.register(
    form_extras.FormExtra(WELCOME, "Send welcome e-mail", lambda *_: False, _apply_welcome, only_on_create=True)
)
