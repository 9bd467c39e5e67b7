"""Start the real app once (AppHarness) on a temporary SQLite database and drive it in Chromium."""

import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
_TMP = Path(tempfile.mkdtemp(prefix="customer-e2e-"))
# Before anything imports the app's settings: a private database and upload folder for this run.
os.environ["REFLEX_DB_URL"] = f"sqlite:///{_TMP / 'e2e.db'}"
os.environ["REFLEX_UPLOADED_FILES_DIR"] = str(_TMP / "uploads")
os.environ["IMPORT_DIR"] = str(_TMP / "imports")
os.environ["EXPORT_DIR"] = str(_TMP / "exports")
os.environ.pop("DATABASE_URL", None)
os.environ.pop("REFLEX_REDIS_URL", None)

from tests.e2e.mailbox import Mailbox  # noqa: E402

# A real SMTP server on this machine receives everything the app sends (password resets, invitations).
MAILBOX = Mailbox.start()
os.environ["SMTP_URL"] = f"smtp://127.0.0.1:{MAILBOX.port}"

from playwright.sync_api import Browser, Page, expect, sync_playwright  # noqa: E402
from reflex.testing import AppHarness  # noqa: E402
from sqlmodel import select  # noqa: E402

from customer_app.access import auth  # noqa: E402
from customer_app.access.models import StaffUser  # noqa: E402
from customer_app.core.db import make_engine, session_scope  # noqa: E402
from customer_app.core.migrations import migrate  # noqa: E402
from customer_app.core.normalize import email_key  # noqa: E402
from customer_app.core.passwords import hash_password  # noqa: E402

expect.set_options(timeout=10_000)
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--headless=new",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(scope="session")
def harness() -> Iterator[AppHarness]:
    """The app, migrated and running for the whole test session (its backend runs in a thread of this process)."""
    migrate(make_engine(os.environ["REFLEX_DB_URL"]))
    with AppHarness.create(root=ROOT) as harness:
        yield harness
    shutil.rmtree(_TMP, ignore_errors=True)


@pytest.fixture(scope="session")
def app_url(harness: AppHarness) -> str:
    """Where a browser opens the app."""
    assert harness.frontend_url
    return harness.frontend_url.rstrip("/")


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """One headless Chromium from the system's packages."""
    executable = shutil.which("chromium") or shutil.which("chromium-browser")
    if not executable:
        pytest.fail("Chromium is not installed: run `make browser` (apt-get install chromium).")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def session_token(role: str) -> str:
    """A fresh sign-in session for a staff member of the given role (created on first use)."""
    email = f"{role.replace('_', '-')}@e2e.example"
    with session_scope() as session:
        user = session.exec(select(StaffUser).where(StaffUser.email_key == email_key(email))).first()
        if user is None:
            user = StaffUser(
                email=email,
                email_key=email_key(email),
                name=f"E2E {role.title()}",
                role=role,
                password_hash=hash_password("not used by these tests"),
            )
            session.add(user)
            session.flush()
        return auth.start_session(user, remember=False, session=session)


def signed_in_context(browser: Browser, role: str = "admin", **options):
    """A browser context whose storage holds a valid session of the given role (`options` as Playwright takes)."""
    context = browser.new_context(viewport={"width": 1366, "height": 900}, **options)
    context.set_default_timeout(15_000)
    context.add_init_script(f"localStorage.setItem('customer_workspace_session', {session_token(role)!r})")
    return context


def open_customers(browser: Browser, app_url: str, role: str = "admin") -> Page:
    """A fresh browser context, signed in, on the customers page, hydrated and ready."""
    page = signed_in_context(browser, role).new_page()
    page.goto(f"{app_url}/customers")
    page.get_by_role("tab", name="Individuals").wait_for()
    expect(page.locator(".results")).to_have_attribute("data-loaded", "true")
    return page


@pytest.fixture
def page(browser: Browser, app_url: str):
    """A customers page in its own browser context."""
    page = open_customers(browser, app_url)
    yield page
    page.context.close()
