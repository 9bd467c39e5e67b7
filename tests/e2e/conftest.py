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
os.environ["IMPORT_WORKERS"] = "2"  # big imports check rows in worker processes, whatever the machine's cores
os.environ.pop("DATABASE_URL", None)
os.environ.pop("REFLEX_REDIS_URL", None)

from tests.e2e.mailbox import Mailbox  # noqa: E402

# A real SMTP server on this machine receives everything the app sends (password resets, invitations).
MAILBOX = Mailbox.start()
os.environ["SMTP_URL"] = f"smtp://127.0.0.1:{MAILBOX.port}"

from playwright.sync_api import Browser, expect  # noqa: E402
from reflex.testing import AppHarness  # noqa: E402

from customer_app.core.db import make_engine  # noqa: E402
from customer_app.core.migrations import migrate  # noqa: E402
from tests.e2e.browsing import chromium, open_customers, signed_in_context  # noqa: E402

__all__ = ["MAILBOX", "open_customers", "signed_in_context"]  # what the tests here import from this file
expect.set_options(timeout=10_000)


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
    yield from chromium()


@pytest.fixture
def page(browser: Browser, app_url: str):
    """A customers page in its own browser context."""
    page = open_customers(browser, app_url)
    yield page
    page.context.close()
