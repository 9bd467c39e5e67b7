"""Staff accounts: first-run setup, invitations, roles, deactivation and password resets."""

import json
import re
import threading
from datetime import timedelta

import pytest
from sqlalchemy import func
from sqlmodel import Session, col, select

from customer_app.access import auth, staff_accounts
from customer_app.access.models import StaffSession, StaffUser
from customer_app.core.columns import utcnow
from customer_app.core.models import AuditEvent, OutboxMessage
from customer_app.core.passwords import verify_password
from customer_app.core.permissions import Role
from customer_app.errors import CustomerAppError, NotFoundError, ValidationError
from customer_app.settings import settings
from tests.unit.accounts import PASSWORD

NEW_PASSWORD = "quartz meadow lantern 2451"


def outbox(session: Session) -> list[OutboxMessage]:
    session.expire_all()
    return list(session.exec(select(OutboxMessage).order_by(col(OutboxMessage.id))))


def events(session: Session, action: str) -> list[AuditEvent]:
    session.expire_all()
    return list(session.exec(select(AuditEvent).where(AuditEvent.action == action).order_by(col(AuditEvent.id))))


def link_token(message: OutboxMessage, kind: str) -> str:
    """The token of the /invite/ or /reset/ link in a message."""
    [token] = re.findall(rf"^{re.escape(settings.public_url)}/{kind}/(\S+)$", message.body, flags=re.M)
    return token


def stored(session: Session, user_id: int) -> StaffUser | None:
    session.expire_all()
    return session.get(StaffUser, user_id)


def live_sessions(session: Session, user_id: int) -> int:
    session.expire_all()
    return session.exec(
        select(func.count())
        .select_from(StaffSession)
        .where(col(StaffSession.user_id) == user_id, col(StaffSession.ended_at).is_(None))
    ).one()


# --- first-run setup ----------------------------------------------------------------------------------------


def test_first_admin_can_be_created_while_no_account_exists(session):
    assert not staff_accounts.has_staff(session=session)
    user = staff_accounts.create_first_admin(
        " Ada@Example.COM ", "  Ada   Admin ", PASSWORD, session=session, address="203.0.113.1"
    )
    session.commit()
    assert staff_accounts.has_staff(session=session)
    user = stored(session, user.id)
    assert (user.email, user.email_key, user.name, user.role, user.active) == (
        "Ada@example.com",
        "ada@example.com",
        "Ada Admin",
        "admin",
        True,
    )
    assert user.password_hash.startswith("$argon2id$")
    assert verify_password(user.password_hash, PASSWORD)
    [event] = events(session, "setup")
    assert (event.actor_email, event.address, event.entity_id) == ("Ada@example.com", "203.0.113.1", user.id)


def test_setup_is_closed_once_any_account_exists(session, make_user):
    make_user("read_only")  # even a read-only account counts
    with pytest.raises(CustomerAppError, match="Setup is already done"):
        staff_accounts.create_first_admin("mallory@example.com", "Mallory", PASSWORD, session=session)
    session.rollback()
    assert session.exec(select(StaffUser.email)).all() == ["read-only@example.com"]


def test_second_first_admin_is_refused(session):
    staff_accounts.create_first_admin("ada@example.com", "Ada", PASSWORD, session=session)
    session.commit()
    with pytest.raises(CustomerAppError, match="Setup is already done"):
        staff_accounts.create_first_admin("bob@example.com", "Bob", PASSWORD, session=session)


@pytest.mark.parametrize(
    ("email", "name", "password", "field"),
    [
        ("ada@example.com", "Ada", "short", "password"),
        ("ada@example.com", "Ada", "password1234", "password"),
        ("not an e-mail", "Ada", PASSWORD, "email"),
        ("ada@example.com", "   ", PASSWORD, "name"),
    ],
)
def test_first_admin_with_bad_input_is_refused_and_setup_stays_open(session, email, name, password, field):
    with pytest.raises(ValidationError) as caught:
        staff_accounts.create_first_admin(email, name, password, session=session)
    assert field in caught.value.errors
    session.rollback()  # what the page's session scope does
    assert not staff_accounts.has_staff(session=session)


# --- invitations --------------------------------------------------------------------------------------------


