"""The customer portal as staff and customers use it, each in their own browser: access given from the pop-up, the
invitation in the customer's language at a real SMTP server, registration, a ticket seen live by staff, a section
switched off and access taken back while the customer's page is open, an existing account's notice, an expired link."""

import re
from datetime import timedelta

from playwright.sync_api import Browser, Page, expect
from sqlalchemy import update
from sqlmodel import col, select

from customer_app.commerce import customer_sales, taxes
from customer_app.commerce import documents as commerce_documents
from customer_app.core.columns import utcnow
from customer_app.core.db import session_scope
from customer_app.core.i18n import translate
from customer_app.core.models import OneTimeToken
from customer_app.core.passwords import hash_password
from customer_app.core.permissions import Actor, Role
from customer_app.customers.customers import create_customer
from customer_app.customers.validation import validate_customer
from customer_app.portal import grants, sections
from customer_app.portal.models import PortalAccount, PortalGrant
from customer_app.records.models import ContactPerson, Ticket
from customer_app.settings import settings
from tests.e2e.conftest import MAILBOX, open_customers, signed_in_context
from tests.e2e.helpers import dialog, rows, search

PASSWORD = "velvet harbour compass 7313"


def de(msgid: str, **params: str) -> str:
    """What the portal says in German (the catalog's text, so the test follows the translation)."""
    return translate("portal", "de", msgid, **params)


def invitation_subject(lang: str) -> str:
    return translate(
        "email", lang, "You are invited to the client portal of {workspace}", workspace=settings.workspace_name
    )


def new_customer_with_access(page: Page, first: str, email: str, language: str) -> None:
    page.get_by_role("button", name="New Customer").first.click()
    form = dialog(page)
    form.get_by_label("First name").fill(first)
    form.get_by_label("Last name").fill("Portal")
    form.get_by_label("Email").fill(email)
    form.get_by_label("Language").select_option(language)
    form.get_by_label("Client portal access").check()
    form.get_by_role("button", name="Save").click()
    expect(form).to_be_hidden()


def portal_page(browser: Browser) -> Page:
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="de-DE")  # a phone
    context.set_default_timeout(15_000)
    return context.new_page()


def register(portal: Page, app_url: str, link: str, name: str) -> None:
    portal.goto(app_url + link)
    portal.get_by_label(de("Your name")).fill(name)
    portal.get_by_label(de("Password"), exact=True).fill(PASSWORD)
    portal.get_by_label(de("Confirm password")).fill(PASSWORD)
    portal.get_by_role("button", name=de("Save")).click()
    expect(portal.get_by_role("heading", name=de("Welcome, {name}", name=name))).to_be_visible()
    expect(portal.get_by_role("button", name="Abmelden")).to_be_visible()  # in the customer's language
    assert "/clients/register/" not in portal.url  # the token left the address bar


def test_invited_customer_registers_opens_a_ticket_and_staff_follow_live(browser: Browser, app_url: str):
    staff = open_customers(browser, app_url, "staff")
    new_customer_with_access(staff, "Greta", "greta@portal.example", "de")
    message = MAILBOX.wait_for("greta@portal.example", invitation_subject("de"))
    portal = portal_page(browser)
    register(portal, app_url, MAILBOX.link(message, "/clients/register/"), "Greta Portal")

    search(staff, "greta")
    rows(staff).get_by_role("link", name="Greta Portal").click()
    staff.get_by_role("tab", name="Portal").click()
    expect(staff.get_by_text("Registered")).to_be_visible()
    staff.get_by_role("tab", name="Tickets").click()
    expect(staff.get_by_text("No tickets here.")).to_be_visible()

    portal.get_by_role("link", name=de("Tickets")).first.click()
    portal.get_by_label(de("Subject")).fill("Drucker druckt nicht")
    portal.get_by_label(de("Description")).fill("Seit Montag.")
    portal.get_by_role("button", name=de("Send"), exact=True).click()
    expect(portal.get_by_role("heading", name="Drucker druckt nicht")).to_be_visible()
    ticket = staff.get_by_test_id("ticket")
    expect(ticket).to_contain_text("Drucker druckt nicht")  # live: the staff page was not reloaded
    expect(ticket).to_contain_text("From the portal")

    ticket.get_by_role("textbox", name="Reply").fill("Wir schicken einen Techniker.")
    ticket.get_by_role("button", name="Reply to Drucker druckt nicht").click()
    expect(portal.get_by_text("Wir schicken einen Techniker.")).to_be_visible()  # and back, live
    ticket.get_by_role("button", name="Edit Drucker druckt nicht").click()
    staff.get_by_role("dialog").get_by_label("Status").select_option("in_progress")
    staff.get_by_role("dialog").get_by_role("button", name="Save").click()
    expect(
        portal.locator(".portal-message").get_by_text(de("In progress"))
    ).to_be_visible()  # the change, in the thread

    staff.get_by_role("tab", name="Portal").click()
    staff.get_by_role("switch", name="Tickets").click()
    expect(portal.get_by_role("link", name=de("Tickets"))).to_have_count(0)  # the section went at once
    portal.get_by_label(de("Subject")).fill("Noch eine Frage")
    portal.get_by_role("button", name=de("Send"), exact=True).click()
    expect(portal.get_by_text(de("This part of the portal is not available to you."))).to_be_visible()

    staff.get_by_role("button", name="Revoke access").click()
    staff.get_by_role("alertdialog").get_by_role("button", name="Revoke access").click()
    expect(staff.get_by_text("Revoked")).to_be_visible()
    expect(portal.get_by_role("button", name=de("Sign in"))).to_be_visible()  # the open page ended
    portal.context.close()
    staff.context.close()


