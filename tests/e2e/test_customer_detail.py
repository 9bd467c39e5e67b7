"""The customer page as staff use it: open it from the list, share a tab's link, write and delete notes."""

import re

from playwright.sync_api import Browser, expect
from sqlmodel import select

from customer_app.core.db import session_scope
from customer_app.core.permissions import Actor, Role
from customer_app.customers.customers import create_customer
from customer_app.customers.validation import validate_customer
from customer_app.records.models import Activity
from tests.e2e.conftest import signed_in_context
from tests.e2e.helpers import rows, search

SCRIPT = "<script>window.__noteRan = true</script><b>not bold</b>"


def make_customer(first: str, last: str) -> int:
    raw = {"first_name": first, "last_name": last, "email": f"{first}.{last}@detail.example".lower()}
    with session_scope() as session:
        actor = Actor(id=0, email="setup@example.com", name="Setup", role=Role.ADMIN)
        return create_customer(validate_customer(raw, phone_region="US"), actor=actor, session=session).id


def test_open_from_the_list_write_a_note_with_markup_and_delete_it(browser: Browser, app_url: str):
    make_customer("Detail", "Notetaker")
    page = signed_in_context(browser, "staff").new_page()
    page.goto(f"{app_url}/customers")
    search(page, "notetaker")
    rows(page).get_by_role("link", name="Detail Notetaker").click()
    expect(page.get_by_role("heading", name="Detail Notetaker")).to_be_visible()
    expect(page.locator(".customer-header")).to_contain_text("detail.notetaker@detail.example")
    history = page.get_by_role("tabpanel", name="Overview").get_by_role("listitem").first  # recent history
    expect(history).to_contain_text("Created")
    expect(history).to_contain_text("changed to Notetaker")

    page.get_by_role("tab", name="Notes").click()
    expect(page).to_have_url(re.compile(r"\?tab=notes$"))
    page.get_by_label("New note").fill(SCRIPT)
    page.get_by_role("button", name="Send", exact=True).click()
    note = page.get_by_test_id("note")
    expect(note).to_contain_text(SCRIPT)  # shown as typed, markup and all
    expect(page.get_by_label("New note")).to_have_value("")
    assert page.evaluate("window.__noteRan === undefined")
    assert note.locator("b").count() == 0

    note.get_by_role("button", name="Delete note").click()
    page.get_by_role("alertdialog").get_by_role("button", name="Confirm").click()
    expect(page.get_by_text("No notes yet.")).to_be_visible()
    page.context.close()


def test_a_shared_tab_link_opens_that_tab_and_notes_appear_for_other_viewers(browser: Browser, app_url: str):
    customer_id = make_customer("Shared", "Viewer")
    writer = signed_in_context(browser, "staff").new_page()
    reader = signed_in_context(browser, "read_only").new_page()
    for page in (writer, reader):
        page.goto(f"{app_url}/customers/{customer_id}?tab=notes")
        expect(page.get_by_role("tab", name="Notes")).to_have_attribute("aria-selected", "true")
    expect(reader.get_by_label("New note")).to_have_count(0)  # read-only staff read, never write
    writer.get_by_label("New note").fill("Called about the renewal.")
    writer.get_by_role("button", name="Send", exact=True).click()
    expect(reader.get_by_test_id("note")).to_contain_text("Called about the renewal.")
    writer.context.close()
    reader.context.close()


def test_an_unknown_customer_gets_a_clear_page(browser: Browser, app_url: str):
    page = signed_in_context(browser, "staff").new_page()
    page.goto(f"{app_url}/customers/987654321")
    expect(page.get_by_role("alert")).to_contain_text("does not exist or is in Trash")
    page.context.close()


def test_header_actions_step_through_the_list_duplicate_and_delete(browser: Browser, app_url: str):
    first, second = make_customer("Stepper", "Aaa"), make_customer("Stepper", "Bbb")
    page = signed_in_context(browser, "staff").new_page()
    page.goto(f"{app_url}/customers")
    search(page, "stepper")
    rows(page).get_by_role("link", name="Stepper Aaa").click()
    expect(page.get_by_role("heading", name="Stepper Aaa")).to_be_visible()
    page.get_by_role("link", name="Next customer (J)").click()
    expect(page.get_by_role("heading", name="Stepper Bbb")).to_be_visible()
    expect(page).to_have_url(re.compile(rf"/customers/{second}/?$"))
    page.keyboard.press("k")  # back to the previous one, from the keyboard
    expect(page.get_by_role("heading", name="Stepper Aaa")).to_be_visible()
    expect(page).to_have_url(re.compile(rf"/customers/{first}/?$"))

    page.get_by_role("button", name="Create Duplicate").click()
    form = page.get_by_role("dialog")
    expect(form.get_by_label("Last name")).to_have_value("Aaa")
    expect(form.get_by_label("Email")).to_have_value("")
    form.get_by_label("Last name").fill("Copy")
    form.get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", name="Stepper Copy")).to_be_visible()

    page.get_by_role("button", name="Delete").click()
    page.get_by_role("alertdialog").get_by_role("button", name="Delete").click()
    expect(page.get_by_text("Stepper Copy moved to Trash")).to_be_visible()
    search(page, "stepper")
    expect(rows(page)).to_have_count(2)
    page.context.close()