@pytest.fixture
def invited(session, admin) -> StaffUser:
    """Ivy, invited as staff by the admin; committed."""
    user = staff_accounts.invite("ivy@example.com", "Ivy New", "staff", actor=admin, session=session)
    session.commit()
    return user


def test_invitation_creates_an_account_without_a_password_and_mails_a_link(session, admin, invited):
    user = stored(session, invited.id)
    assert (user.email, user.name, user.role, user.active, user.password_hash) == (
        "ivy@example.com",
        "Ivy New",
        "staff",
        True,
        None,
    )
    [message] = outbox(session)
    assert (message.to, message.subject, message.status) == (
        "ivy@example.com",
        "You are invited to the customer workspace",
        "outbox",
    )
    assert "Hello Ivy New" in message.body
    assert "Ada Admin invited you" in message.body
    assert f"{settings.public_url}/invite/" in message.body
    assert len(link_token(message, "invite")) >= 40
    [event] = events(session, "invite")
    assert (event.actor_id, event.actor_email, event.entity_id, event.summary) == (
        admin.id,
        "ada@example.com",
        user.id,
        "Invited ivy@example.com as staff",
    )


def test_invited_person_cannot_sign_in_before_choosing_a_password(session, invited):
    with pytest.raises(CustomerAppError, match="not right"):
        auth.sign_in("ivy@example.com", "", address="", remember=False, session=session)


def test_accepting_the_invitation_sets_the_password_once(session, invited):
    token = link_token(outbox(session)[0], "invite")
    user = staff_accounts.set_password_with_token(token, "invite", NEW_PASSWORD, session=session)
    session.commit()
    assert user.id == invited.id
    assert verify_password(stored(session, invited.id).password_hash, NEW_PASSWORD)
    [event] = events(session, "invitation_accepted")
    assert (event.actor_id, event.actor_email, event.entity_id) == (None, "ivy@example.com", invited.id)
    with pytest.raises(CustomerAppError, match="already been used"):
        staff_accounts.set_password_with_token(token, "invite", "another fine passphrase 77", session=session)
    session.rollback()
    assert verify_password(stored(session, invited.id).password_hash, NEW_PASSWORD)
    _, signed_in = auth.sign_in("ivy@example.com", NEW_PASSWORD, address="", remember=False, session=session)
    assert auth.resolve_session(signed_in, session=session).id == invited.id


def test_invitation_link_is_not_a_reset_link(session, invited):
    token = link_token(outbox(session)[0], "invite")
    with pytest.raises(CustomerAppError, match="not valid"):
        staff_accounts.set_password_with_token(token, "reset", NEW_PASSWORD, session=session)


@pytest.mark.parametrize(
    ("email", "name", "role", "field"),
    [
        ("SAM@example.com", "Sam Again", "staff", "email"),  # taken (the staff fixture's address), in another case
        ("not an e-mail", "Someone", "staff", "email"),
        ("new@example.com", " ", "staff", "name"),
        ("new@example.com", "Someone", "superuser", "role"),
    ],
)
def test_invitation_with_bad_input_is_refused_and_sends_nothing(session, admin, staff, email, name, role, field):
    with pytest.raises(ValidationError) as caught:
        staff_accounts.invite(email, name, role, actor=admin, session=session)
    assert field in caught.value.errors
    session.rollback()
    assert outbox(session) == []
    assert len(session.exec(select(StaffUser)).all()) == 2


# --- roles and deactivation ---------------------------------------------------------------------------------


def test_changing_a_role_records_who_changed_what(session, admin, staff_user):
    user = staff_accounts.change_role(staff_user.id, "read_only", actor=admin, session=session)
    session.commit()
    assert stored(session, staff_user.id).role == user.role == "read_only"
    [event] = events(session, "role_change")
    assert (event.actor_id, event.entity_type, event.entity_id) == (admin.id, "staff", staff_user.id)
    assert json.loads(event.changes) == {"role": ["staff", "read_only"]}


def test_new_role_applies_to_the_running_session_at_once(session, admin, staff_user, session_token):
    token = session_token(staff_user)
    staff_accounts.change_role(staff_user.id, "admin", actor=admin, session=session)
    session.commit()
    assert auth.actor_of(auth.resolve_session(token, session=session)).role == Role.ADMIN


