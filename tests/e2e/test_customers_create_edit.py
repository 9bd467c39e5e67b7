"""Creating and editing customers in the pop-up, as a staff member would."""

import re

from playwright.sync_api import Page, expect

from tests.e2e.helpers import create_individual, dialog, jpeg_bytes, open_tab, rows, search


def test_create_individual_with_picture_shows_in_list(page: Page):
    page.get_by_role("button", name="New Customer").first.click()
    form = dialog(page)
    expect(form.get_by_label("First name")).to_be_visible()
    with page.expect_file_chooser() as chooser:
        form.get_by_role("button", name="Upload").click()
    chooser.value.set_files({"name": "portrait.jpg", "mimeType": "image/jpeg", "buffer": jpeg_bytes()})
    expect(form.get_by_role("img", name="Picture preview")).to_be_visible()
    form.get_by_label("First name").fill("Åsa")
    form.get_by_label("Last name").fill("Lindqvist-Picture")
    form.get_by_label("Email").fill("Asa.Lindqvist@Example.COM")
    form.get_by_label("Phone", exact=True).fill("+46 8 123 456 78")
    form.get_by_label("Gender").select_option("Female")
    form.get_by_role("button", name="Save").click()
    expect(form).to_be_hidden()

    search(page, "lindqvist-picture")
    row = rows(page).filter(has_text="Åsa Lindqvist-Picture")
    expect(row).to_have_count(1)
    expect(row).to_contain_text("Asa.Lindqvist@example.com")
    expect(row.locator("img")).to_have_attribute("src", re.compile(r"/pictures/[\w-]+_64\.webp$"))


def test_invalid_input_shows_inline_errors_and_saves_nothing(page: Page):
    page.get_by_role("button", name="New Customer").first.click()
    form = dialog(page)
    form.get_by_label("First name").fill("Invalid")
    form.get_by_label("Email").fill("not-an-email")
    form.get_by_label("Date of birth").fill("2999-01-01")
    form.get_by_role("button", name="Save").click()
    expect(form.get_by_text("Enter a valid e-mail address")).to_be_visible()
    expect(form.get_by_text("The date of birth cannot be in the future.")).to_be_visible()
    expect(form.get_by_label("First name")).to_have_value("Invalid")  # nothing typed is lost
    form.get_by_role("button", name="Cancel").click()
    expect(form).to_be_hidden()
    search(page, "Invalid")
    expect(page.get_by_text("No customers match")).to_be_visible()


def test_create_institution_then_edit_it(page: Page):
    page.get_by_role("button", name="Quick Insert").click()
    form = dialog(page)
    form.get_by_role("tab", name="Institution").click()
    form.get_by_label(re.compile(r"^Name")).fill("Société Générale des Tests")
    form.get_by_label("Ownership type").select_option("Corporation")
    form.get_by_label("Website").fill("tests.example")
    form.get_by_label("Email").fill("contact@societe-tests.example")
    form.get_by_role("button", name="Save").click()
    expect(form).to_be_hidden()

    open_tab(page, "Institutions")
    search(page, "generale des")
    row = rows(page).filter(has_text="Société Générale des Tests")
    expect(row).to_have_count(1)

    row.get_by_role("button", name="Edit").click()
    expect(form.get_by_label(re.compile(r"^Name"))).to_have_value("Société Générale des Tests")
    expect(form.get_by_label("Website")).to_have_value("https://tests.example")
    form.get_by_label(re.compile(r"^Name")).fill("Société Générale des Essais")
    form.get_by_role("button", name="Save").click()
    expect(form).to_be_hidden()
    search(page, "essais")
    expect(rows(page).filter(has_text="Société Générale des Essais")).to_have_count(1)


def test_cancel_closes_without_changes(page: Page):
    create_individual(page, "Cancel", "Unchanged", "cancel.unchanged@example.com")
    search(page, "cancel.unchanged")
    rows(page).first.get_by_role("button", name="Edit").click()
    form = dialog(page)
    form.get_by_label("Last name").fill("Changed")
    form.get_by_role("button", name="Cancel").click()
    expect(form).to_be_hidden()
    expect(rows(page).first).to_contain_text("Cancel Unchanged")


def test_refused_picture_explains_why_and_can_be_replaced_or_removed(page: Page):
    page.get_by_role("button", name="New Customer").first.click()
    form = dialog(page)
    with page.expect_file_chooser() as chooser:
        form.get_by_role("button", name="Upload").click()
    chooser.value.set_files({"name": "notes.jpg", "mimeType": "image/jpeg", "buffer": b"just some text"})
    expect(form.get_by_text("This file is not a JPEG, PNG, WebP or GIF picture.")).to_be_visible()
    expect(form.get_by_role("img", name="Picture preview")).to_have_count(0)

    with page.expect_file_chooser() as chooser:
        form.get_by_role("button", name="Upload").click()
    chooser.value.set_files({"name": "ok.jpg", "mimeType": "image/jpeg", "buffer": jpeg_bytes((20, 120, 60))})
    expect(form.get_by_role("img", name="Picture preview")).to_be_visible()
    form.get_by_role("button", name="Remove picture").click()
    expect(form.get_by_role("img", name="Picture preview")).to_have_count(0)
    form.get_by_role("button", name="Cancel").click()