def test_tickets_open_move_through_statuses_and_filter(browser: Browser, app_url: str):
    customer_id = make_customer("Ticket", "Holder")
    page = signed_in_context(browser, "staff").new_page()
    page.goto(f"{app_url}/customers/{customer_id}?tab=tickets")
    expect(page.get_by_text("No tickets here.")).to_be_visible()

    page.get_by_role("button", name="New ticket").click()
    form = page.get_by_role("dialog")
    form.get_by_role("button", name="Save").click()
    expect(form.get_by_text("Give the ticket a subject.")).to_be_visible()  # nothing saved without a subject
    form.get_by_label("Subject").fill("Invoice is missing")
    form.get_by_label("Description").fill("The March invoice never arrived.")
    form.get_by_label("Priority").select_option("high")
    form.get_by_role("button", name="Save").click()
    ticket = page.get_by_test_id("ticket")
    expect(ticket).to_contain_text("Invoice is missing")
    expect(ticket).to_contain_text("High")

    ticket.get_by_role("button", name="Edit Invoice is missing").click()
    page.get_by_role("dialog").get_by_label("Status").select_option("in_progress")
    page.get_by_role("dialog").get_by_role("button", name="Save").click()
    history = ticket.get_by_label("Status history").get_by_role("listitem")
    expect(history).to_have_count(2)
    expect(history.nth(1)).to_contain_text("In progress")

    page.get_by_label("Show").select_option("solved")
    expect(page.get_by_text("No tickets here.")).to_be_visible()
    page.get_by_label("Show").select_option("in_progress")
    expect(page.get_by_test_id("ticket")).to_have_count(1)
    page.context.close()


def test_activities_are_planned_split_into_upcoming_and_past_and_deleted(browser: Browser, app_url: str):
    customer_id = make_customer("Activity", "Planner")
    page = signed_in_context(browser, "staff", timezone_id="Europe/Berlin").new_page()
    page.goto(f"{app_url}/customers/{customer_id}?tab=activities")
    upcoming, past = page.get_by_role("region", name="Upcoming"), page.get_by_role("region", name="Past")
    expect(upcoming).to_contain_text("Nothing planned.")

    for title, start, kind in (
        ("Quarterly review", "2099-03-01T10:00", "meeting"),
        ("Intro call", "2020-01-15T09:30", "call"),
    ):
        page.get_by_role("button", name="New activity").click()
        form = page.get_by_role("dialog")
        expect(form).to_contain_text("Times are in your time zone, Europe/Berlin.")
        form.get_by_label("Type").select_option(kind)
        form.get_by_label("Title").fill(title)
        form.get_by_label("Starts").fill(start)
        form.get_by_label("Duration (minutes)").fill("45")
        form.get_by_label("Location").fill("Room 4")
        form.get_by_role("button", name="Save").click()
        expect(form).to_be_hidden()
    expect(upcoming.get_by_test_id("activity")).to_contain_text("Quarterly review")
    expect(upcoming).to_contain_text("2099-03-01 10:00 CET")  # as typed, in the browser's time zone
    with session_scope() as session:
        kept = session.exec(select(Activity.starts_at).where(Activity.title == "Quarterly review")).one()
    assert kept.isoformat() == "2099-03-01T09:00:00+00:00"
    expect(past.get_by_test_id("activity")).to_contain_text("Intro call")

    past.get_by_role("button", name="Edit Intro call").click()
    page.get_by_role("dialog").get_by_label("Status").select_option("done")
    page.get_by_role("dialog").get_by_role("button", name="Save").click()
    expect(past.get_by_test_id("activity")).to_contain_text("Done")

    upcoming.get_by_role("button", name="Delete Quarterly review").click()
    page.get_by_role("alertdialog").get_by_role("button", name="Confirm").click()
    expect(upcoming).to_contain_text("Nothing planned.")
    page.context.close()