def test_unknown_role_or_account_is_refused(session, admin, staff_user):
    with pytest.raises(ValidationError):
        staff_accounts.change_role(staff_user.id, "owner", actor=admin, session=session)
    with pytest.raises(NotFoundError):
        staff_accounts.change_role(999_999, "staff", actor=admin, session=session)
    with pytest.raises(NotFoundError):
        staff_accounts.set_active(999_999, False, actor=admin, session=session)


def test_deactivating_and_reactivating_are_recorded(session, admin, staff_user):
    staff_accounts.set_active(staff_user.id, False, actor=admin, session=session)
    session.commit()
    assert not stored(session, staff_user.id).active
    staff_accounts.set_active(staff_user.id, True, actor=admin, session=session)
    session.commit()
    assert stored(session, staff_user.id).active
    assert [
        (e.action, e.actor_id, e.entity_id) for e in events(session, "deactivate") + events(session, "reactivate")
    ] == [("deactivate", admin.id, staff_user.id), ("reactivate", admin.id, staff_user.id)]


def test_the_last_active_admin_cannot_be_demoted_or_deactivated(session, admin, admin_user, make_user):
    make_user("admin", email="old@example.com", active=False)  # an inactive admin does not count
    for change in (
        lambda: staff_accounts.change_role(admin_user.id, "staff", actor=admin, session=session),
        lambda: staff_accounts.set_active(admin_user.id, False, actor=admin, session=session),
    ):
        with pytest.raises(CustomerAppError, match="This is the last admin"):
            change()
        session.rollback()
    user = stored(session, admin_user.id)
    assert (user.role, user.active) == ("admin", True)
    assert events(session, "role_change") == events(session, "deactivate") == []


def test_with_a_second_admin_one_can_step_down(session, admin, admin_user, make_user):
    other = make_user("admin", email="bea@example.com")
    staff_accounts.change_role(admin_user.id, "staff", actor=admin, session=session)
    session.commit()
    assert stored(session, admin_user.id).role == "staff"
    with pytest.raises(CustomerAppError, match="last admin"):  # now Bea is the last one
        staff_accounts.set_active(other.id, False, actor=auth.actor_of(other), session=session)


@pytest.mark.parametrize("backend", ["postgresql"])  # SQLite lets one writer at a time: the race cannot happen there
@pytest.mark.parametrize("step_down", ["change_role", "set_active"])
def test_two_admins_removing_each_other_at_once_keep_an_admin(engine, make_user, step_down):
    ada, bea = make_user("admin", email="ada@example.com"), make_user("admin", email="bea@example.com")
    remove = {
        "change_role": lambda user_id, actor, s: staff_accounts.change_role(user_id, "staff", actor=actor, session=s),
        "set_active": lambda user_id, actor, s: staff_accounts.set_active(user_id, False, actor=actor, session=s),
    }[step_down]
    outcome: dict[str, str] = {}

    def bea_removes_ada() -> None:
        with Session(engine) as second:
            try:
                remove(ada.id, auth.actor_of(bea), second)
                second.commit()
                outcome["bea"] = "done"
            except CustomerAppError:
                outcome["bea"] = "refused"

    with Session(engine) as first:
        remove(bea.id, auth.actor_of(ada), first)
        first.flush()  # Ada's change is made but not committed: Bea's check must wait for it
        rival = threading.Thread(target=bea_removes_ada)
        rival.start()
        _until_a_backend_waits_for_a_lock(engine)
        first.commit()
    rival.join(timeout=30)
    assert outcome == {"bea": "refused"}
    with Session(engine) as check:
        admins = check.exec(
            select(func.count())
            .select_from(StaffUser)
            .where(col(StaffUser.role) == "admin", col(StaffUser.active).is_(True))
        ).one()
    assert admins == 1


def _until_a_backend_waits_for_a_lock(engine) -> None:
    """Poll PostgreSQL until another connection is blocked on a row lock (the rival's check)."""
    for _ in range(500):
        with engine.connect() as conn:
            waiting = conn.exec_driver_sql(
                "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND datname = current_database()"
            ).scalar_one()
        if waiting:
            return
        threading.Event().wait(0.01)
    raise AssertionError("the rival admin's check never waited for the lock")


