"""Signing portal accounts in and out, and turning a browser's token into the scope it works in."""

from datetime import timedelta

from sqlalchemy import update
from sqlmodel import Session, col, select

from customer_app.access import auth
from customer_app.access.models import SignInAttempt
from customer_app.core import audit
from customer_app.core.columns import utcnow
from customer_app.core.i18n import checked_language
from customer_app.core.normalize import email_key
from customer_app.core.passwords import hash_password, needs_rehash
from customer_app.core.permissions import Actor
from customer_app.core.tokens import new_token, token_hash
from customer_app.customers.customers import get_customer
from customer_app.customers.models import Customer
from customer_app.errors import CustomerAppError, NotFoundError, SignInError
from customer_app.portal.grants import live_customers
from customer_app.portal.models import PortalAccount, PortalSession
from customer_app.portal.scope import REALM, PortalScope
from customer_app.portal.sections import usable_sections
from customer_app.settings import settings


def sign_in(email: str, password: str, *, address: str, session: Session) -> str:
    """Check credentials under the same throttling as staff (counted apart); start a session, return its token.

    Every refusal is the same message, so answers never tell which addresses have accounts. A refusal raises
    SignInError after recording the attempt: commit the session anyway.
    """
    key = email_key(email.strip())
    auth.refuse_if_throttled(key, address, session, realm=REALM)
    account = session.exec(select(PortalAccount).where(col(PortalAccount.email_key) == key)).first()
    valid = auth.check_password(account.password_hash if account else None, password)
    customers = live_customers(account.id, session=session) if account and valid else []
    if account is None or not account.active or not valid or not customers:
        session.add(SignInAttempt(email_key=key, address=address, realm=REALM, succeeded=False))
        audit.record(
            session,
            actor=None,
            actor_email=key,
            address=address,
            action="portal_sign_in_failed",
            entity_type="portal_account",
            entity_id=account.id if account else None,
            summary=f"Failed portal sign-in for {key}",
        )
        raise SignInError(auth.WRONG)
    if account.password_hash and needs_rehash(account.password_hash):
        account.password_hash = hash_password(password)
    return start_session(account, customers[0], address=address, session=session)


def start_first_session(account: PortalAccount, *, address: str, session: Session) -> str:
    """Sign in an account that just chose its password, working for the first customer it may."""
    customers = live_customers(account.id, session=session)
    if not customers:
        raise CustomerAppError("You have no access to any customer any more.")
    return start_session(account, customers[0], address=address, session=session)


def start_session(account: PortalAccount, customer_id: int, *, address: str, session: Session) -> str:
    """A new portal session working for `customer_id`; returns the raw token for the browser."""
    raw, now = new_token(), utcnow()
    session.add(
        PortalSession(
            token_hash=token_hash(raw),
            account_id=account.id,
            customer_id=customer_id,
            expires_at=now + timedelta(hours=settings.session_absolute_hours),
        )
    )
    account.last_sign_in_at = now
    session.add(account)
    session.add(SignInAttempt(email_key=account.email_key, address=address, realm=REALM, succeeded=True))
    audit.record(
        session,
        actor=None,
        actor_email=account.email,
        address=address,
        action="portal_sign_in",
        entity_type="customer",
        entity_id=customer_id,
        summary=f"{account.email} signed in to the portal",
    )
    session.flush()
    return raw


def resolve(raw: str, *, address: str = "", session: Session) -> PortalScope | None:
    """The scope a browser's portal token works in now, or None (no, ended or expired session; access taken back;
    the customer in Trash). Read afresh on every event, so a change by staff applies at the next step."""
    record = _live_session(raw, session)
    if record is None or record.customer_id is None:
        return None
    account = session.get(PortalAccount, record.account_id)
    if account is None or not account.active:
        return None
    allowed = tuple(live_customers(account.id, session=session))
    if record.customer_id not in allowed:
        return None
    customer = session.get(Customer, record.customer_id)
    if customer is None:
        return None
    return PortalScope(
        account_id=account.id,
        email=account.email,
        name=account.name,
        customer_id=customer.id,
        customer_name=customer.display_name,
        sections=usable_sections(customer.id, session=session),
        language=checked_language(account.language),
        address=address,
        customer_ids=allowed,
    )


def preview_scope(customer_id: int, *, actor: Actor, session: Session) -> PortalScope:
    """The portal as a customer's people see it, for staff who may view the customer (read-only)."""
    customer = get_customer(customer_id, actor=actor, session=session)
    return PortalScope(
        account_id=0,
        email=actor.email,
        name=actor.name,
        customer_id=customer.id,
        customer_name=customer.display_name,
        sections=usable_sections(customer.id, session=session),
        language=checked_language(customer.language),
        address=actor.address,
        preview=True,
        customer_ids=(customer.id,),
    )


def customers_of(scope: PortalScope, *, session: Session) -> list[tuple[int, str]]:
    """The customers the signed-in account may switch between: (id, name)."""
    if set(scope.customer_ids) <= {scope.customer_id}:  # nothing to switch to: no query for the one name known
        return [(scope.customer_id, scope.customer_name)]
    query = select(Customer.id, Customer.display_name).where(col(Customer.id).in_(scope.customer_ids))
    names = dict(session.exec(query).all())
    return [(customer_id, names.get(customer_id, "")) for customer_id in scope.customer_ids]


def switch_customer(raw: str, customer_id: int, *, scope: PortalScope, session: Session) -> None:
    """Let this browser work for another customer the account has access to."""
    if customer_id not in live_customers(scope.account_id, session=session):
        raise NotFoundError("You have no access to this customer.")
    session.execute(_open_session(raw).values(customer_id=customer_id))


def set_language(language: str, *, scope: PortalScope, session: Session) -> str:
    """The language the account's portal and e-mails use."""
    account = session.get(PortalAccount, scope.account_id)
    if account is not None:
        account.language = checked_language(language)
        session.add(account)
    return checked_language(language)


def sign_out(raw: str, *, session: Session) -> None:
    """End the browser's portal session."""
    session.execute(_open_session(raw).values(ended_at=utcnow()))


def _open_session(raw: str):
    """An update of the browser's portal session while it is open."""
    where = (col(PortalSession.token_hash) == token_hash(raw or ""), col(PortalSession.ended_at).is_(None))
    return update(PortalSession).where(*where)


def _live_session(raw: str, session: Session) -> PortalSession | None:
    if not raw:
        return None
    record = session.exec(select(PortalSession).where(col(PortalSession.token_hash) == token_hash(raw))).first()
    now = utcnow()
    if record is None or record.ended_at is not None or record.expires_at <= now:
        return None
    if record.last_seen_at + timedelta(minutes=settings.session_idle_minutes) <= now:
        record.ended_at = now
        return None
    if now - record.last_seen_at >= auth.TOUCH_EVERY:
        record.last_seen_at = now
    return record
