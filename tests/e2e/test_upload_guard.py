"""Uploads are refused before their body is read unless the tab's signed-in person may send them.

Each request here sends its headers and holds the body back: an answer can only come from a server that decided
without reading it (a server that reads first would wait for the body until the test gives up).
"""

import http.client
import uuid
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser, Page
from reflex.config import get_config
from reflex.utils.format import format_event_handler

from customer_app.access import auth
from customer_app.core.db import session_scope
from customer_app.core.passwords import hash_password
from customer_app.core.permissions import Actor, Role
from customer_app.customers.customers import create_customer
from customer_app.customers.validation import validate_customer
from customer_app.portal import sections, sign_in
from customer_app.portal.models import PortalAccount, PortalGrant
from tests.e2e.conftest import open_customers

ANSWER_WITHIN = 20  # seconds to wait for an answer before deciding the server is waiting for the body
BOUNDARY = "guard-test-boundary"


@pytest.fixture
def names(app_url: str) -> dict[str, str]:
    """The names the browser sends for the import and the picture upload (read once the harness loaded the app)."""
    from customer_app.customers.state.customer_form import CustomerFormState  # noqa: PLC0415
    from customer_app.portal.state.portal_profile import PortalProfileState  # noqa: PLC0415
    from customer_app.transfer.state.importer import ImportState  # noqa: PLC0415

    return {
        "handle_upload": format_event_handler(ImportState.event_handlers["handle_upload"]),
        "upload_picture": format_event_handler(CustomerFormState.event_handlers["upload_picture"]),
        "portal_picture": format_event_handler(PortalProfileState.event_handlers["upload_picture"]),
    }


def send_headers_only(client: str, handler_name: str, length: int, first_bytes: bytes = b"") -> tuple[int, str]:
    """POST an upload's headers (and at most `first_bytes` of its body) to the backend; the status and text answered."""
    backend = urlsplit(get_config().api_url)
    connection = http.client.HTTPConnection(backend.hostname, backend.port, timeout=ANSWER_WITHIN)
    try:
        connection.putrequest("POST", "/_upload")
        for name, value in {
            "Content-Type": f"multipart/form-data; boundary={BOUNDARY}",
            "Content-Length": str(length),
            "Reflex-Client-Token": client,
            "Reflex-Event-Handler": handler_name,
        }.items():
            connection.putheader(name, value)
        connection.endheaders(first_bytes or None)
        answer = connection.getresponse()
        return answer.status, answer.read().decode()
    except TimeoutError:
        pytest.fail("No answer while the body was held back: the server was waiting to read it")
    finally:
        connection.close()


def tab_token(page: Page) -> str:
    """The browser tab's Reflex client token, which the page sends with its uploads."""
    return page.evaluate("window.sessionStorage.getItem('token')")


def test_an_upload_over_the_limit_from_nobody_is_refused_before_its_body_is_read(names):
    from customer_app.upload_limit import limit  # noqa: PLC0415  (the harness loads the app first)

    status, text = send_headers_only(str(uuid.uuid4()), names["handle_upload"], limit() + 1, first_bytes=b"x" * 65536)
    assert status == 413
    assert "larger than anything" in text


def test_an_upload_from_a_tab_nobody_signed_in_to_is_refused_unread(browser: Browser, app_url: str, names):
    page = browser.new_page()
    page.goto(f"{app_url}/customers")
    page.wait_for_url("**/login**")
    for client in (tab_token(page), str(uuid.uuid4()), ""):
        for name in names.values():
            status, text = send_headers_only(client, name, 2048)
            assert (status, text) == (401, "Please sign in to continue.")
    page.close()


def test_an_upload_from_a_tab_whose_session_ended_is_refused_unread(browser: Browser, app_url: str, names):
    page = open_customers(browser, app_url, "admin")
    assert send_headers_only(tab_token(page), "not.an_upload", 2048)[0] == 403
    with session_scope() as session:  # signed out elsewhere, expired or deactivated: the tab still holds the token
        auth.sign_out(page.evaluate("localStorage.getItem('customer_workspace_session')"), session=session)
    status, text = send_headers_only(tab_token(page), names["handle_upload"], 2048)
    assert (status, text) == (401, "Please sign in to continue.")
    page.context.close()


@pytest.mark.parametrize(
    ("role", "refused"), [("read_only", ("handle_upload", "upload_picture")), ("staff", ("handle_upload",))]
)
def test_an_upload_the_role_does_not_allow_is_refused_unread(browser: Browser, app_url: str, names, role, refused):
    page = open_customers(browser, app_url, role)
    for kind in refused:
        status, text = send_headers_only(tab_token(page), names[kind], 2048)
        assert (status, text) == (403, "Your role does not allow this upload.")
    page.context.close()


def test_the_portal_picture_needs_a_portal_session_whose_customer_shows_the_profile(
    browser: Browser, app_url: str, names
):
    staff = open_customers(browser, app_url, "admin")  # a staff session never opens the portal
    assert send_headers_only(tab_token(staff), names["portal_picture"], 2048) == (401, "Please sign in to continue.")
    staff.context.close()
    with session_scope() as session:
        actor = Actor(id=0, email="setup@example.com", name="Setup", role=Role.ADMIN)
        raw = {"first_name": "Pia", "email": "pia@upload.example"}
        pia = create_customer(validate_customer(raw, phone_region="US"), actor=actor, session=session)
        account = PortalAccount(
            email="pia@upload.example",
            email_key="pia@upload.example",
            name="Pia",
            password_hash=hash_password("not used by these tests"),
        )
        session.add(account)
        session.flush()
        session.add(PortalGrant(customer_id=pia.id, account_id=account.id))
        sections.set_sections(pia.id, ["tickets"], actor=actor, session=session)
        token = sign_in.start_session(account, pia.id, address="127.0.0.1", session=session)
    context = browser.new_context()
    context.add_init_script(f"localStorage.setItem('customer_portal_session', {token!r})")
    portal = context.new_page()
    portal.goto(f"{app_url}/clients")
    portal.get_by_test_id("open-tickets").wait_for()
    status, text = send_headers_only(tab_token(portal), names["portal_picture"], 2048)
    assert (status, text) == (403, "Your role does not allow this upload.")  # Profile is switched off for Pia
    context.close()