def test_an_expired_invitation_offers_a_new_link(browser: Browser, app_url: str):
    staff = open_customers(browser, app_url, "staff")
    new_customer_with_access(staff, "Ernst", "ernst@portal.example", "de")
    old = MAILBOX.link(MAILBOX.wait_for("ernst@portal.example", invitation_subject("de")), "/clients/register/")
    with session_scope() as session:  # a week went by
        session.execute(
            update(OneTimeToken)
            .where(col(OneTimeToken.purpose) == "portal_invite", col(OneTimeToken.used_at).is_(None))
            .values(expires_at=utcnow() - timedelta(minutes=1))
        )
    portal = portal_page(browser)
    portal.goto(app_url + old)
    expect(portal.get_by_text(de("This link has expired."))).to_be_visible()
    before = len(MAILBOX.messages)
    portal.get_by_role("button", name=de("Send me a new link")).click()
    expect(
        portal.get_by_text(de("If this link was yours, a new one is on its way to the same address."))
    ).to_be_visible()
    with MAILBOX.arrived:  # the new message, not the old one with the same subject
        assert MAILBOX.arrived.wait_for(lambda: len(MAILBOX.messages) > before, timeout=15)
    fresh = MAILBOX.link(MAILBOX.wait_for("ernst@portal.example", invitation_subject("de")), "/clients/register/")
    assert fresh != old
    register(portal, app_url, fresh, "Ernst Portal")
    portal.context.close()
    staff.context.close()


def test_an_existing_account_is_told_and_switches_between_its_customers(browser: Browser, app_url: str):
    with session_scope() as session:  # Hanna already uses the portal for herself
        actor = Actor(id=0, email="setup@example.com", name="Setup", role=Role.ADMIN)
        hanna = create_customer(
            validate_customer(
                {"first_name": "Hanna", "email": "hanna@portal.example", "language": "de"}, phone_region="US"
            ),
            actor=actor,
            session=session,
        )
        firm = create_customer(
            validate_customer(
                {"kind": "institution", "name": "Hanna Holz GmbH", "email": "info@holz.example"}, phone_region="US"
            ),
            actor=actor,
            session=session,
        )
        session.add(ContactPerson(customer_id=firm.id, name="Hanna", email="hanna@portal.example"))
        grants.give_access(hanna.id, actor=actor, session=session)
        firm_id = firm.id
    link = MAILBOX.link(MAILBOX.wait_for("hanna@portal.example", invitation_subject("de")), "/clients/register/")
    portal = portal_page(browser)
    register(portal, app_url, link, "Hanna")

    staff = signed_in_context(browser, "staff").new_page()
    staff.goto(f"{app_url}/customers/{firm_id}?tab=portal")
    staff.get_by_role("button", name="Give access").click()
    subject = translate(
        "email", "de", "You now have access to {customer} in the client portal", customer="Hanna Holz GmbH"
    )
    notice = MAILBOX.wait_for("hanna@portal.example", subject)
    assert "/clients/register/" not in str(notice.get_payload(decode=True))  # no new password to choose
    expect(staff.get_by_text("Registered")).to_be_visible()

    portal.reload()
    portal.get_by_label(de("Customer")).select_option(label="Hanna Holz GmbH")
    expect(portal.get_by_label(de("Customer"))).to_have_value(str(firm_id))
    portal.context.close()
    staff.context.close()


