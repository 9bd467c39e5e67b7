"""Signing in and out: credentials, throttling and lockout, sessions and their expiry, the sign-in page.

Time is controlled by editing timestamps in the database or by moving the service's clock
(`customer_app.access.auth.utcnow`), never by sleeping.
"""

from datetime import timedelta
from urllib.parse import quote, urljoin, urlsplit

import pytest
from argon2 import PasswordHasher
from reflex.istate.data import ReflexURL, RouterData, SessionData
from sqlalchemy import func
from sqlmodel import Session, col, select

from customer_app.access import auth, staff_accounts
from customer_app.access.models import SignInAttempt, StaffSession, StaffUser
from customer_app.access.state.auth import AuthState
from customer_app.access.state.sign_in import SignInState
from customer_app.core.columns import utcnow
from customer_app.core.models import AuditEvent
from customer_app.core.passwords import verify_password
from customer_app.core.tokens import token_hash
from customer_app.errors import SignInError
from customer_app.settings import settings
from tests.unit.accounts import ADDRESS, PASSWORD
from tests.unit.reflex_helpers import redirect_target, run

SAM = "sam@example.com"  # the staff_user fixture's e-mail
ELSEWHERE = "198.51.100.9"


def sign_in(
    session: Session, email: str = SAM, password: str = PASSWORD, *, address: str = ADDRESS, remember: bool = False
) -> str:
    """Sign in as the sign-in page does; returns the browser's token."""
    _, token = auth.sign_in(email, password, address=address, remember=remember, session=session)
    session.commit()
    return token


def refused(session: Session, email: str = SAM, password: str = "wrong password", *, address: str = ADDRESS) -> str:
    """A sign-in that must be refused; its record is committed like the page's session scope does. The message."""
    with pytest.raises(SignInError) as caught:
        auth.sign_in(email, password, address=address, remember=False, session=session)
    session.commit()
    return str(caught.value)


def session_row(session: Session, token: str) -> StaffSession:
    session.expire_all()
    return session.exec(select(StaffSession).where(StaffSession.token_hash == token_hash(token))).one()


def resolves(session: Session, token: str) -> StaffUser | None:
    """Who the token signs in right now (committing what resolving writes, as the app's scope does)."""
    user = auth.resolve_session(token, session=session)
    session.commit()
    return user


def past_failures(
    session: Session, count: int, *, email: str = SAM, address: str = ADDRESS, ago: timedelta = timedelta(minutes=10)
) -> None:
    """Failed attempts recorded one second apart, starting `ago` (long enough that no wait still applies)."""
    start = utcnow() - ago
    session.add_all(
        [
            SignInAttempt(email_key=email, address=address, succeeded=False, at=start + timedelta(seconds=i))
            for i in range(count)
        ]
    )
    session.commit()


def spray(session: Session, count: int, *, address: str = ELSEWHERE) -> None:
    """Failed attempts at `count` different e-mails from one address, five minutes ago."""
    start = utcnow() - timedelta(minutes=5)
    session.add_all(
        [
            SignInAttempt(
                email_key=f"guess{i}@example.com", address=address, succeeded=False, at=start + timedelta(seconds=i)
            )
            for i in range(count)
        ]
    )
    session.commit()


def turn_back_time(session: Session, by: timedelta) -> None:
    """Make every recorded attempt and lock older, as if `by` had passed."""
    for attempt in session.exec(select(SignInAttempt)):
        attempt.at -= by
    for user in session.exec(select(StaffUser).where(col(StaffUser.locked_until).is_not(None))):
        if user.locked_until is not None:
            user.locked_until -= by
    session.commit()


def events(session: Session, action: str) -> list[AuditEvent]:
    session.expire_all()
    return list(session.exec(select(AuditEvent).where(AuditEvent.action == action).order_by(col(AuditEvent.id))))


class Clock:
    """The auth service's clock: real time until set to a moment (attempts are still stamped in real time)."""

    def __init__(self) -> None:
        self.moment = None

    def __call__(self):
        return self.moment or utcnow()

    def after_last_attempt(self, session: Session, seconds: float) -> None:
        """Stop the clock `seconds` after the last recorded attempt."""
        session.expire_all()
        self.moment = session.exec(select(func.max(SignInAttempt.at))).one() + timedelta(seconds=seconds)


