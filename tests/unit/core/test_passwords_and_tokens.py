"""Password hashing and rules; single-use, expiring link tokens of which only a hash is stored."""

import hashlib
import threading
from datetime import timedelta

import pytest
from argon2 import PasswordHasher
from sqlalchemy import text
from sqlmodel import Session, select

from customer_app.access import staff_accounts
from customer_app.core import passwords, tokens
from customer_app.core.columns import utcnow
from customer_app.core.models import OneTimeToken
from customer_app.core.passwords import check_new_password, hash_password, needs_rehash, verify_password
from customer_app.errors import CustomerAppError, ValidationError
from tests.unit.accounts import PASSWORD

# --- hashing ------------------------------------------------------------------------------------------------


def test_production_hash_is_argon2id_with_the_recommended_parameters(production_hasher, monkeypatch):
    monkeypatch.setattr(passwords, "_hasher", production_hasher)
    stored = hash_password("violet tractor harbour 1987")
    assert stored.startswith("$argon2id$v=19$m=65536,t=3,p=4$")
    assert verify_password(stored, "violet tractor harbour 1987")
    assert not needs_rehash(stored)


def test_hash_is_argon2id_salted_and_never_the_password():
    first, second = hash_password(PASSWORD), hash_password(PASSWORD)
    assert first.startswith("$argon2id$")
    assert second.startswith("$argon2id$")
    assert first != second  # a fresh salt each time
    assert PASSWORD not in first


def test_right_password_verifies(password_hash):
    assert verify_password(password_hash, PASSWORD)


@pytest.mark.parametrize("attempt", ["violet tractor harbour 1988", "VIOLET TRACTOR HARBOUR 1987", "", PASSWORD + " "])
def test_wrong_password_does_not_verify(password_hash, attempt):
    assert not verify_password(password_hash, attempt)


@pytest.mark.parametrize("stored", [None, "", "plain text", "$argon2id$garbage"])
def test_missing_or_broken_hash_verifies_nothing(stored):
    assert not verify_password(stored, PASSWORD)


def test_hash_made_with_weaker_parameters_asks_to_be_redone(production_hasher, monkeypatch):
    weak = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1).hash(PASSWORD)
    monkeypatch.setattr(passwords, "_hasher", production_hasher)
    assert needs_rehash(weak)
    assert verify_password(weak, PASSWORD)  # still accepted: the next sign-in upgrades it


# --- password rules -----------------------------------------------------------------------------------------


def refusal(password: str, user_inputs: tuple[str, ...] = ()) -> str:
    with pytest.raises(ValidationError) as caught:
        check_new_password(password, user_inputs=list(user_inputs))
    assert set(caught.value.errors) == {"password"}
    return caught.value.errors["password"]


@pytest.mark.parametrize("password", ["", "short", "nine char"])
def test_too_short_password_is_refused_saying_how_long(password):
    assert refusal(password) == "Use at least 10 characters."


def test_overlong_password_is_refused():
    assert refusal("x" * 257) == "Use at most 256 characters."


@pytest.mark.parametrize("password", ["password1234", "qwertyuiop12", "aaaaaaaaaaaa", "1234567890"])
def test_common_or_guessable_password_is_refused_saying_why(password):
    message = refusal(password)
    assert message.endswith("Try a longer phrase of unrelated words.")
    assert len(message) > len("Try a longer phrase of unrelated words.")  # a reason comes first


def test_password_made_of_the_persons_own_email_is_refused():
    assert refusal("ada@example.com1", ("ada@example.com", "Ada Admin"))


@pytest.mark.parametrize("password", [PASSWORD, "quartz meadow lantern 2451", "Tr0ub4dor&3x"])
def test_strong_password_is_accepted(password):
    check_new_password(password, user_inputs=["ada@example.com", "Ada Admin"])


# --- one-time link tokens -----------------------------------------------------------------------------------


def token_row(session: Session, raw: str) -> OneTimeToken:
    session.expire_all()
    return session.exec(select(OneTimeToken).where(OneTimeToken.token_hash == tokens.token_hash(raw))).one()


def consume_refused(session: Session, raw: str, purpose: str = "reset") -> str:
    with pytest.raises(CustomerAppError) as caught:
        tokens.consume_one_time(raw, purpose, "staff", session=session)
    return str(caught.value)


@pytest.fixture
def issued(session, staff_user) -> str:
    """A committed reset token for the staff member."""
    raw = tokens.issue_one_time("staff", staff_user.id, "reset", timedelta(hours=1), session=session)
    session.commit()
    return raw


def test_only_a_hash_of_the_token_is_stored(session, issued):
    [row] = session.exec(select(OneTimeToken)).all()
    assert row.token_hash == hashlib.sha256(issued.encode()).hexdigest()
    assert issued not in (row.token_hash, row.purpose)
    assert len(issued) >= 40  # 32 random bytes, URL-safe


