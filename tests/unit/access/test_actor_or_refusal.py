"""The check reads and long work make where `act_as` does not fit: the actor, or what to send back instead."""

import asyncio
import threading

import pytest

from customer_app.access import auth
from customer_app.access.state.auth import AuthState, actor_or_refusal
from tests.unit.reflex_helpers import redirect_target, run, toast


def auth_state(root) -> AuthState:
    return root.get_substate(AuthState._get_substate_path())


def test_an_allowed_user_gets_their_actor_and_nothing_to_send_back(new_tab, admin_user):
    actor, refused = run(actor_or_refusal(auth_state(new_tab(admin_user)), "customer.import"))
    assert (actor.id, actor.email, refused) == (admin_user.id, admin_user.email, None)


@pytest.mark.parametrize("role", ["staff", "read_only"])
def test_a_role_without_the_permission_gets_a_message(role, new_tab, make_user):
    actor, refused = run(actor_or_refusal(auth_state(new_tab(make_user(role))), "customer.export"))
    assert actor is None
    assert toast(refused) == ("error", "Your role does not allow this. Ask an admin if you need it.")


def test_a_signed_out_tab_is_sent_to_sign_in(new_tab):
    state = auth_state(new_tab(None, token="stale-or-stolen"))
    actor, refused = run(actor_or_refusal(state, "customer.import"))
    assert actor is None
    assert redirect_target(refused).startswith("/login")


@pytest.mark.parametrize("token", [12345, {"token": ["not", "text"]}, None])
def test_a_session_token_that_is_not_text_is_a_tab_nobody_signed_in_to(token, new_tab):
    # Browser storage arrives as the client sends it, whatever the var's annotation says.
    state = auth_state(new_tab(None))
    state.auth_token = token
    actor, refused = run(actor_or_refusal(state, "customer.view"))
    assert actor is None
    assert redirect_target(refused).startswith("/login")


def test_other_tabs_are_served_while_a_sign_in_check_waits_for_the_database(new_tab, staff_user, monkeypatch):
    # Every event checks its tab's session: a check that held the event loop held up every tab of the worker.
    database_answered, served = threading.Event(), []
    resolve_session = auth.resolve_session

    def slow_resolve(raw, *, session):
        database_answered.wait(timeout=5)  # held on the event loop, it waits in vain: the other tab never runs
        served.append("the check")
        return resolve_session(raw, session=session)

    monkeypatch.setattr(auth, "resolve_session", slow_resolve)

    async def another_tab():
        served.append("another tab")
        database_answered.set()

    async def both():
        check = asyncio.ensure_future(actor_or_refusal(auth_state(new_tab(staff_user)), "customer.view"))
        await asyncio.gather(check, another_tab())
        return check.result()

    actor, refused = run(both())
    assert (actor.email, refused) == (staff_user.email, None)
    assert served == ["another tab", "the check"]
