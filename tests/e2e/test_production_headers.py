"""The production server (`reflex run --env prod`: one port, the backend serving the built pages) under its security
headers: the policy on every answer, no access for other sites' pages, and every page working in Chromium with no
Content-Security-Policy violation.

The harness of the other browser tests serves pages from a development server, which sends none of these headers.
"""

import http.client
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from customer_app.core.db import make_engine
from customer_app.core.migrations import migrate
from customer_app.security_headers import CONTENT_SECURITY_POLICY
from tests.e2e.browsing import session_token
from tests.e2e.helpers import jpeg_bytes
from tests.e2e.test_customer_detail import make_customer

ROOT = Path(__file__).resolve().parents[2]
START_WITHIN = 600  # seconds for the production build and the server to come up
OTHER_SITE = "http://attacker.example"
# Collects what the browser reports about the policy, from the first script of every page on.
VIOLATIONS = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", (e) =>
  window.__violations.push(`${e.violatedDirective} blocked ${e.blockedURI || "inline"} in ${e.sourceFile}`)
);
"""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def production(tmp_path_factory) -> Iterator[str]:
    """The app built for production and served on one port, with PUBLIC_URL its own address; on the test database,
    in a build folder of its own (the development server of the other tests keeps .web)."""
    work = tmp_path_factory.mktemp("production")
    port = free_port()
    public = f"http://127.0.0.1:{port}"
    migrate(make_engine(os.environ["REFLEX_DB_URL"]))
    env = os.environ | {
        "PUBLIC_URL": public,
        "REFLEX_WEB_WORKDIR": str(work / "web"),
        "REFLEX_STATES_WORKDIR": str(work / "states"),
    }
    command = [sys.executable, "-m", "reflex", "run", "--env", "prod", "--frontend-port", str(port)]
    with (work / "server.log").open("w") as log:
        server = subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )
    try:
        deadline = time.monotonic() + START_WITHIN
        while status(public, "GET", "/ping")[0] != 200:
            if server.poll() is not None or time.monotonic() > deadline:
                pytest.fail("The production server did not start:\n" + (work / "server.log").read_text()[-4000:])
            time.sleep(1)  # polling for the server to listen, not synchronising the test
        yield public
    finally:
        os.killpg(server.pid, signal.SIGTERM)  # the server and the workers it started, nothing else
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()


def status(base: str, method: str, path: str, headers: dict[str, str] | None = None) -> tuple[int, dict[str, str]]:
    """The status and headers (lower-case names) of one request; (0, {}) while nothing listens."""
    address = urlsplit(base)
    connection = http.client.HTTPConnection(address.hostname, address.port, timeout=30)
    try:
        connection.request(method, path, headers=headers or {})
        answer = connection.getresponse()
        if answer.status != 101:  # a websocket that opened has no end to read to
            answer.read()
        return answer.status, {name.lower(): value for name, value in answer.getheaders()}
    except OSError:
        return 0, {}
    finally:
        connection.close()


def test_every_answer_carries_the_policy(production: str):
    for path in ("/login/", "/customers/", "/ping", "/api/download/unknown", "/_upload/missing.webp"):
        code, headers = status(production, "GET", path)
        assert code in (200, 403, 404), path
        assert headers["content-security-policy"] == CONTENT_SECURITY_POLICY, path
        assert headers["x-frame-options"] == "DENY"
    for directive in ("default-src 'self'", "script-src 'self'", "connect-src 'self'", "frame-ancestors 'none'"):
        assert directive in CONTENT_SECURITY_POLICY


def test_pages_of_other_sites_get_no_access_and_the_workspace_does(production: str):
    preflight = {"Access-Control-Request-Method": "POST", "Access-Control-Request-Headers": "reflex-client-token"}
    for origin, allowed in ((OTHER_SITE, False), ("http://127.0.0.1:1", False), (production, True)):
        _, headers = status(production, "OPTIONS", "/_upload", {"Origin": origin} | preflight)
        assert headers.get("access-control-allow-origin") == (origin if allowed else None), origin
        _, headers = status(production, "GET", "/ping", {"Origin": origin})
        assert headers.get("access-control-allow-origin") == (origin if allowed else None), origin
        websocket = {
            "Origin": origin,
            "Connection": "Upgrade",
            "Upgrade": "websocket",
            "Sec-WebSocket-Version": "13",
            "Sec-WebSocket-Key": "dGhlIHNhbXBsZSBub25jZQ==",
        }
        code, _ = status(production, "GET", "/_event/?EIO=4&transport=websocket", websocket)
        assert (code == 101) == allowed, origin


def watched_page(context: BrowserContext, console: list[str]) -> Page:
    """A page whose policy complaints in the console land in `console` (its events: `window.__violations`)."""
    context.set_default_timeout(20_000)
    context.add_init_script(VIOLATIONS)
    page = context.new_page()
    page.on("console", lambda m: console.append(m.text) if "Content Security Policy" in m.text else None)
    return page


def visit(page: Page, url: str, ready) -> list[str]:
    """Open a page, wait until it connected and shows `ready`, and return the policy violations it reported."""
    page.goto(url)
    page.wait_for_function("() => window.sessionStorage.getItem('token') !== null")  # saved once the app connects
    expect(ready(page)).to_be_visible()
    return page.evaluate("window.__violations")


def test_every_page_works_in_chromium_without_a_policy_violation(production: str, browser: Browser):
    customer_id = make_customer("Policy", "Checked")
    pages = {
        "/customers": lambda p: p.locator(".results[data-loaded=true]"),
        f"/customers/{customer_id}": lambda p: p.get_by_role("heading", name="Policy Checked"),
        "/customers/import": lambda p: p.get_by_role("button", name="Download sample (.xlsx)"),
        "/admin/staff": lambda p: p.get_by_role("heading", name="Invite a colleague"),
        "/admin/audit": lambda p: p.get_by_test_id("audit-row").first,
        "/admin/outbox": lambda p: p.get_by_role("banner").get_by_text("E2E Admin"),  # shown once signed in
        "/admin/imports": lambda p: p.get_by_role("banner").get_by_text("E2E Admin"),
        "/admin/settings": lambda p: p.get_by_role("heading", name="Custom fields"),
    }
    console: list[str] = []
    context = browser.new_context(viewport={"width": 1366, "height": 900})
    context.add_init_script(f"localStorage.setItem('customer_workspace_session', {session_token('admin')!r})")
    page = watched_page(context, console)
    found = {path: visit(page, production + path, ready) for path, ready in pages.items()}

    # What runs scripts and posts forms: a sample file, a picture upload with its preview, an export and its download.
    found["sample"] = visit(page, production + "/customers/import", pages["/customers/import"])
    with page.expect_download() as sample:
        page.get_by_role("button", name="Download sample (.xlsx)").click()
    assert sample.value.suggested_filename == "customers-sample.xlsx"
    found["sample"] += page.evaluate("window.__violations")
    found["picture"] = visit(page, production + "/customers", pages["/customers"])
    page.get_by_role("button", name="New Customer").first.click()
    with page.expect_file_chooser() as chooser:
        page.get_by_role("dialog").get_by_role("button", name="Upload").click()
    chooser.value.set_files({"name": "face.jpg", "mimeType": "image/jpeg", "buffer": jpeg_bytes()})
    expect(page.get_by_alt_text("Picture preview")).to_be_visible()
    found["picture"] += page.evaluate("window.__violations")
    page.keyboard.press("Escape")
    page.get_by_role("button", name="Export").click()
    with page.expect_download() as download:
        page.get_by_role("dialog").get_by_role("button", name="Export").click()
    assert download.value.suggested_filename == "customers.xlsx"
    found["export"] = page.evaluate("window.__violations")
    context.close()

    signed_out = browser.new_context()
    page = watched_page(signed_out, console)
    found["/login"] = visit(page, production + "/login", lambda p: p.get_by_label("Email"))
    found["/forgot"] = visit(page, production + "/forgot", lambda p: p.get_by_label("Email"))
    signed_out.close()
    assert {where: seen for where, seen in found.items() if seen} == {}
    assert console == []