def test_token_works_once(session, issued, staff_user):
    assert tokens.peek_one_time(issued, "reset", "staff", session=session) == staff_user.id  # looking does not use it
    assert tokens.consume_one_time(issued, "reset", "staff", session=session) == staff_user.id
    session.commit()
    assert "already been used" in consume_refused(session, issued)
    assert tokens.peek_one_time(issued, "reset", "staff", session=session) is None
    assert token_row(session, issued).used_at is not None


def test_expired_token_is_refused(session, issued):
    row = token_row(session, issued)
    row.expires_at = utcnow() - timedelta(seconds=1)
    session.commit()
    assert tokens.peek_one_time(issued, "reset", "staff", session=session) is None
    assert consume_refused(session, issued) == "This link has expired. Ask for a new one."


def test_token_expires_after_its_lifetime_not_before(session, issued):
    row = token_row(session, issued)
    assert timedelta(minutes=59) < row.expires_at - utcnow() <= timedelta(hours=1)
    row.expires_at = utcnow() + timedelta(seconds=30)  # nearly over, still good
    session.commit()
    assert tokens.consume_one_time(issued, "reset", "staff", session=session)


@pytest.mark.parametrize("raw", ["", "not-a-token", "x" * 43])
def test_unknown_token_is_refused(session, issued, raw):
    assert "not valid" in consume_refused(session, raw)


def test_token_of_another_purpose_is_refused(session, issued):
    assert "not valid" in consume_refused(session, issued, purpose="invite")
    assert tokens.peek_one_time(issued, "invite", "staff", session=session) is None


def test_new_token_makes_the_earlier_unused_one_stop_working(session, issued, staff_user):
    newer = tokens.issue_one_time("staff", staff_user.id, "reset", timedelta(hours=1), session=session)
    session.commit()
    assert "not valid" in consume_refused(session, issued)
    assert tokens.consume_one_time(newer, "reset", "staff", session=session) == staff_user.id


def test_token_of_another_kind_of_account_is_refused(session, issued, staff_user):
    with pytest.raises(CustomerAppError, match="not valid"):
        tokens.consume_one_time(issued, "reset", "portal", session=session)
    assert tokens.peek_one_time(issued, "reset", "portal", session=session) is None
    assert tokens.consume_one_time(issued, "reset", "staff", session=session) == staff_user.id  # still unused


def test_link_of_a_deactivated_account_is_refused(session, issued, staff_user):
    staff_user.active = False
    session.commit()
    with pytest.raises(CustomerAppError, match=r"This account is not active\."):
        staff_accounts.set_password_with_token(issued, "reset", "a long new passphrase 42", session=session)


def test_each_token_is_different(session, staff_user):
    raws = {
        tokens.issue_one_time("staff", staff_user.id, "invite", timedelta(days=7), session=session) for _ in range(5)
    }
    assert len(raws) == 5


@pytest.mark.parametrize("backend", ["postgresql"])  # SQLite lets one writer in at a time: no race to lose
def test_two_requests_racing_with_one_link_let_exactly_one_through(postgresql_engine, staff_user, session):
    """The second request waits on the first one's row lock, then finds the token used: only one may pass."""
    raw = tokens.issue_one_time("staff", staff_user.id, "reset", timedelta(hours=1), session=session)
    session.commit()
    first, second = Session(postgresql_engine), Session(postgresql_engine)
    outcome: dict[str, object] = {}

    def use_link_in_second_request() -> None:
        try:
            outcome["second"] = tokens.consume_one_time(raw, "reset", "staff", session=second)
            second.commit()
        except CustomerAppError as refused:
            outcome["second"] = str(refused)

    try:
        assert tokens.consume_one_time(raw, "reset", "staff", session=first) == staff_user.id  # not committed yet
        racer = threading.Thread(target=use_link_in_second_request)
        racer.start()
        _wait_until_blocked_on_a_lock(postgresql_engine, racer)
        first.commit()
        racer.join(timeout=30)
    finally:
        first.close()
        second.close()
    assert "already been used" in str(outcome["second"])


def _wait_until_blocked_on_a_lock(engine, racer: threading.Thread) -> None:
    """Return once another connection waits on a row lock (or the racer already finished)."""
    with engine.connect() as watcher:
        for _ in range(2000):
            waiting = watcher.execute(
                text("SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND pid <> pg_backend_pid()")
            ).scalar_one()
            if waiting or not racer.is_alive():
                return
            watcher.rollback()
            racer.join(timeout=0.005)
    raise AssertionError("the second request neither waited for the first nor finished")
