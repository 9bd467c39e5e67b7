"""A release that moves code keeps everyone signed in: the browser keeps its session token under a fixed name."""

from reflex.istate.storage import LocalStorage

from customer_app.access.state.auth import AuthState


def test_the_session_token_is_kept_under_a_name_that_does_not_follow_the_module_path():
    stored = AuthState.get_fields()["auth_token"].default
    assert isinstance(stored, LocalStorage)
    assert stored.name == "customer_workspace_session"
    assert "customer_app" in AuthState.get_full_name()  # the state's own name does follow the module path
