"""Two workers behind nginx, as a big install runs: sign-in, the websocket, uploads, downloads, and every change
reaching the pages open on the other worker, whether a person saved it or a job or another process wrote it."""

import asyncio
import http.client
import re
from concurrent.futures import ThreadPoolExecutor

from playwright.sync_api import Browser, BrowserContext, Page, expect
from sqlmodel import select

from customer_app.access.models import SignInAttempt, StaffUser
from customer_app.core.db import session_scope
from customer_app.core.live import LiveHub
from customer_app.core.normalize import email_key
from customer_app.core.passwords import hash_password
from customer_app.core.permissions import Actor, Role
from customer_app.customers.customers import create_customer
from customer_app.customers.models import CustomerInput
from customer_app.settings import settings
from customer_app.upload_limit import limit
from tests.e2e.helpers import dialog, jpeg_bytes, rows, search
from tests.e2e_proxy import stack
from tests.e2e_proxy.conftest import PROXY_PORT, WORKER_PORTS

PASSWORD = "proxy lantern meadow quartz"
FORGED = "203.0.113.9"  # what a client claims as its address in its own X-Forwarded-For


def worker_of(context: BrowserContext, app_url: str) -> int:
    """Which worker (1 or 2) answers this browser's requests, as the proxy reports it."""
    answer = context.request.get(f"{app_url}/api/health")
    assert answer.ok
    port = int(answer.headers[stack.UPSTREAM_HEADER.lower()].rsplit(":", 1)[1])
    return WORKER_PORTS.index(port) + 1


def open_list(page: Page, app_url: str, term: str) -> list[str]:
    """Open the customers list searching `term`; the websocket addresses the page connected to."""
    sockets: list[str] = []
    page.on("websocket", lambda socket: sockets.append(socket.url))
    page.goto(f"{app_url}/customers")
    expect(page.locator(".results")).to_have_attribute("data-loaded", "true")
    search(page, term)
    return sockets


def test_staff_sign_in_through_the_proxy_under_their_own_address(browser: Browser, app_url: str):
    with session_scope() as session:
        email = "signing@proxy.example"
        session.add(
            StaffUser(
                email=email,
                email_key=email_key(email),
                name="Sid Proxy",
                role="admin",
                password_hash=hash_password(PASSWORD),
            )
        )
    context = browser.new_context(extra_http_headers={"X-Forwarded-For": FORGED})
    context.add_cookies([{"name": stack.WORKER_COOKIE, "value": "2", "url": app_url}])
    page = context.new_page()
    page.goto(f"{app_url}/customers")
    expect(page).to_have_url(re.compile(r"/login\?next=/customers/?$"))
    expect(page.locator("[data-hydrated]")).to_have_attribute("data-hydrated", "true")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(re.compile(r"/customers/?$"))
    expect(page.get_by_text("Sid Proxy")).to_be_visible()
    assert worker_of(context, app_url) == 2
    with session_scope() as session:
        attempt = session.exec(select(SignInAttempt).where(SignInAttempt.email_key == email_key(email))).one()
    # The browser's own address, as nginx forwarded it: not nginx's (127.0.0.2), not what the client claimed.
    assert attempt.address == "127.0.0.1"
    assert attempt.succeeded
    context.close()


def test_a_save_with_a_picture_on_one_worker_appears_live_on_the_other(page_a: Page, page_b: Page, app_url: str):
    assert (worker_of(page_a.context, app_url), worker_of(page_b.context, app_url)) == (1, 2)
    sockets = open_list(page_b, app_url, "proxypicture")
    expect(page_b.get_by_text("No customers match")).to_be_visible()
    assert sockets
    assert all(url.startswith(f"ws://127.0.0.1:{PROXY_PORT}/_event") for url in sockets)

    open_list(page_a, app_url, "proxypicture")
    page_a.get_by_role("button", name="New Customer").first.click()
    form = dialog(page_a)
    with page_a.expect_file_chooser() as chooser:
        form.get_by_role("button", name="Upload").click()
    chooser.value.set_files({"name": "portrait.jpg", "mimeType": "image/jpeg", "buffer": jpeg_bytes()})
    expect(form.get_by_role("img", name="Picture preview")).to_be_visible()
    form.get_by_label("First name").fill("Pia")
    form.get_by_label("Last name").fill("Proxypicture")
    form.get_by_label("Email").fill("pia.proxypicture@example.com")
    form.get_by_role("button", name="Save").click()
    expect(form).to_be_hidden()

    row = rows(page_b).filter(has_text="Pia Proxypicture")  # on worker 2, without reloading
    expect(row).to_have_count(1)
    expect(row.locator("img")).to_have_attribute("src", re.compile(r"/pictures/[\w-]+_64\.webp$"))
    picture = page_b.context.request.get(row.locator("img").get_attribute("src") or "")
    assert picture.ok
    assert picture.headers["content-type"] == "image/webp"


