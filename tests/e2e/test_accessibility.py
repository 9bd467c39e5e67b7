"""axe-core over the main pages, in light and in dark mode: no violation a reader would call serious or critical."""

import itertools
import os
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.e2e.conftest import signed_in_context
from tests.e2e.test_customer_detail import make_customer

ROOT = Path(__file__).resolve().parents[2]
BLOCKING = ("serious", "critical")
NUMBERS = itertools.count()


def axe_script() -> str:
    """axe-core's browser build, as `make install-dev` installs it (AXE_SCRIPT names another copy)."""
    pinned = re.search(r"^AXE_VERSION := (\S+)", (ROOT / "Makefile").read_text(), re.MULTILINE)
    assert pinned, "the Makefile pins AXE_VERSION"
    default = ROOT / f".tools/axe-{pinned.group(1)}/node_modules/axe-core/axe.min.js"
    path = Path(os.environ.get("AXE_SCRIPT") or default)
    if not path.is_file():
        pytest.fail(f"axe-core is not installed at {path}: run `make install-dev`.")
    return path.read_text()


def blocking_violations(page: Page) -> list[str]:
    """Each serious or critical violation on the page as one readable line, with where it is."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.add_script_tag(content=axe_script())
    found = page.evaluate("async () => (await axe.run(document, {resultTypes: ['violations']})).violations")
    return [
        f"{v['impact']} {v['id']}: {v['help']} at {node['target']}: {node['failureSummary']}"
        for v in found
        if v["impact"] in BLOCKING
        for node in v["nodes"][:5]
    ]


def settled(page: Page, heading: str) -> None:
    """Wait for the page's heading and for its data (the Loading spinner gone)."""
    expect(page.get_by_role("heading", name=heading).first).to_be_visible()
    expect(page.get_by_label("Loading")).to_have_count(0)


def sign_in(page: Page, app_url: str) -> None:
    page.goto(f"{app_url}/login")
    expect(page.locator(".auth-card")).to_have_attribute("data-hydrated", "true")


def customers(page: Page, app_url: str) -> None:
    page.goto(f"{app_url}/customers")
    expect(page.locator(".results")).to_have_attribute("data-loaded", "true")


def new_customer(page: Page, app_url: str) -> None:
    customers(page, app_url)
    page.get_by_role("button", name="New Customer").first.click()
    expect(page.get_by_role("dialog", name="New customer").get_by_label("First name")).to_be_focused()


def customer(page: Page, app_url: str) -> None:
    last = f"Checked{next(NUMBERS)}"  # a customer of its own for each run (their e-mail addresses must differ)
    customer_id = make_customer("Axe", last)
    page.goto(f"{app_url}/customers/{customer_id}")
    settled(page, f"Axe {last}")


def import_page(page: Page, app_url: str) -> None:
    page.goto(f"{app_url}/customers/import")
    settled(page, "Import customers")


def settings(page: Page, app_url: str) -> None:
    page.goto(f"{app_url}/admin/settings")
    settled(page, "Customer settings")


def portal_sign_in(page: Page, app_url: str) -> None:
    page.goto(f"{app_url}/clients/login")
    expect(page.locator(".auth-card")).to_have_attribute("data-hydrated", "true")


def portal_preview(page: Page, app_url: str) -> None:
    """The portal's dashboard as a customer sees it, through staff's preview."""
    last = f"Portal{next(NUMBERS)}"
    customer_id = make_customer("Axe", last)
    page.goto(f"{app_url}/customers/{customer_id}?tab=portal")
    page.get_by_role("button", name="Preview portal").click()
    expect(page.get_by_role("status").filter(has_text="Preview")).to_contain_text(f"Axe {last}")
    expect(page.locator(".portal-main")).to_have_attribute("data-hydrated", "true")
    page.get_by_role("link", name="Dashboard").hover()  # a hovered link must stay readable too


PAGES: dict[str, Callable[[Page, str], None]] = {
    "sign-in": sign_in,
    "customers": customers,
    "new-customer": new_customer,
    "customer": customer,
    "import": import_page,
    "settings": settings,
    "portal-sign-in": portal_sign_in,
    "portal": portal_preview,
}


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("name", list(PAGES))
def test_main_pages_have_no_serious_accessibility_violations(browser: Browser, app_url: str, name: str, scheme: str):
    signed_out = name in ("sign-in", "portal-sign-in")
    if signed_out:
        context = browser.new_context(viewport={"width": 1366, "height": 900}, color_scheme=scheme)
    else:
        context = signed_in_context(browser, "admin", color_scheme=scheme)
    page = context.new_page()
    PAGES[name](page, app_url)
    expect(page.locator("html")).to_have_class(scheme)
    violations = blocking_violations(page)
    assert not violations, "\n".join(violations)
    context.close()
