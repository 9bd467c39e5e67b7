"""Portal accounts from the customer's side: accepting an invitation, a forgotten password, a new link."""

from datetime import timedelta

from sqlmodel import Session, col, select

from customer_app import routes
from customer_app.core import audit, tokens
from customer_app.core.columns import utcnow
from customer_app.core.normalize import clean_text, email_key, normalize_email
from customer_app.core.passwords import check_new_password, hash_password
from customer_app.customers.models import Customer
from customer_app.errors import CustomerAppError, ValidationError
from customer_app.portal import mails
from customer_app.portal.grants import INVITE, INVITE_TTL, INVITES_PER_HOUR, end_sessions, live_customers
from customer_app.portal.models import PortalAccount, PortalGrant
from customer_app.portal.scope import SUBJECT
from customer_app.settings import settings

RESET = "portal_reset"
RESET_TTL = timedelta(hours=1)
RESETS_PER_HOUR = 3


def invitation_owner(raw: str, *, session: Session) -> PortalAccount | None:
    """The account a still-valid invitation is for (its grants are marked opened), without using the link up."""
    account_id = tokens.peek_one_time(raw, INVITE, SUBJECT, session=session)
    if account_id is None:
        return None
    for grant in session.exec(
        select(PortalGrant).where(
            col(PortalGrant.account_id) == account_id,
            col(PortalGrant.revoked_at).is_(None),
            col(PortalGrant.opened_at).is_(None),
        )
    ):
        grant.opened_at = utcnow()
    return session.get(PortalAccount, account_id)


def reset_owner(raw: str, *, session: Session) -> PortalAccount | None:
    """The account a still-valid reset link is for."""
    account_id = tokens.peek_one_time(raw, RESET, SUBJECT, session=session)
    return session.get(PortalAccount, account_id) if account_id is not None else None


def register(raw: str, name: str, password: str, *, address: str = "", session: Session) -> PortalAccount:
    """Accept an invitation: name and password; the account then works for every customer it was given."""
    account = session.get(PortalAccount, tokens.consume_one_time(raw, INVITE, SUBJECT, session=session))
    if account is None or not account.active or not live_customers(account.id, session=session):
        raise CustomerAppError("This invitation was withdrawn. Ask for a new one.")
    person = clean_text(name) or ""
    if not person:
        raise ValidationError({"name": "Enter your name."})
    check_new_password(password, user_inputs=[account.email, person])
    account.name, account.password_hash = person[:200], hash_password(password)
    session.add(account)
    _audit(session, account, address, "portal_registered", f"{account.email} registered for the client portal")
    return account


def reset_password(raw: str, password: str, *, address: str = "", session: Session) -> PortalAccount:
    """Use a reset link: a new password, and every other portal session of the account ends."""
    account = session.get(PortalAccount, tokens.consume_one_time(raw, RESET, SUBJECT, session=session))
    if account is None or not account.active:
        raise CustomerAppError("This account is not active.")
    check_new_password(password, user_inputs=[account.email, account.name])
    account.password_hash = hash_password(password)
    end_sessions(account.id, session=session)
    _audit(session, account, address, "portal_password_reset", f"{account.email} chose a new portal password")
    return account


def request_reset(email: str, *, address: str = "", session: Session) -> None:
    """E-mail a reset link if a registered account has this address; say nothing either way."""
    try:
        key = email_key(normalize_email(email.strip()))
    except ValueError:
        return
    account = session.exec(select(PortalAccount).where(col(PortalAccount.email_key) == key)).first()
    if account is None or not account.active or not account.password_hash:
        return
    if (
        tokens.issued_since(SUBJECT, account.id, RESET, utcnow() - timedelta(hours=1), session=session)
        >= RESETS_PER_HOUR
    ):
        return
    link = settings.public_url + routes.portal_reset(
        tokens.issue_one_time(SUBJECT, account.id, RESET, RESET_TTL, session=session)
    )
    mails.reset(account.email, link, account.language, session=session)
    _audit(session, account, address, "portal_reset_requested", f"Portal password reset requested for {account.email}")


def is_expired(raw: str, *, session: Session) -> bool:
    """Whether the link is one of ours that has run out (rather than unknown or used)."""
    return any(tokens.subject_of_expired(raw, purpose, SUBJECT, session=session) for purpose in (INVITE, RESET))


def renew_link(raw: str, *, session: Session) -> None:
    """Send a fresh link in place of an expired one (invitation or reset) to the address it was sent to."""
    for purpose in (INVITE, RESET):
        account_id = tokens.subject_of_expired(raw, purpose, SUBJECT, session=session)
        account = session.get(PortalAccount, account_id) if account_id is not None else None
        if account is not None and account.active:
            if purpose == RESET:
                request_reset(account.email, session=session)
            else:
                _reinvite(account, session)
            return


def _reinvite(account: PortalAccount, session: Session) -> None:
    customers = live_customers(account.id, session=session)
    since = utcnow() - timedelta(hours=1)
    if account.password_hash or not customers:
        return
    if tokens.issued_since(SUBJECT, account.id, INVITE, since, session=session) >= INVITES_PER_HOUR:
        return
    link = settings.public_url + routes.portal_register(
        tokens.issue_one_time(SUBJECT, account.id, INVITE, INVITE_TTL, session=session)
    )
    customer = session.get(Customer, customers[0])
    if customer is not None:
        mails.invitation(account.email, customer, link, account.language, session=session)


def _audit(session: Session, account: PortalAccount, address: str, action: str, summary: str) -> None:
    audit.record(
        session,
        actor=None,
        actor_email=account.email,
        address=address,
        action=action,
        entity_type="portal_account",
        entity_id=account.id,
        summary=summary,
    )
