"""The customer's own contact details in the portal: edited through the same validation and saving staff use, and a
new e-mail address only once the link sent to it is opened."""

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta

from sqlmodel import Session, col, select

from customer_app import routes
from customer_app.core import tokens
from customer_app.core.normalize import email_key, normalize_email
from customer_app.core.permissions import Actor, Role
from customer_app.customers.customers import update_customer
from customer_app.customers.models import Customer, CustomerInput, CustomerKind
from customer_app.customers.validation import validate_customer
from customer_app.errors import CustomerAppError, NotFoundError, ValidationError
from customer_app.portal import mails
from customer_app.portal.models import PortalAccount, PortalEmailChange
from customer_app.portal.scope import SUBJECT, PortalScope
from customer_app.settings import settings

SECTION = "profile"
EMAIL_CHANGE = "portal_email"
EMAIL_CHANGE_TTL = timedelta(hours=24)
EDITABLE = {
    CustomerKind.INDIVIDUAL: ("first_name", "last_name", "phone", "mobile", "position"),
    CustomerKind.INSTITUTION: ("name", "phone", "mobile", "website"),
}


@dataclass(frozen=True)
class Profile:
    """What the profile page shows: the kind, the editable fields' values, the e-mail and a change waiting."""

    kind: str
    values: dict[str, str]
    email: str
    pending_email: str
    picture: str


def my_profile(*, scope: PortalScope, session: Session) -> Profile:
    """The customer's contact details as the profile page shows them."""
    scope.require(SECTION)
    customer = _customer(scope, session)
    fields = EDITABLE[CustomerKind(customer.kind)]
    values = {field: _text(getattr(customer, field)) for field in fields}
    pending = session.exec(_pending(scope)).first()
    return Profile(
        customer.kind, values, customer.email or "", pending.new_email if pending else "", customer.picture or ""
    )


def update_profile(values: Mapping[str, object], *, scope: PortalScope, session: Session) -> Customer:
    """Save the fields the portal may change; the rest of the customer stays as staff keep it."""
    scope.require(SECTION)
    customer = _customer(scope, session)
    fields = EDITABLE[CustomerKind(customer.kind)]
    typed = {field: str(values.get(field) or "") for field in fields}
    return _save(customer, typed, customer.picture, scope, session)


def set_picture(picture: str | None, *, scope: PortalScope, session: Session) -> Customer:
    """Put a stored picture (or none) on the customer; the old one's files go once this is committed."""
    scope.require(SECTION)
    return _save(_customer(scope, session), {}, picture, scope, session)


def ask_email_change(new_email: str, *, scope: PortalScope, session: Session) -> None:
    """Send a confirmation link to the new address; nothing changes until it is opened."""
    scope.require(SECTION)
    try:
        email = normalize_email(new_email.strip())
    except ValueError as exc:
        raise ValidationError({"email": str(exc)}) from exc
    customer = _customer(scope, session)
    if customer.email_key == email_key(email):
        raise ValidationError({"email": "This is the address you have already."})
    for old in session.exec(_pending(scope)):
        session.delete(old)
    change = PortalEmailChange(account_id=scope.account_id, customer_id=customer.id, new_email=email)
    session.add(change)
    session.flush()
    raw = tokens.issue_one_time(SUBJECT + "_email", change.id, EMAIL_CHANGE, EMAIL_CHANGE_TTL, session=session)
    link = settings.public_url + routes.portal_confirm_email(raw)
    mails.confirm_email(email, link, scope.language, session=session)


def confirm_email_change(raw: str, *, address: str = "", session: Session) -> Customer:
    """Open the link: the customer's e-mail becomes the new address (and the account's, when it was the same)."""
    change = session.get(
        PortalEmailChange, tokens.consume_one_time(raw, EMAIL_CHANGE, SUBJECT + "_email", session=session)
    )
    account = session.get(PortalAccount, change.account_id) if change else None
    customer = session.get(Customer, change.customer_id) if change else None
    if change is None or account is None or customer is None or customer.deleted_at is not None:
        raise CustomerAppError("This link is not valid any more.")
    scope = PortalScope(
        account.id,
        account.email,
        account.name,
        customer.id,
        customer.display_name,
        frozenset(),
        account.language,
        address,
    )
    was_login = account.email_key == customer.email_key
    updated = _save(customer, {"email": change.new_email}, customer.picture, scope, session)
    taken = session.exec(
        select(PortalAccount.id).where(col(PortalAccount.email_key) == email_key(change.new_email))
    ).first()
    if was_login and taken is None:
        account.email, account.email_key = change.new_email, email_key(change.new_email)
        session.add(account)
    session.delete(change)
    return updated


def _save(
    customer: Customer, changed: Mapping[str, str], picture: str | None, scope: PortalScope, session: Session
) -> Customer:
    """Save the customer with `changed` over its stored values and this picture, through the validation and saving
    staff use (a stored value is taken as it is)."""
    stored = {field: getattr(customer, field) for field in CustomerInput.model_fields}
    raw = {field: _text(value) for field, value in stored.items()} | dict(changed)
    data = validate_customer(raw, phone_region=settings.default_phone_region, known=stored)
    return update_customer(
        customer.id,
        data,
        actor=_as_customer(scope),
        session=session,
        expected_version=customer.version,
        picture=picture,
    )


def _pending(scope: PortalScope):
    return select(PortalEmailChange).where(
        col(PortalEmailChange.account_id) == scope.account_id, col(PortalEmailChange.customer_id) == scope.customer_id
    )


def _customer(scope: PortalScope, session: Session) -> Customer:
    customer = session.get(Customer, scope.customer_id)
    if customer is None or customer.deleted_at is not None:
        raise NotFoundError("This customer is not available any more.")
    return customer


def _as_customer(scope: PortalScope) -> Actor:
    """The customer's person as the one who saves: the staff services' checks pass (the scope was checked instead,
    and only the customer's own fields reach them), and the audit trail names the person, not a staff account."""
    return Actor(
        id=0,
        email=scope.email,
        name=f"{scope.name or scope.email} (client portal)",
        role=Role.STAFF,
        address=scope.address,
    )


def _text(value: object) -> str:
    if value is None:
        return ""
    return value.isoformat() if isinstance(value, date) else str(value)