@pytest.fixture
def clock(monkeypatch) -> Clock:
    clock = Clock()
    monkeypatch.setattr(auth, "utcnow", clock)
    return clock


# --- signing in ---------------------------------------------------------------------------------------------


def test_right_password_signs_in_with_a_new_session_each_time(session, staff_user):
    first, second = sign_in(session), sign_in(session)
    assert first != second
    assert resolves(session, first).id == resolves(session, second).id == staff_user.id
    assert len(session.exec(select(StaffSession)).all()) == 2


def test_only_a_hash_of_the_session_token_is_stored(session, staff_user):
    token = sign_in(session)
    row = session_row(session, token)
    assert row.token_hash != token
    assert token not in row.token_hash
    assert len(token) >= 40


def test_sign_in_ignores_case_and_surrounding_spaces_in_the_email(session, staff_user):
    assert resolves(session, sign_in(session, "  SAM@Example.COM ")).id == staff_user.id


def test_successful_sign_in_is_recorded_with_its_address(session, staff_user):
    sign_in(session)
    [attempt] = session.exec(select(SignInAttempt)).all()
    assert (attempt.email_key, attempt.address, attempt.succeeded) == (SAM, ADDRESS, True)
    [event] = events(session, "sign_in")
    assert (event.actor_id, event.actor_email, event.address, event.entity_id) == (
        staff_user.id,
        SAM,
        ADDRESS,
        staff_user.id,
    )


def test_an_invited_account_without_a_password_is_checked_like_an_unknown_one(session, make_user, monkeypatch):
    make_user("staff", email="invited@example.com", password=False)  # has not chosen a password yet
    checked: list[str] = []
    real = auth.verify_password
    monkeypatch.setattr(auth, "verify_password", lambda hashed, given: checked.append(hashed) or real(hashed, given))
    refused(session, "invited@example.com", "a guess")
    refused(session, "nobody@example.com", "a guess")
    assert checked == [auth._DUMMY_HASH, auth._DUMMY_HASH]  # the same argon2 work, so the same time


def test_wrong_password_and_unknown_email_get_the_same_message(session, make_user):
    make_user("staff", email=SAM)
    make_user("staff", email="gone@example.com", active=False)
    make_user("staff", email="invited@example.com", password=False)  # has not chosen a password yet
    messages = {
        "wrong password": refused(session, SAM, "wrong password"),
        "unknown e-mail": refused(session, "nobody@example.com", PASSWORD),
        "deactivated account": refused(session, "gone@example.com", PASSWORD),
        "invitation not accepted": refused(session, "invited@example.com", ""),
        "not an e-mail": refused(session, "not an email", PASSWORD),
    }
    assert set(messages.values()) == {"The e-mail or password is not right."}
    assert session.exec(select(StaffSession)).all() == []


def test_refused_attempt_is_recorded_although_sign_in_raises(session, staff_user):
    refused(session, SAM, "wrong password", address=ELSEWHERE)
    refused(session, "nobody@example.com", "whatever", address=ELSEWHERE)
    attempts = session.exec(select(SignInAttempt).order_by(col(SignInAttempt.id))).all()
    assert [(a.email_key, a.address, a.succeeded) for a in attempts] == [
        (SAM, ELSEWHERE, False),
        ("nobody@example.com", ELSEWHERE, False),
    ]
    assert [(e.actor_id, e.actor_email, e.address, e.entity_id) for e in events(session, "sign_in_failed")] == [
        (None, SAM, ELSEWHERE, staff_user.id),
        (None, "nobody@example.com", ELSEWHERE, None),
    ]


def test_sign_in_upgrades_a_hash_made_with_weaker_parameters(session, staff_user):
    staff_user.password_hash = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1).hash(PASSWORD)
    session.commit()
    weak = staff_user.password_hash
    sign_in(session)
    session.refresh(staff_user)
    assert staff_user.password_hash != weak
    assert staff_user.password_hash.startswith("$argon2id$")
    assert verify_password(staff_user.password_hash, PASSWORD)