def test_notification_switches_are_kept(browser: Browser, app_url: str):
    customer_id = make_customer("Mail", "Chooser")
    page = signed_in_context(browser, "staff").new_page()
    page.goto(f"{app_url}/customers/{customer_id}?tab=notifications")
    newsletters = page.get_by_role("switch", name="Newsletters")
    invoices = page.get_by_role("switch", name="Invoices")
    expect(newsletters).to_have_attribute("aria-checked", "false")
    expect(invoices).to_have_attribute("aria-checked", "true")
    newsletters.click()
    invoices.click()
    expect(newsletters).to_have_attribute("aria-checked", "true")
    page.reload()
    expect(page.get_by_role("switch", name="Newsletters")).to_have_attribute("aria-checked", "true")
    expect(page.get_by_role("switch", name="Invoices")).to_have_attribute("aria-checked", "false")
    page.context.close()


def test_contact_info_shows_which_email_wins_and_why(browser: Browser, app_url: str):
    customer_id = make_customer("Contact", "Keeper")
    page = signed_in_context(browser, "staff").new_page()
    page.goto(f"{app_url}/customers/{customer_id}?tab=contact")
    winner = page.get_by_test_id("communication-email")
    expect(winner).to_contain_text("contact.keeper@detail.example")
    expect(winner).to_contain_text("the customer's main e-mail")

    page.get_by_label("E-mail or phone").fill("not-an-address")
    page.get_by_role("button", name="Add", exact=True).click()
    expect(page.get_by_text("Enter a valid e-mail address")).to_be_visible()
    page.get_by_label("E-mail or phone").fill("office@keeper.example")
    page.get_by_role("button", name="Add", exact=True).click()
    expect(winner).to_contain_text("office@keeper.example")
    expect(winner).to_contain_text("the first work address")

    page.get_by_test_id("contact").get_by_role("button", name="Opt out").click()
    expect(winner).to_contain_text("contact.keeper@detail.example")
    expect(page.get_by_test_id("contact")).to_contain_text("Opted out")
    page.context.close()


def test_addresses_are_checked_per_country_and_written_its_way(browser: Browser, app_url: str):
    customer_id = make_customer("Address", "Owner")
    page = signed_in_context(browser, "staff").new_page()
    page.goto(f"{app_url}/customers/{customer_id}?tab=addresses")
    page.get_by_role("button", name="New address").click()
    form = page.get_by_role("dialog")
    form.get_by_label("Country").select_option("DE")
    form.get_by_label("Street and number").fill("Unter den Linden 1")
    form.get_by_label("City").fill("Berlin")
    form.get_by_label("Postal code").fill("1")
    form.get_by_role("button", name="Save").click()
    expect(form.get_by_text("This is not valid for the country.")).to_be_visible()
    form.get_by_label("Postal code").fill("10115")
    form.get_by_label("Default address of its type").check()
    form.get_by_role("button", name="Save").click()
    address = page.get_by_test_id("address")
    expect(address).to_contain_text("10115 BERLIN")
    expect(address).to_contain_text("Default billing")

    address.get_by_role("button", name="Delete address").click()
    page.get_by_role("alertdialog").get_by_role("button", name="Confirm").click()
    expect(page.get_by_text("No addresses yet.")).to_be_visible()
    page.context.close()


def test_other_info_tags_groups_and_sales_rep_are_kept(browser: Browser, app_url: str):
    customer_id = make_customer("Other", "Info")
    page = signed_in_context(browser, "admin").new_page()
    page.goto(f"{app_url}/customers/{customer_id}?tab=other")
    page.get_by_label("New group").fill("Wholesale")
    page.get_by_role("button", name="Add group").click()
    page.get_by_role("checkbox", name="Wholesale").click()
    page.get_by_label("Business number").fill("HRB 12345")
    page.get_by_label("Tags").fill("vip, berlin, VIP")
    page.get_by_label("Sales rep").select_option(label="E2E Admin")
    page.get_by_role("button", name="Save other info").click()
    expect(page.get_by_text("Other info saved.")).to_be_visible()
    page.reload()
    expect(page.get_by_label("Tags")).to_have_value("berlin, vip")
    expect(page.get_by_label("Business number")).to_have_value("HRB 12345")
    expect(page.get_by_role("checkbox", name="Wholesale")).to_be_checked()
    expect(page.locator(".customer-header")).to_contain_text("Wholesale")
    page.context.close()
