"""Where the sign-in and setup pages send people, what the address then says, and when their forms show."""

from typing import cast
from urllib.parse import parse_qs, urlsplit

from reflex.istate.data import ReflexURL, RouterData, SessionData
from reflex.state import State

from customer_app.access.state.auth import AuthState, actor_or_refusal
from customer_app.access.state.sign_in import SignInState
from tests.unit.accounts import PASSWORD
from tests.unit.reflex_helpers import redirect_target, run


def at(root: State, address: str) -> tuple[SignInState, AuthState]:
    """The sign-in state and the signed-in tab of a tab whose address bar shows `address`."""
    root.router = RouterData(
        session=SessionData(client_token="tab-1"), url=ReflexURL(f"http://localhost:3000{address}")
    )
    sign_in = cast(SignInState, root.get_substate(SignInState._get_substate_path()))
    return sign_in, cast(AuthState, root.get_substate(AuthState._get_substate_path()))


def replaces(spec) -> bool:
    """Whether a redirect takes the place of the page it leaves (Back then skips it)."""
    return {name._js_expr: value for name, value in spec.args}["replace"]._var_value is True


def test_a_signed_out_visitor_is_sent_to_sign_in_and_back_to_the_very_view_asked_for(new_tab, staff_user):
    _, auth_state = at(new_tab(None), "/customers?tab=trash&q=ada+lovelace&page=2")
    _, refused = run(actor_or_refusal(auth_state, "customer.view"))
    target = redirect_target(refused)
    assert replaces(refused)
    assert urlsplit(target).path == "/login"
    assert parse_qs(urlsplit(target).query) == {"next": ["/customers?tab=trash&q=ada+lovelace&page=2"]}

    page, auth_state = at(new_tab(None), target)  # the sign-in page as the browser opens it
    result = run(page.sign_in({"email": "sam@example.com", "password": PASSWORD}))
    assert redirect_target(result) == "/customers?tab=trash&q=ada+lovelace&page=2"
    assert replaces(result)
    assert auth_state.role == "staff"


def test_the_sign_in_form_shows_only_once_the_page_knows_it_is_needed(new_tab, staff_user):
    page, _ = at(new_tab(None), "/login?next=/customers")
    assert run(page.on_login_load()) is None
    assert page.shown == "login"

    page, _ = at(new_tab(staff_user), "/login?next=/customers%3Ftab%3Dtrash")  # already signed in: straight in
    result = run(page.on_login_load())
    assert (redirect_target(result), replaces(result), page.shown) == ("/customers?tab=trash", True, "")


def test_a_first_run_skips_the_sign_in_form_for_setup(new_tab, app_db):
    page, _ = at(new_tab(None), "/login?next=/customers")
    result = run(page.on_login_load())
    assert (redirect_target(result), replaces(result), page.shown) == ("/setup", True, "")
    page, _ = at(new_tab(None), "/setup")
    assert run(page.on_setup_load()) is None
    assert page.shown == "setup"


def test_setup_creates_the_admin_and_the_address_then_says_customers(new_tab, app_db):
    page, auth_state = at(new_tab(None), "/setup")
    run(page.on_setup_load())
    password = "violet tugboat chimney orbit"
    form = {"name": "Ada Lovelace", "email": "ada@example.com", "password": password, "confirm": password}
    result = run(page.create_admin(form))
    assert (redirect_target(result), replaces(result), auth_state.role) == ("/customers", True, "admin")


def test_setup_once_done_sends_a_signed_in_browser_in_and_anyone_else_to_sign_in(new_tab, staff_user):
    page, _ = at(new_tab(staff_user), "/setup")
    result = run(page.on_setup_load())
    assert (redirect_target(result), replaces(result), page.shown) == ("/customers", True, "")
    page, _ = at(new_tab(None), "/setup")
    result = run(page.on_setup_load())
    assert (redirect_target(result), replaces(result), page.shown) == ("/login", True, "")


def test_a_next_address_to_another_site_goes_to_the_customers_instead(new_tab, staff_user):
    for next_path in ("//evil.example/x", "https://evil.example", "/\\evil.example", "javascript:alert(1)"):
        page, _ = at(new_tab(staff_user), f"/login?next={next_path}")
        assert redirect_target(run(page.on_login_load())) == "/customers"