# --- throttling and lockout ---------------------------------------------------------------------------------


def test_after_three_failures_the_next_attempt_must_wait_even_with_the_right_password(session, staff_user, clock):
    for _ in range(3):
        assert refused(session) == "The e-mail or password is not right."
    clock.after_last_attempt(session, 0.4)
    assert refused(session, password=PASSWORD) == "Too many attempts. Wait 1 s and try again."
    assert len(session.exec(select(SignInAttempt)).all()) == 3  # a throttled attempt is not even checked
    clock.after_last_attempt(session, 1.1)
    assert resolves(session, sign_in(session)).id == staff_user.id


def test_the_wait_doubles_with_each_further_failure(session, staff_user, clock):
    for _ in range(3):
        refused(session)
    clock.after_last_attempt(session, 1.1)
    assert refused(session) == "The e-mail or password is not right."  # 4 failures: wait 2 s after this one
    clock.after_last_attempt(session, 1.5)
    assert refused(session, password=PASSWORD) == "Too many attempts. Wait 1 s and try again."
    clock.after_last_attempt(session, 2.1)
    assert refused(session) == "The e-mail or password is not right."  # 5 failures: wait 4 s after this one
    clock.after_last_attempt(session, 3.5)
    assert "Wait" in refused(session, password=PASSWORD)


def test_unknown_email_is_throttled_the_same_way(session, clock):
    for _ in range(3):
        refused(session, "nobody@example.com")
    clock.after_last_attempt(session, 0.4)
    assert refused(session, "nobody@example.com") == "Too many attempts. Wait 1 s and try again."


def test_a_successful_sign_in_starts_the_count_afresh(session, staff_user):
    past_failures(session, 3)
    sign_in(session)
    assert refused(session) == "The e-mail or password is not right."
    assert refused(session) == "The e-mail or password is not right."  # no wait: only two failures since


def test_failures_older_than_fifteen_minutes_no_longer_count(session, staff_user):
    past_failures(session, 9, ago=timedelta(minutes=16))
    assert refused(session) == "The e-mail or password is not right."
    assert refused(session) == "The e-mail or password is not right."
    session.refresh(staff_user)
    assert staff_user.locked_until is None


def test_ten_failures_lock_the_account_for_fifteen_minutes(session, staff_user):
    past_failures(session, 9)
    assert refused(session) == "The e-mail or password is not right."  # the tenth
    session.refresh(staff_user)
    assert timedelta(minutes=14) < staff_user.locked_until - utcnow() <= timedelta(minutes=15)
    [lockout] = events(session, "lockout")
    assert (lockout.entity_type, lockout.entity_id, lockout.actor_email) == ("staff", staff_user.id, SAM)
    message = refused(session, password=PASSWORD)
    assert message == "Too many failed sign-ins: this account is locked. Try again in 15 min."
    assert refused(session, address=ELSEWHERE) == message  # another address does not help
    assert session.exec(select(StaffSession)).all() == []
    turn_back_time(session, timedelta(minutes=16))
    assert resolves(session, sign_in(session)).id == staff_user.id


def test_many_failures_from_one_address_lock_that_address(session, staff_user):
    spray(session, 30)
    assert refused(session, password=PASSWORD, address=ELSEWHERE) == (
        "Too many failed sign-ins from this address. Try again in 15 minutes."
    )
    assert refused(session, "nobody@example.com", address=ELSEWHERE).startswith("Too many failed sign-ins from")
    assert resolves(session, sign_in(session, address=ADDRESS)).id == staff_user.id  # other addresses still work
    turn_back_time(session, timedelta(minutes=16))
    assert sign_in(session, address=ELSEWHERE)


def test_a_locked_address_still_lets_in_colleagues_who_signed_in_from_it_before(session, staff_user, make_user):
    sign_in(session, address=ELSEWHERE)  # Sam works from the office, behind its one address
    newcomer = make_user("staff", email="nia@example.com", name="Nia New")
    spray(session, 30)  # someone at the office guesses at other accounts
    assert resolves(session, sign_in(session, address=ELSEWHERE)).id == staff_user.id
    assert refused(session, newcomer.email, PASSWORD, address=ELSEWHERE).startswith("Too many failed sign-ins from")


