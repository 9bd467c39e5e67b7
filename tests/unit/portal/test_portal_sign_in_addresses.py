"""Where the portal's sign-in page sends people: back to the portal page they asked for, never off the portal."""

from typing import cast
from urllib.parse import parse_qs, quote, urlsplit

import pytest
from reflex.istate.data import ReflexURL, RouterData, SessionData
from reflex.state import State

from customer_app import routes
from customer_app.portal import sign_in
from customer_app.portal.state.portal import PortalState, portal_scope_or_refusal
from customer_app.portal.state.portal_sign_in import PortalSignInState
from tests.unit.portal.portal_world import PORTAL_PASSWORD, registered
from tests.unit.reflex_helpers import redirect_target, run


@pytest.fixture
def ada(app_db, session, staff, add) -> str:
    """A customer's person with a portal account: the e-mail to sign in with."""
    customer = add(first_name="Ada", email="ada@example.com")
    registered(session, customer.id, actor=staff)
    return "ada@example.com"


def at(address: str, token: str = "") -> tuple[PortalSignInState, PortalState]:
    """A tab whose address bar shows `address` (signed in to the portal with `token`)."""
    root = State(_reflex_internal_init=True)  # pyright: ignore[reportCallIssue] (how Reflex builds one)
    root.router = RouterData(session=SessionData(client_token="tab-1"), url=ReflexURL(f"http://localhost{address}"))
    portal = cast(PortalState, root.get_substate(PortalState._get_substate_path()))
    portal.portal_token = token
    return cast(PortalSignInState, root.get_substate(PortalSignInState._get_substate_path())), portal


def test_a_signed_out_visitor_signs_in_and_lands_on_the_portal_page_asked_for(ada):
    _, portal = at("/clients/invoices?document=12")
    scope, refused = run(portal_scope_or_refusal(portal, None))
    target = redirect_target(refused)
    assert scope is None
    assert urlsplit(target).path == routes.PORTAL_LOGIN
    assert parse_qs(urlsplit(target).query) == {"next": ["/clients/invoices?document=12"]}

    page, portal = at(target)  # the sign-in page as the browser opens it
    assert run(page.on_login_load()) is None  # nobody signed in yet: the form shows
    result = run(page.sign_in({"email": ada, "password": PORTAL_PASSWORD}))
    assert redirect_target(result) == "/clients/invoices?document=12"
    assert portal.account_name == "Ada Lovelace"


def test_a_signed_in_person_opening_the_sign_in_page_goes_straight_to_the_page_asked_for(ada, session):
    token = sign_in.sign_in(ada, PORTAL_PASSWORD, address="198.51.100.1", session=session)
    session.commit()
    page, _ = at(f"/clients/login?next={quote('/clients/tickets', safe='')}", token)
    assert redirect_target(run(page.on_login_load())) == "/clients/tickets"


@pytest.mark.parametrize(
    "asked", ["/customers", "/admin/staff", "//evil.example/clients", "https://evil.example/clients", "/clientsx"]
)
def test_a_next_off_the_portal_opens_the_dashboard_instead(ada, asked):
    page, _ = at(f"/clients/login?next={quote(asked, safe='')}")
    result = run(page.sign_in({"email": ada, "password": PORTAL_PASSWORD}))
    assert redirect_target(result) == routes.PORTAL


def test_the_sign_in_page_itself_is_never_the_page_to_return_to():
    assert routes.portal_login("/clients/login?next=/clients/tickets") == routes.PORTAL_LOGIN
    assert routes.portal_login("") == routes.PORTAL_LOGIN
    assert routes.portal_login(routes.PORTAL) == routes.PORTAL_LOGIN  # where signing in leads anyway