def test_an_import_and_its_undo_by_the_job_worker_reach_the_other_workers_page(
    page_a: Page, page_b: Page, app_url: str, tmp_path
):
    open_list(page_b, app_url, "proxyimport")
    expect(page_b.get_by_text("No customers match")).to_be_visible()

    page_a.goto(f"{app_url}/customers/import")
    expect(page_a.get_by_role("button", name="Download sample (.xlsx)")).to_be_visible()
    data = tmp_path / "proxy-import.csv"
    data.write_text(
        "First name,Last name,Email\nIda,Proxyimport,ida@proxyimport.example\nIvo,Proxyimport,ivo@proxyimport.example\n"
    )
    page_a.locator("input[type=file]").set_input_files(data)  # the import page's file drop, through nginx
    page_a.get_by_role("button", name="Preview").click()
    expect(page_a.get_by_label("Preview totals")).to_contain_text("New: 2")
    page_a.get_by_role("button", name="Import 2 customers").click()
    expect(page_a.get_by_test_id("import-outcome")).to_contain_text("2 created")

    expect(rows(page_b).filter(has_text="Proxyimport")).to_have_count(2)  # written by a job, seen on worker 2

    page_a.goto(f"{app_url}/admin/imports")
    history = page_a.get_by_role("row").filter(has_text="proxy-import.csv")
    history.get_by_role("button", name="Undo").click()
    page_a.get_by_role("alertdialog").get_by_role("button", name="Undo import").click()
    expect(history).to_contain_text("Undone")
    expect(page_b.get_by_text("No customers match")).to_be_visible()


def test_an_export_downloads_through_the_authorised_route(page_a: Page, app_url: str, tmp_path):
    open_list(page_a, app_url, "")
    page_a.get_by_role("button", name="Export").click()
    export = page_a.get_by_role("dialog")
    export.get_by_label("Format").select_option("csv")
    with page_a.expect_download() as download:
        export.get_by_role("button", name="Export").click()
    assert download.value.url.startswith(f"{app_url}/api/download/")
    download.value.save_as(tmp_path / "export.csv")
    assert (tmp_path / "export.csv").read_text(encoding="utf-8-sig").startswith("Workspace customer ID")
    elsewhere = http.client.HTTPConnection("127.0.0.1", PROXY_PORT, timeout=10)
    elsewhere.request("GET", download.value.url.removeprefix(app_url))
    assert elsewhere.getresponse().status == 403  # the same link without the maker's sign-in


def test_a_write_announced_by_another_process_reaches_pages_on_both_workers(page_a: Page, page_b: Page, app_url: str):
    open_list(page_a, app_url, "proxyservice")
    open_list(page_b, app_url, "proxyservice")
    expect(page_b.get_by_text("No customers match")).to_be_visible()
    actor = Actor(id=0, email="script@proxy.example", name="A script", role=Role.ADMIN)
    with session_scope() as session:  # as a job or a script writes: no browser, no event
        create_customer(
            CustomerInput(first_name="Sam", last_name="Proxyservice", email="sam@proxyservice.example"),
            actor=actor,
            session=session,
        )
    with ThreadPoolExecutor(1) as thread:  # this thread's event loop is Playwright's
        thread.submit(asyncio.run, _announce()).result()
    for page in (page_a, page_b):
        expect(rows(page).filter(has_text="Sam Proxyservice")).to_have_count(1)


async def _announce() -> None:
    """Announce the write as the app's job worker does, from a process of its own (this test's)."""
    process = LiveHub(settings.redis_url)
    await process.announce("script")
    await process._client().aclose()


def test_the_proxy_refuses_bodies_over_the_apps_limits_before_reading_them(app_url: str):
    for path, size in (("/_upload", limit() + 2**20), ("/api/download/anything", 2 * 2**20)):
        connection = http.client.HTTPConnection("127.0.0.1", PROXY_PORT, timeout=10)
        connection.putrequest("POST", path)
        connection.putheader("Content-Length", str(size))
        connection.endheaders()  # no body follows: nginx answers from the length alone
        answer = connection.getresponse()
        assert answer.status == 413, path
        assert b"nginx" in answer.read()  # the proxy's refusal: the worker never saw it
        connection.close()
    shipped = re.search(r"location /_upload \{[^}]*client_max_body_size (\d+)m;", stack.SHIPPED.read_text())
    assert shipped
    assert limit() <= int(shipped[1]) * 2**20, "the proxy would refuse uploads the app accepts"
