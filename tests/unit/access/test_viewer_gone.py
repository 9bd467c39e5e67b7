"""What an open page's live task sends once nobody is signed in to its tab any more."""

import time

from sqlmodel import Session

from customer_app.access import auth
from customer_app.access.state.auth import (
    RESYNC_KEY,
    STATE_LOST,
    VIEWER_TRUSTED_SECONDS,
    AuthState,
    LiveViewer,
    actor_or_refusal,
    live_viewer,
    viewer_gone,
)
from tests.unit.reflex_helpers import redirect_target, run, toast


def gone_after_check(root):
    """Ask who views the tab, as the live tasks do, then what to send."""
    state = root.get_substate(AuthState._get_substate_path())
    run(actor_or_refusal(state, "customer.view"))
    return run(viewer_gone(state))


def test_a_page_someone_still_views_gets_nothing(new_tab, staff_user):
    assert gone_after_check(new_tab(staff_user)) is None


def test_a_page_whose_session_ended_is_sent_to_sign_in(new_tab):
    assert redirect_target(gone_after_check(new_tab(None, token="ended-session"))).startswith("/login")


def test_a_page_whose_state_the_server_lost_is_read_afresh_in_place_and_says_so(new_tab):
    message, resync = gone_after_check(new_tab(None))  # what Redis hands back after restarting empty: no token at all
    assert toast(message) == ("warning", STATE_LOST)
    assert resync.handler.fn.__qualname__ == "_remove_local_storage"  # the browser sends its session and is read again
    assert {name._js_expr: value._var_value for name, value in resync.args} == {"key": RESYNC_KEY}


def live_viewer_of(root, viewers: LiveViewer):
    return run(live_viewer(root.get_substate(AuthState._get_substate_path()), "customer.view", viewers))


def test_a_live_page_trusts_its_viewer_for_a_few_seconds_then_asks_again(new_tab, staff_user, app_db, monkeypatch):
    root, viewers = new_tab(staff_user), LiveViewer()
    assert live_viewer_of(root, viewers).email == staff_user.email
    with Session(app_db) as session:  # an admin ends every session of the account
        auth.end_all_sessions(staff_user.id, session=session)
        session.commit()
    assert live_viewer_of(root, viewers).email == staff_user.email  # within VIEWER_TRUSTED_SECONDS
    later = time.monotonic() + VIEWER_TRUSTED_SECONDS
    monkeypatch.setattr(time, "monotonic", lambda: later)
    assert live_viewer_of(root, viewers) is None


def test_a_live_page_asks_again_at_once_when_its_tab_changed_hands_or_lost_its_state(new_tab, staff_user):
    root, viewers = new_tab(staff_user), LiveViewer()
    assert live_viewer_of(root, viewers) is not None
    root.get_substate(AuthState._get_substate_path()).auth_token = ""  # signed out here, or state lost
    assert live_viewer_of(root, viewers) is None
