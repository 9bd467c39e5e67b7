"""Start the real app once (AppHarness) on a temporary SQLite database and drive it in Chromium."""

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
_TMP = Path(tempfile.mkdtemp(prefix="customer-e2e-"))
# Before anything imports the app's settings: a private database and upload folder for this run.
os.environ["REFLEX_DB_URL"] = f"sqlite:///{_TMP / 'e2e.db'}"
os.environ["REFLEX_UPLOADED_FILES_DIR"] = str(_TMP / "uploads")
os.environ.pop("DATABASE_URL", None)

from playwright.sync_api import Browser, Page, expect, sync_playwright  # noqa: E402
from reflex.testing import AppHarness  # noqa: E402

expect.set_options(timeout=10_000)
CHROMIUM_ARGS = ["--no-sandbox", "--headless=new", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]


@pytest.fixture(scope="session")
def app_url() -> str:
    """The app, migrated and running for the whole test session."""
    migrate = [sys.executable, "-m", "alembic", "-c", "alembic/alembic.ini", "upgrade", "head"]
    subprocess.run(migrate, cwd=ROOT, check=True, env={**os.environ, "PYTHONPATH": str(ROOT)}, capture_output=True)
    with AppHarness.create(root=ROOT) as harness:
        assert harness.frontend_url
        yield harness.frontend_url.rstrip("/")
    shutil.rmtree(_TMP, ignore_errors=True)


@pytest.fixture(scope="session")
def browser() -> Browser:
    """One headless Chromium from the system's packages."""
    executable = shutil.which("chromium") or shutil.which("chromium-browser")
    if not executable:
        pytest.fail("Chromium is not installed: run `make browser` (apt-get install chromium).")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def open_customers(browser: Browser, app_url: str) -> Page:
    """A fresh browser context on the customers page, hydrated and ready."""
    context = browser.new_context(viewport={"width": 1366, "height": 900})
    context.set_default_timeout(15_000)
    page = context.new_page()
    page.goto(f"{app_url}/customers")
    page.get_by_role("tab", name="Individuals").wait_for()
    page.get_by_role("button", name="New Customer").first.wait_for()
    return page


@pytest.fixture
def page(browser: Browser, app_url: str):
    """A customers page in its own browser context."""
    page = open_customers(browser, app_url)
    yield page
    page.context.close()
