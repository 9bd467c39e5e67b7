"""Staff giving customers' people access to the portal, inviting them, and taking access back."""

from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import update
from sqlmodel import Session, col, select

from customer_app import routes
from customer_app.core import audit, tokens
from customer_app.core.columns import utcnow
from customer_app.core.i18n import DEFAULT_LANGUAGE
from customer_app.core.normalize import email_key, normalize_email
from customer_app.core.permissions import Actor, require
from customer_app.customers.customers import get_customer
from customer_app.customers.models import Customer
from customer_app.errors import CustomerAppError, NotFoundError, ValidationError
from customer_app.portal import mails
from customer_app.portal.models import PortalAccount, PortalGrant, PortalSession
from customer_app.portal.scope import SUBJECT
from customer_app.records.models import ContactPerson
from customer_app.settings import settings
from customer_app.ui.formatting import when

INVITE = "portal_invite"
INVITE_TTL = timedelta(days=7)
INVITES_PER_HOUR = 5  # nobody can flood someone's inbox through the invitation button
STATUS_LABELS = {
    "invited": "Invited",
    "opened": "Invitation opened",
    "registered": "Registered",
    "expired": "Invitation expired",
    "revoked": "Revoked",
}


@dataclass(frozen=True)
class AccessRow:
    """One person's access to a customer, as the Portal tab shows it."""

    grant_id: int
    email: str
    contact_name: str
    status: str
    status_label: str
    invited: str
    last_sign_in: str


def give_access(
    customer_id: int, *, contact_id: int | None = None, actor: Actor, session: Session, welcome: bool = False
) -> PortalGrant:
    """Give the customer (or one of its contact persons) portal access and tell them by e-mail.

    Someone without an account gets an invitation link (asking again replaces the old link); someone with one is
    told they now have access to this customer too. Access already given and in use is left as it is.
    """
    require(actor, "customer.edit")
    customer = get_customer(customer_id, actor=actor, session=session)
    address, contact_name = _recipient(customer, contact_id, session)
    language = customer.language or DEFAULT_LANGUAGE
    account = _account_for(address, contact_name or customer.display_name, language, session)
    grant = session.exec(
        select(PortalGrant).where(
            col(PortalGrant.customer_id) == customer.id, col(PortalGrant.account_id) == account.id
        )
    ).first()
    if grant is not None and grant.revoked_at is None and account.password_hash:
        return grant
    grant = grant or PortalGrant(customer_id=customer.id, account_id=account.id)
    grant.contact_name, grant.invited_by_name, grant.invited_at = contact_name, actor.name, utcnow()
    grant.opened_at, grant.revoked_at, grant.revoked_by_name = None, None, ""
    session.add(grant)
    session.flush()
    _tell(account, customer, language, session)
    if welcome:
        mails.welcome(customer, language, session=session)
    audit.record(
        session,
        actor=actor,
        action="portal_grant",
        entity_type="customer",
        entity_id=customer.id,
        summary=f"Portal access for {account.email} to {customer.display_name}"[:300],
    )
    return grant


def revoke_access(grant_id: int, *, actor: Actor, session: Session) -> PortalGrant:
    """Take access back: the person's portal sessions for this customer end at once, and a pending invitation
    stops working unless it still leads to another customer."""
    require(actor, "customer.edit")
    grant = session.get(PortalGrant, grant_id)
    if grant is None or grant.revoked_at is not None:
        raise NotFoundError("This access was taken back already.")
    customer = session.get(Customer, grant.customer_id)  # in Trash too: access can be taken back from there
    grant.revoked_at, grant.revoked_by_name = utcnow(), actor.name
    session.add(grant)
    end_sessions(grant.account_id, grant.customer_id, session=session)
    session.flush()
    if not live_customers(grant.account_id, session=session):
        tokens.withdraw(SUBJECT, grant.account_id, INVITE, session=session)
    account = session.get(PortalAccount, grant.account_id)
    who, whom = account.email if account else "?", customer.display_name if customer else "?"
    audit.record(
        session,
        actor=actor,
        action="portal_revoke",
        entity_type="customer",
        entity_id=grant.customer_id,
        summary=f"Portal access of {who} to {whom} revoked"[:300],
    )
    return grant


def access_rows(customer_id: int, *, actor: Actor, session: Session) -> list[AccessRow]:
    """Everyone given access to a customer, with where their access stands."""
    require(actor, "customer.view")
    found = session.exec(
        select(PortalGrant, PortalAccount)
        .join(PortalAccount, col(PortalAccount.id) == col(PortalGrant.account_id))
        .where(col(PortalGrant.customer_id) == customer_id)
        .order_by(col(PortalGrant.id))
    ).all()
    return [_row(grant, account, session) for grant, account in found]