def test_staff_list_shows_everyone_admins_first(session, admin, make_user):
    make_user("staff", email="zed@example.com", name="Zed")
    make_user("staff", email="amy@example.com", name="Amy")
    make_user("admin", email="bea@example.com", name="Bea")
    people = staff_accounts.list_staff(actor=admin, session=session)
    assert [p.role for p in people][:2] == ["admin", "admin"]
    assert [p.name for p in people if p.role == "staff"] == ["Amy", "Zed"]


# --- password resets ----------------------------------------------------------------------------------------


def reset_token(session: Session, email: str = "sam@example.com") -> str:
    staff_accounts.request_password_reset(email, session=session, address="203.0.113.9")
    session.commit()
    return link_token(outbox(session)[-1], "reset")


def test_reset_request_for_an_active_account_mails_a_link(session, staff_user):
    staff_accounts.request_password_reset("  SAM@example.com ", session=session, address="203.0.113.9")
    session.commit()
    [message] = outbox(session)
    assert (message.to, message.subject) == ("sam@example.com", "Reset your password")
    assert "Hello Sam Staff" in message.body
    assert "works once, for 1 hour" in message.body
    assert link_token(message, "reset")
    [event] = events(session, "password_reset_requested")
    assert (event.entity_id, event.address) == (staff_user.id, "203.0.113.9")


@pytest.mark.parametrize("email", ["nobody@example.com", "gone@example.com", "not an e-mail", ""])
def test_reset_request_for_no_active_account_sends_nothing_and_says_nothing(session, make_user, email):
    make_user("staff", email="gone@example.com", active=False)
    assert staff_accounts.request_password_reset(email, session=session) is None  # no error either way
    session.commit()
    assert outbox(session) == []
    assert events(session, "password_reset_requested") == []


def test_reset_link_sets_a_new_password_ends_other_sessions_and_works_once(session, staff_user, session_token):
    session_token(staff_user)
    session_token(staff_user, remember=True)
    token = reset_token(session)
    user = staff_accounts.set_password_with_token(token, "reset", NEW_PASSWORD, session=session)
    session.commit()
    user = stored(session, user.id)
    assert verify_password(user.password_hash, NEW_PASSWORD)
    assert not verify_password(user.password_hash, PASSWORD)
    assert live_sessions(session, staff_user.id) == 0
    [event] = events(session, "password_reset")
    assert (event.actor_email, event.entity_id) == ("sam@example.com", staff_user.id)
    with pytest.raises(CustomerAppError, match="already been used"):
        staff_accounts.set_password_with_token(token, "reset", "another fine passphrase 77", session=session)


def test_reset_unlocks_a_locked_account(session, staff_user):
    staff_user.locked_until = utcnow() + timedelta(minutes=10)
    session.commit()
    staff_accounts.set_password_with_token(reset_token(session), "reset", NEW_PASSWORD, session=session)
    session.commit()
    assert stored(session, staff_user.id).locked_until is None


@pytest.mark.parametrize("weak", ["short", "password1234", "sam@example.com"])
def test_weak_password_on_reset_is_refused_and_the_link_keeps_working(session, staff_user, weak):
    token = reset_token(session)
    with pytest.raises(ValidationError) as caught:
        staff_accounts.set_password_with_token(token, "reset", weak, session=session)
    assert set(caught.value.errors) == {"password"}
    session.rollback()  # what the page's session scope does with the error
    assert verify_password(stored(session, staff_user.id).password_hash, PASSWORD)
    staff_accounts.set_password_with_token(token, "reset", NEW_PASSWORD, session=session)
    session.commit()
    assert verify_password(stored(session, staff_user.id).password_hash, NEW_PASSWORD)


def test_a_newer_reset_link_replaces_the_older_one(session, staff_user):
    older, newer = reset_token(session), reset_token(session)
    with pytest.raises(CustomerAppError, match="not valid"):
        staff_accounts.set_password_with_token(older, "reset", NEW_PASSWORD, session=session)
    session.rollback()
    staff_accounts.set_password_with_token(newer, "reset", NEW_PASSWORD, session=session)


def test_reset_link_of_an_account_deactivated_since_is_refused(session, staff_user, admin):
    token = reset_token(session)
    staff_accounts.set_active(staff_user.id, False, actor=admin, session=session)
    session.commit()
    with pytest.raises(CustomerAppError, match="not active"):
        staff_accounts.set_password_with_token(token, "reset", NEW_PASSWORD, session=session)
