"""Giving access: an invitation for a new address, a notice for an existing account, revoking ends everything."""

from datetime import timedelta

import pytest
from sqlmodel import select

from customer_app.core.columns import utcnow
from customer_app.core.models import OneTimeToken
from customer_app.errors import CustomerAppError, PermissionDenied, ValidationError
from customer_app.portal import accounts, grants, sign_in
from customer_app.portal.models import PortalAccount
from customer_app.records.models import ContactPerson
from tests.unit.portal.portal_world import PORTAL_PASSWORD, actions, link_token, outbox, registered


def test_access_for_a_new_address_sends_an_invitation_valid_for_seven_days(session, staff, add):
    ada = add(first_name="Ada", last_name="Lovelace", email="ada@example.com")
    grants.give_access(ada.id, actor=staff, session=session)
    session.commit()
    [mail] = outbox(session)
    assert mail.to == "ada@example.com"
    assert "invited to the client portal" in mail.subject
    token = link_token(mail, "register")
    stored = session.exec(select(OneTimeToken).where(OneTimeToken.purpose == "portal_invite")).one()
    assert token not in stored.token_hash  # only a hash is kept
    assert timedelta(days=6, hours=23) < stored.expires_at - utcnow() <= timedelta(days=7)
    [row] = grants.access_rows(ada.id, actor=staff, session=session)
    assert (row.email, row.status, row.last_sign_in) == ("ada@example.com", "invited", "Never")
    assert "Sam Staff" in row.invited
    assert actions(session) == ["portal_grant"]


def test_opening_the_link_then_registering_moves_the_status_along(session, staff, add):
    ada = add(first_name="Ada", email="ada@example.com")
    grants.give_access(ada.id, actor=staff, session=session)
    session.commit()
    token = link_token(outbox(session)[-1], "register")
    assert accounts.invitation_owner(token, session=session).email == "ada@example.com"
    session.commit()
    assert grants.access_rows(ada.id, actor=staff, session=session)[0].status == "opened"
    accounts.register(token, "Ada Lovelace", PORTAL_PASSWORD, session=session)
    session.commit()
    assert grants.access_rows(ada.id, actor=staff, session=session)[0].status == "registered"
    with pytest.raises(CustomerAppError, match="already been used"):
        accounts.register(token, "Mallory", PORTAL_PASSWORD, session=session)


def test_an_existing_account_is_told_it_has_access_without_a_new_link(session, staff, add):
    ada = add(first_name="Ada", email="ada@example.com")
    lovelace_ltd = add(kind="institution", name="Lovelace Ltd", email="ada@example.com".replace("ada", "office"))
    account_id = registered(session, ada.id, actor=staff)
    # An accountant: the same person is given access to a second customer through a contact person's address.
    lovelace_ltd_contact = _contact(session, lovelace_ltd.id, "Ada Lovelace", "ada@example.com")
    before = len(outbox(session))
    grants.give_access(lovelace_ltd.id, contact_id=lovelace_ltd_contact, actor=staff, session=session)
    session.commit()
    [notice] = outbox(session)[before:]
    assert "You now have access to Lovelace Ltd" in notice.subject
    assert "/clients/register/" not in notice.body
    assert "/clients/login" in notice.body
    assert session.exec(select(PortalAccount)).all()[0].id == account_id  # still one account for the address
    scope = sign_in.resolve(
        sign_in.sign_in("ada@example.com", PORTAL_PASSWORD, address="1", session=session), session=session
    )
    assert [name for _, name in sign_in.customers_of(scope, session=session)] == ["Ada", "Lovelace Ltd"]


def test_asking_again_replaces_the_old_link(session, staff, add):
    ada = add(first_name="Ada", email="ada@example.com")
    grants.give_access(ada.id, actor=staff, session=session)
    grants.give_access(ada.id, actor=staff, session=session)
    session.commit()
    first, second = (link_token(m, "register") for m in outbox(session))
    with pytest.raises(CustomerAppError, match="not valid"):
        accounts.register(first, "Ada", PORTAL_PASSWORD, session=session)
    session.rollback()
    assert accounts.register(second, "Ada", PORTAL_PASSWORD, session=session).name == "Ada"


