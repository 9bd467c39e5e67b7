"""The audit log and the outbox as an admin reads them: filtered, paged, and closed to everyone else."""

import re

from playwright.sync_api import Browser, expect

from customer_app.core.db import session_scope
from customer_app.core.permissions import Actor, Role
from customer_app.records.notes import add_note
from tests.e2e.conftest import signed_in_context
from tests.e2e.test_customer_detail import make_customer

SETUP = Actor(id=0, email="audit.setup@example.com", name="Setup", role=Role.ADMIN)


def test_the_audit_log_filters_by_action_and_pages_through_events(browser: Browser, app_url: str):
    customer_id = make_customer("Audit", "Trail")
    with session_scope() as session:
        for n in range(30):
            add_note(customer_id, f"Audit note {n:02}", actor=SETUP, session=session)
    page = signed_in_context(browser, "admin").new_page()
    page.goto(f"{app_url}/admin/audit")
    page.get_by_label("Action").select_option(label="Added a note")
    page.get_by_label("Who").fill("audit.setup@")
    rows = page.get_by_test_id("audit-row")
    expect(rows.filter(has_text="Added a note")).to_have_count(25)
    expect(page.get_by_text("1–25 of 30")).to_be_visible()
    page.get_by_role("button", name="Next page").click()
    expect(page.get_by_text("26–30 of 30")).to_be_visible()
    expect(rows).to_have_count(5)
    expect(rows.first).to_contain_text("Added a note to Audit Trail")
    page.get_by_role("button", name="Clear filters").click()
    expect(page.get_by_label("Action")).to_have_value("")
    page.context.close()


def test_the_outbox_lists_an_invitation_and_staff_cannot_open_it(browser: Browser, app_url: str):
    admin = signed_in_context(browser, "admin").new_page()
    admin.goto(f"{app_url}/admin/staff")
    admin.get_by_label("Name").fill("Outbox Reader")
    admin.get_by_label("Email").fill("outbox.reader@e2e.example")
    admin.get_by_role("button", name=re.compile("Invite")).click()
    expect(admin.get_by_role("row").filter(has_text="outbox.reader@e2e.example")).to_be_visible()  # not the toast
    admin.goto(f"{app_url}/admin/outbox")
    expect(admin.get_by_text("outbox.reader@e2e.example").first).to_be_visible()
    expect(admin.get_by_text(re.compile(r"^1–\d+ of \d+$"))).to_be_visible()
    staff = signed_in_context(browser, "staff").new_page()
    staff.goto(f"{app_url}/admin/outbox")
    expect(staff.get_by_test_id("access-denied")).to_be_visible()
    admin.context.close()
    staff.context.close()