def has_access(customer_id: int, *, actor: Actor, session: Session) -> bool:
    """Whether anyone may use the portal for this customer (given access, not taken back)."""
    require(actor, "customer.view")
    live = select(PortalGrant.id).where(
        col(PortalGrant.customer_id) == customer_id, col(PortalGrant.revoked_at).is_(None)
    )
    return session.exec(live).first() is not None


def invitable_contacts(customer_id: int, *, actor: Actor, session: Session) -> list[ContactPerson]:
    """The customer's contact persons with an e-mail address, who can each be given access of their own."""
    require(actor, "customer.view")
    where = (col(ContactPerson.customer_id) == customer_id, col(ContactPerson.email) != "")
    return list(session.exec(select(ContactPerson).where(*where).order_by(col(ContactPerson.name))).all())


def revoke_all(customer_id: int, *, actor: Actor, session: Session) -> int:
    """Take back every access to a customer (the pop-up's box unticked); how many."""
    live = select(PortalGrant.id).where(
        col(PortalGrant.customer_id) == customer_id, col(PortalGrant.revoked_at).is_(None)
    )
    grant_ids = list(session.exec(live).all())
    for grant_id in grant_ids:
        revoke_access(grant_id, actor=actor, session=session)
    return len(grant_ids)


def end_sessions(account_id: int, customer_id: int | None = None, *, session: Session) -> None:
    """End an account's open portal sessions (those working for one customer, when given)."""
    query = update(PortalSession).where(
        col(PortalSession.account_id) == account_id, col(PortalSession.ended_at).is_(None)
    )
    if customer_id is not None:
        query = query.where(col(PortalSession.customer_id) == customer_id)
    session.execute(query.values(ended_at=utcnow()))


def _recipient(customer: Customer, contact_id: int | None, session: Session) -> tuple[str, str]:
    """The address the access is for, and the contact person's name when it is one."""
    if contact_id is None:
        if not customer.email:
            raise ValidationError(
                {"portal_access": "Give the customer an e-mail address first: the invitation goes there."}
            )
        return customer.email, ""
    contact = session.get(ContactPerson, contact_id)
    if contact is None or contact.customer_id != customer.id:
        raise NotFoundError("This contact person does not exist any more.")
    if not contact.email:
        raise ValidationError({"portal_access": f"Give {contact.name} an e-mail address first."})
    return contact.email, contact.name


def _account_for(address: str, name: str, language: str, session: Session) -> PortalAccount:
    """The portal account of an e-mail address, made (without a password) if it has none."""
    email = normalize_email(address)
    account = session.exec(select(PortalAccount).where(col(PortalAccount.email_key) == email_key(email))).first()
    if account is None:
        account = PortalAccount(email=email, email_key=email_key(email), name=name[:200], language=language)
        session.add(account)
        session.flush()
    return account


def _tell(account: PortalAccount, customer: Customer, language: str, session: Session) -> None:
    """E-mail the person: an invitation link, or the news of access with the account they have."""
    if account.password_hash:
        link = settings.public_url + routes.PORTAL_LOGIN
        mails.access_granted(account.email, customer, link, account.language, session=session)
        return
    since = utcnow() - timedelta(hours=1)
    if tokens.issued_since(SUBJECT, account.id, INVITE, since, session=session) >= INVITES_PER_HOUR:
        raise CustomerAppError("Too many invitations to this address in the last hour. Try again later.")
    link = settings.public_url + routes.portal_register(
        tokens.issue_one_time(SUBJECT, account.id, INVITE, INVITE_TTL, session=session)
    )
    mails.invitation(account.email, customer, link, language, session=session)


def live_customers(account_id: int, *, session: Session) -> list[int]:
    """The active customers an account may work for, in the order it was given them."""
    live = (
        select(PortalGrant.customer_id)
        .join(Customer, col(Customer.id) == col(PortalGrant.customer_id))
        .where(
            col(PortalGrant.account_id) == account_id,
            col(PortalGrant.revoked_at).is_(None),
            col(Customer.deleted_at).is_(None),
        )
        .order_by(col(PortalGrant.id))
    )
    return list(session.exec(live).all())


def _row(grant: PortalGrant, account: PortalAccount, session: Session) -> AccessRow:
    status = _status(grant, account, session)
    return AccessRow(
        grant_id=grant.id,
        email=account.email,
        contact_name=grant.contact_name,
        status=status,
        status_label=STATUS_LABELS[status],
        invited=f"{grant.invited_by_name or 'Someone'} · {when(grant.invited_at)}",
        last_sign_in=when(account.last_sign_in_at) if account.last_sign_in_at else "Never",
    )


def _status(grant: PortalGrant, account: PortalAccount, session: Session) -> str:
    if grant.revoked_at is not None:
        return "revoked"
    if account.password_hash:
        return "registered"
    until = tokens.pending_until(SUBJECT, account.id, INVITE, session=session)
    if until is None or until <= utcnow():
        return "expired"
    return "opened" if grant.opened_at else "invited"