def test_invitations_are_rate_limited(session, staff, add):
    ada = add(first_name="Ada", email="ada@example.com")
    for _ in range(grants.INVITES_PER_HOUR):
        grants.give_access(ada.id, actor=staff, session=session)
    with pytest.raises(CustomerAppError, match="Too many invitations"):
        grants.give_access(ada.id, actor=staff, session=session)


def test_an_expired_invitation_shows_as_expired_and_a_new_link_can_be_asked_for(session, staff, add):
    ada = add(first_name="Ada", email="ada@example.com")
    grants.give_access(ada.id, actor=staff, session=session)
    session.commit()
    token = link_token(outbox(session)[-1], "register")
    stored = session.exec(select(OneTimeToken)).one()
    stored.expires_at = utcnow() - timedelta(minutes=1)
    session.commit()
    assert grants.access_rows(ada.id, actor=staff, session=session)[0].status == "expired"
    with pytest.raises(CustomerAppError, match="expired"):
        accounts.register(token, "Ada", PORTAL_PASSWORD, session=session)
    session.rollback()
    accounts.renew_link(token, session=session)
    session.commit()
    fresh = link_token(outbox(session)[-1], "register")
    assert fresh != token
    assert accounts.register(fresh, "Ada", PORTAL_PASSWORD, session=session).password_hash


def test_a_customer_without_an_e_mail_cannot_be_invited(session, staff, add):
    ada = add(first_name="Ada")
    with pytest.raises(ValidationError, match="e-mail address first"):
        grants.give_access(ada.id, actor=staff, session=session)


def test_read_only_staff_cannot_give_or_take_access(session, staff, reader, add):
    ada = add(first_name="Ada", email="ada@example.com")
    with pytest.raises(PermissionDenied):
        grants.give_access(ada.id, actor=reader, session=session)
    grant = grants.give_access(ada.id, actor=staff, session=session)
    with pytest.raises(PermissionDenied):
        grants.revoke_access(grant.id, actor=reader, session=session)


def test_revoking_ends_the_sessions_for_that_customer_and_withdraws_a_pending_link(session, staff, add):
    ada = add(first_name="Ada", email="ada@example.com")
    bob = add(first_name="Bob", email="bob@example.com")
    registered(session, ada.id, actor=staff)
    token = sign_in.sign_in("ada@example.com", PORTAL_PASSWORD, address="1", session=session)
    session.commit()
    assert sign_in.resolve(token, session=session).customer_id == ada.id
    [grant] = grants.access_rows(ada.id, actor=staff, session=session)
    grants.revoke_access(grant.grant_id, actor=staff, session=session)
    grants.give_access(bob.id, actor=staff, session=session)
    session.commit()
    assert sign_in.resolve(token, session=session) is None
    assert grants.access_rows(ada.id, actor=staff, session=session)[0].status == "revoked"
    bob_link = link_token(outbox(session)[-1], "register")
    [bob_grant] = grants.access_rows(bob.id, actor=staff, session=session)
    grants.revoke_access(bob_grant.grant_id, actor=staff, session=session)
    session.commit()
    with pytest.raises(CustomerAppError):
        accounts.register(bob_link, "Bob", PORTAL_PASSWORD, session=session)
    assert actions(session) == [
        "portal_grant",
        "portal_registered",
        "portal_sign_in",
        "portal_revoke",
        "portal_grant",
        "portal_revoke",
    ]


def _contact(session, customer_id: int, name: str, email: str) -> int:
    contact = ContactPerson(customer_id=customer_id, name=name, email=email)
    session.add(contact)
    session.commit()
    return contact.id