def test_a_known_address_does_not_lift_the_accounts_own_limits(session, staff_user):
    session.add(SignInAttempt(email_key=SAM, address=ELSEWHERE, succeeded=True, at=utcnow() - timedelta(days=2)))
    spray(session, 30)
    past_failures(session, 10, address=ELSEWHERE, ago=timedelta(minutes=1))
    assert refused(session, password=PASSWORD, address=ELSEWHERE).startswith("Too many failed sign-ins: this account")


def test_fewer_failures_from_one_address_do_not_lock_it(session, staff_user):
    spray(session, 29)
    assert sign_in(session, address=ELSEWHERE)


def test_own_successful_sign_ins_do_not_reset_the_address_lock(session, staff_user):
    spray(session, 29)
    sign_in(session, address=ELSEWHERE)  # the attacker's own account
    assert refused(session, "victim@example.com", address=ELSEWHERE) == "The e-mail or password is not right."  # 30th
    assert refused(session, "another@example.com", address=ELSEWHERE).startswith("Too many failed sign-ins from")


def test_after_ten_failures_an_unknown_email_is_answered_like_an_existing_one(session, staff_user):
    past_failures(session, 9)
    past_failures(session, 9, email="nobody@example.com")
    refused(session)
    refused(session, "nobody@example.com")
    assert refused(session) == refused(session, "nobody@example.com")


# --- sessions -----------------------------------------------------------------------------------------------


def test_session_lasts_the_absolute_lifetime_and_is_kept_alive_by_use(session, staff_user):
    token = sign_in(session)
    row = session_row(session, token)
    assert row.expires_at - row.created_at == timedelta(hours=settings.session_absolute_hours) == timedelta(hours=12)
    assert not row.remember
    row.last_seen_at = utcnow() - timedelta(minutes=settings.session_idle_minutes - 5)  # idle, but not too long
    session.commit()
    assert resolves(session, token).id == staff_user.id
    assert utcnow() - session_row(session, token).last_seen_at < timedelta(minutes=1)  # use resets the idle clock


def test_session_idle_too_long_ends(session, staff_user):
    token = sign_in(session)
    row = session_row(session, token)
    row.last_seen_at = utcnow() - timedelta(minutes=settings.session_idle_minutes + 1)
    session.commit()
    assert resolves(session, token) is None
    assert session_row(session, token).ended_at is not None


def test_session_ends_at_its_absolute_limit_however_active(session, staff_user):
    token = sign_in(session)
    row = session_row(session, token)
    row.created_at = utcnow() - timedelta(hours=12, minutes=1)
    row.expires_at = row.created_at + timedelta(hours=12)
    row.last_seen_at = utcnow() - timedelta(seconds=5)
    session.commit()
    assert resolves(session, token) is None


def test_remember_me_lasts_thirty_days_and_survives_a_long_pause(session, staff_user):
    token = sign_in(session, remember=True)
    row = session_row(session, token)
    assert row.remember
    assert row.expires_at - row.created_at == timedelta(days=settings.remember_days) == timedelta(days=30)
    row.last_seen_at = utcnow() - timedelta(days=3)  # far beyond the ordinary idle limit
    session.commit()
    assert resolves(session, token).id == staff_user.id
    row = session_row(session, token)
    row.expires_at = utcnow() - timedelta(seconds=1)
    session.commit()
    assert resolves(session, token) is None


@pytest.mark.parametrize("token", ["", "made-up", "x" * 43])
def test_missing_or_unknown_token_signs_in_nobody(session, staff_user, token):
    sign_in(session)
    assert resolves(session, token) is None


def test_sign_out_ends_only_that_session(session, staff_user):
    here, elsewhere = sign_in(session), sign_in(session)
    auth.sign_out(here, session=session)
    session.commit()
    assert resolves(session, here) is None
    assert session_row(session, here).ended_at is not None
    assert resolves(session, elsewhere).id == staff_user.id
    auth.sign_out(here, session=session)  # twice, or with nothing, is harmless
    auth.sign_out("", session=session)