def test_staff_preview_the_portal_as_a_customer_sees_it_and_change_nothing(browser: Browser, app_url: str):
    with session_scope() as session:
        actor = Actor(id=0, email="setup@example.com", name="Setup", role=Role.ADMIN)
        raw = {"first_name": "Vera", "last_name": "Vorschau", "email": "vera@portal.example"}
        vera = create_customer(validate_customer(raw, phone_region="US"), actor=actor, session=session)
        session.add(Ticket(customer_id=vera.id, subject="Lieferung verspätet", created_by_name="Vera"))
        vera_id = vera.id
    staff = signed_in_context(browser, "read_only").new_page()
    staff.goto(f"{app_url}/customers/{vera_id}?tab=portal")
    staff.get_by_role("button", name="Preview portal").click()
    expect(staff.get_by_role("status").filter(has_text="Preview")).to_contain_text("Vera Vorschau")
    expect(staff.get_by_test_id("open-tickets")).to_have_text("1")
    staff.get_by_role("link", name="Tickets").first.click()
    expect(staff.get_by_role("heading", name="Lieferung verspätet")).to_be_visible()
    staff.get_by_label("Subject").fill("Sent by staff?")
    staff.get_by_role("button", name="Send", exact=True).click()
    expect(staff.get_by_text("nothing is changed for the customer")).to_be_visible()
    staff.get_by_role("button", name="Leave preview").click()
    expect(staff.get_by_role("heading", name="Vera Vorschau")).to_be_visible()
    with session_scope() as session:
        assert session.exec(select(Ticket).where(col(Ticket.subject) == "Sent by staff?")).first() is None
    staff.context.close()


def test_a_signed_out_customer_follows_a_link_to_the_invoices_signs_in_lands_there_and_downloads_the_pdf(
    browser: Browser, app_url: str
):
    with session_scope() as session:
        actor = Actor(id=0, email="setup@example.com", name="Setup", role=Role.ADMIN)
        raw = {"first_name": "Ida", "last_name": "Rechnung", "email": "ida@portal.example", "language": "de"}
        ida = create_customer(validate_customer(raw, phone_region="US"), actor=actor, session=session)
        exempt = next(c for c in taxes.classes("customer", session=session) if c.code == "exempt")
        customer_sales.save_sales_settings(
            ida.id,
            currency="EUR",
            tax_class_id=exempt.id,
            payment_terms_days="14",
            exemption_reference="",
            actor=actor,
            session=session,
        )
        draft = commerce_documents.new_draft(ida.id, "invoice", actor=actor, session=session)
        commerce_documents.add_line(draft.id, "Beratung", "2", "60", actor=actor, session=session)
        number = str(commerce_documents.issue(draft.id, actor=actor, session=session).number)
        account = PortalAccount(
            email="ida@portal.example",
            email_key="ida@portal.example",
            name="Ida",
            language="de",
            password_hash=hash_password(PASSWORD),
        )
        session.add(account)
        session.flush()
        session.add(PortalGrant(customer_id=ida.id, account_id=account.id))
        sections.set_sections(ida.id, ["invoices"], actor=actor, session=session)
    portal = portal_page(browser)
    portal.goto(f"{app_url}/clients/invoices")  # the link in an e-mail, nobody signed in
    expect(portal).to_have_url(re.compile(r"/clients/login\?next=/clients/invoices$"))
    portal.get_by_label(de("E-mail")).fill("ida@portal.example")
    portal.get_by_label(de("Password")).fill(PASSWORD)
    portal.get_by_role("button", name=de("Sign in")).click()
    expect(portal).to_have_url(re.compile(r"/clients/invoices$"))  # back where the link pointed, not the dashboard
    invoice = portal.get_by_test_id("portal-document")
    expect(invoice).to_contain_text(number)
    expect(invoice).to_contain_text("120,00")  # in German, as the customer reads it
    with portal.expect_download() as download:
        invoice.get_by_role("button", name="PDF").click()
    assert download.value.suggested_filename == f"invoice-{number}.pdf"
    assert download.value.path().read_bytes()[:5] == b"%PDF-"
    portal.context.close()
