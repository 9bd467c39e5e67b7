"""Chromium from the system's packages and signed-in pages of the running app, for every browser test directory.

Import this only after the test run's environment (database, uploads, Redis) is set: it imports the app's settings.
"""

import shutil
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect, sync_playwright
from sqlmodel import select

from customer_app.access import auth
from customer_app.access.models import StaffUser
from customer_app.core.db import session_scope
from customer_app.core.normalize import email_key
from customer_app.core.passwords import hash_password

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--headless=new",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def chromium() -> Iterator[Browser]:
    """One headless Chromium from the system's packages, closed when the generator ends."""
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