def test_deactivation_ends_every_session_at_once(session, staff_user, admin):
    tokens = [sign_in(session), sign_in(session, remember=True), sign_in(session, address=ELSEWHERE)]
    staff_accounts.set_active(staff_user.id, False, actor=admin, session=session)
    session.commit()
    assert [resolves(session, t) for t in tokens] == [None, None, None]
    assert all(session_row(session, t).ended_at is not None for t in tokens)
    staff_accounts.set_active(staff_user.id, True, actor=admin, session=session)
    session.commit()
    assert [resolves(session, t) for t in tokens] == [None, None, None]  # coming back means signing in again


def test_a_deactivated_account_is_signed_out_even_before_its_sessions_are_ended(session, staff_user):
    token = sign_in(session)
    staff_user.active = False
    session.commit()
    assert resolves(session, token) is None


# --- the sign-in page ---------------------------------------------------------------------------------------


@pytest.fixture
def login_tab(new_tab):
    """A signed-out tab on the sign-in page, with a `next` to return to, from ELSEWHERE."""

    def tab(next_path: str = "/customers?tab=trash"):
        root = new_tab()
        url = ReflexURL(f"http://localhost:3000/login?next={quote(next_path, safe='')}")
        root.router = RouterData(session=SessionData(client_ip=ELSEWHERE), url=url)
        return root.get_substate(SignInState._get_substate_path()), root.get_substate(AuthState._get_substate_path())

    return tab


def test_sign_in_page_stores_a_token_in_the_browser_and_returns_to_the_page_asked_for(login_tab, staff_user, session):
    page, auth_state = login_tab("/customers")
    result = run(page.sign_in({"email": SAM, "password": PASSWORD, "remember": "on"}))
    assert redirect_target(result) == "/customers"
    assert page.error == ""
    assert resolves(session, auth_state.auth_token).id == staff_user.id
    assert session_row(session, auth_state.auth_token).remember
    assert (auth_state.user_name, auth_state.role) == ("Sam Staff", "staff")


def test_sign_in_page_shows_a_refusal_and_records_it(login_tab, staff_user, session):
    page, auth_state = login_tab()
    assert run(page.sign_in({"email": SAM, "password": "wrong password"})) is None
    assert page.error == "The e-mail or password is not right."
    assert auth_state.auth_token == ""
    session.expire_all()
    [attempt] = session.exec(select(SignInAttempt)).all()
    assert (attempt.email_key, attempt.address, attempt.succeeded) == (SAM, ELSEWHERE, False)
    [event] = events(session, "sign_in_failed")
    assert (event.actor_email, event.address) == (SAM, ELSEWHERE)


@pytest.mark.parametrize("next_path", ["//evil.example/x", "https://evil.example/", "/\\evil.example", "customers"])
def test_sign_in_page_never_sends_people_to_another_site(login_tab, staff_user, next_path):
    page, _ = login_tab(next_path)
    assert redirect_target(run(page.sign_in({"email": SAM, "password": PASSWORD}))) == "/customers"


@pytest.mark.parametrize("next_path", ["/\t/evil.example", "/\n/evil.example", "/\r/evil.example"])
def test_sign_in_page_is_not_fooled_by_control_characters_in_next(login_tab, staff_user, next_path):
    page, _ = login_tab(next_path)
    target = redirect_target(run(page.sign_in({"email": SAM, "password": PASSWORD})))
    # Resolve it like a browser (Python's URL parser drops tabs and newlines as the WHATWG URL standard does).
    assert urlsplit(urljoin("http://localhost:3000/login", target)).netloc == "localhost:3000"


def test_sign_out_button_ends_the_session_and_goes_to_sign_in(new_tab, staff_user, session):
    auth_state = new_tab(staff_user).get_substate(AuthState._get_substate_path())
    token = auth_state.auth_token
    assert redirect_target(run(auth_state.sign_out())) == "/login"
    assert auth_state.auth_token == ""
    assert auth_state.role == ""
    assert resolves(session, token) is None
