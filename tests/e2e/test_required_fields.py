"""Required fields wear a star and say so to screen readers, custom fields an admin made required included."""

from playwright.sync_api import Browser, Locator, expect

from customer_app.core.db import session_scope
from customer_app.core.permissions import Actor, Role
from customer_app.customers.custom_fields import FieldDefinition, add_field, remove_field
from tests.e2e.conftest import open_customers

SETUP = Actor(id=0, email="setup@example.com", name="Setup", role=Role.ADMIN)


def starred(label: Locator) -> bool:
    """Whether a label shows the red star after its text (drawn by CSS, so its text stays the field's name)."""
    return "*" in label.evaluate("element => getComputedStyle(element, '::after').content")


def test_the_new_customer_pop_up_stars_and_announces_what_it_needs(browser: Browser, app_url: str):
    with session_scope() as session:
        definition = FieldDefinition("Account manager", "text", "institution", "", required=True)
        field_id = add_field(definition, actor=SETUP, session=session).id
    try:
        page = open_customers(browser, app_url, "staff")
        page.get_by_role("button", name="New Customer").first.click()
        form = page.get_by_role("dialog", name="New customer")
        expect(form).to_contain_text("a first or a last name is enough")
        assert starred(form.locator("label[for=field-first_name]"))
        assert starred(form.locator("label[for=field-last_name]"))
        expect(form.get_by_label("First name")).to_have_accessible_description(
            "Fields marked * are required: a first or a last name is enough."
        )
        assert not starred(form.locator("label[for=field-email]"))  # optional
        expect(form.get_by_label("Email")).not_to_have_attribute("aria-required", "true")

        form.get_by_role("tab", name="Institution").click()
        name = form.get_by_label("Name", exact=True)
        expect(name).to_have_attribute("aria-required", "true")
        assert starred(form.locator("label[for=field-name]"))
        manager = form.get_by_label("Account manager")
        expect(manager).to_have_attribute("aria-required", "true")
        assert starred(form.locator("label").filter(has_text="Account manager"))
        page.context.close()
    finally:  # a required field would stop every later test that creates an institution
        with session_scope() as session:
            remove_field(field_id, actor=SETUP, session=session)


def test_sign_in_fields_are_marked_required(browser: Browser, app_url: str):
    context = browser.new_context()
    page = context.new_page()
    page.goto(f"{app_url}/login")
    expect(page.locator(".auth-card")).to_have_attribute("data-hydrated", "true")
    for label in ("Email", "Password"):
        expect(page.get_by_label(label)).to_have_attribute("aria-required", "true")
        assert starred(page.locator(f"label[for=field-{label.lower()}]"))
    page.goto(f"{app_url}/clients/login")
    expect(page.locator(".auth-card")).to_have_attribute("data-hydrated", "true")
    expect(page.get_by_label("Password")).to_have_attribute("aria-required", "true")
    context.close()
