"""The customers page and the customer pop-up, driven through their event handlers by a signed-in staff member."""

import io
import threading

import pytest
import reflex as rx
from PIL import Image
from reflex.state import State
from sqlalchemy import Engine
from sqlmodel import Session, select

from customer_app.customers import customers, pictures
from customer_app.customers.models import Customer
from customer_app.customers.pictures import picture_filename
from customer_app.customers.state.customer_form import CustomerFormState
from customer_app.customers.state.customer_list import CustomerListState
from customer_app.customers.validation import validate_customer
from customer_app.errors import FORM_LOST
from customer_app.settings import settings
from tests.unit.reflex_helpers import run, toast


@pytest.fixture
def root(new_tab, staff_user) -> State:
    """One browser tab's state tree, signed in as a staff member."""
    return new_tab(staff_user)


@pytest.fixture
def page(root) -> CustomerListState:
    return root.get_substate(CustomerListState._get_substate_path())


@pytest.fixture
def form(root) -> CustomerFormState:
    return root.get_substate(CustomerFormState._get_substate_path())


def stored(engine: Engine, tab: str = "individual") -> list[Customer]:
    """Customers of a tab as the database has them now, by name."""
    with Session(engine) as session:
        rows = session.exec(select(Customer).order_by(Customer.sort_name)).all()
    return [c for c in rows if (tab == "trash") == (c.deleted_at is not None) and (tab in ("trash", c.kind))]


def names(rows: list[dict[str, str]]) -> list[str]:
    return [row["name"] for row in rows]


def png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), (200, 30, 30)).save(buffer, "PNG")
    return buffer.getvalue()


def stored_picture_files() -> set[str]:
    return {p.name for p in settings.picture_dir.glob("*.webp")} if settings.picture_dir.exists() else set()


@pytest.fixture
def crowd(session, admin):
    """30 individuals named "Person 01".."Person 30" (every third works at Acme) and one institution."""
    for number in range(1, 31):
        raw = {"first_name": "Person", "last_name": f"{number:02d}", "email": f"p{number:02d}@example.com"}
        if number % 3 == 0:
            raw["company_name"] = "Acme"
        customers.create_customer(validate_customer(raw, phone_region="US"), actor=admin, session=session)
    customers.create_customer(
        validate_customer({"kind": "institution", "name": "Acme Inc"}, phone_region="US"), actor=admin, session=session
    )
    session.commit()


# --- the customer pop-up ------------------------------------------------------------------------------------


def test_save_with_invalid_input_shows_every_field_error_and_writes_nothing(form, app_db):
    run(form.open_new())
    run(form.save({"first_name": " ", "email": "ann@", "phone": "12", "website": "nope"}))
    assert set(form.errors) == {"email", "phone", "website", "last_name"}
    assert form.open
    assert form.values["email"] == "ann@"  # what was typed stays in the form
    assert stored(app_db) == []


def test_valid_save_creates_the_customer_closes_the_popup_and_refreshes_the_list(form, page, app_db):
    run(page.on_load())
    run(form.open_new())
    result = run(
        form.save({"first_name": "Ann", "last_name": "Lee", "email": "Ann@Example.com", "phone": "202 555 0143"})
    )
    assert toast(result) == ("success", "Customer created.")
    assert not form.open
    assert form.errors == {}
    assert form.values == {}
    [customer] = stored(app_db)
    assert (customer.display_name, customer.email, customer.phone) == ("Ann Lee", "Ann@example.com", "+12025550143")
    assert names(page.rows) == ["Ann Lee"]
    assert page.counts["individual"] == 1


def test_save_as_institution_creates_an_institution(form, page, app_db):
    run(form.open_new())
    form.set_kind("institution")
    run(form.save({"name": "Acme", "ownership_type": "corporation", "first_name": "ignored"}))
    [customer] = stored(app_db, "institution")
    assert (customer.name, customer.ownership_type, customer.first_name) == ("Acme", "Corporation", None)


def test_switching_kind_clears_errors_and_ignores_unknown_kinds(form):
    run(form.open_new())
    run(form.save({}))
    assert form.errors == {"last_name": "Enter a first or last name."}
    form.set_kind("institution")
    assert (form.kind, form.errors) == ("institution", {})
    form.set_kind("robot")
    assert form.kind == "institution"


def test_save_with_an_email_already_used_shows_it_on_the_email_field(form, add, app_db):
    add(last_name="First", email="ann@x.com")
    run(form.open_new())
    run(form.save({"last_name": "Second", "email": "ANN@x.com"}))
    assert form.errors == {"email": customers.EMAIL_TAKEN}
    assert form.open
    assert [c.display_name for c in stored(app_db)] == ["First"]


def test_edit_opens_with_the_stored_values(form, add):
    customer = add(first_name="Ann", last_name="Lee", date_of_birth="1990-04-23", phone="202-555-0143")
    run(form.open_edit(str(customer.id)))
    assert form.open
    assert form.customer_id == customer.id
    assert form.version == 1
    assert form.values["first_name"] == "Ann"
    assert form.values["date_of_birth"] == "1990-04-23"
    assert form.values["phone"] == "+1 202-555-0143"  # shown as people write it; stored as E.164
    assert form.values["email"] == ""


def test_edit_of_a_customer_that_is_gone_says_so_and_stays_closed(form, add, session, admin):
    customer = add(last_name="Lee")
    customers.trash_customers([customer.id], actor=admin, session=session)
    session.commit()
    kind, message = toast(run(form.open_edit(str(customer.id))))
    assert kind == "error"
    assert "does not exist" in message
    assert not form.open


def test_saving_an_edit_updates_the_customer(form, page, add, app_db):
    customer = add(first_name="Ann", last_name="Lee")
    run(page.on_load())
    run(form.open_edit(str(customer.id)))
    result = run(form.save({**form.values, "first_name": "Anna"}))
    assert toast(result) == ("success", "Changes saved.")
    [row] = stored(app_db)
    assert (row.display_name, row.version) == ("Anna Lee", 2)
    assert names(page.rows) == ["Anna Lee"]


def test_saving_a_pop_up_the_server_no_longer_holds_writes_nothing_and_says_so(form, add, app_db):
    """Redis lost the tab's pop-up (restarted empty, or dropped its entry) while the browser still shows it: which
    customer and version it was editing went with it, and the edit must not become a second customer."""
    customer = add(first_name="Ann", last_name="Lee")
    result = run(form.save({"first_name": "Ann", "last_name": "Changed", "email": "ann.changed@example.com"}))
    assert toast(result) == ("error", FORM_LOST)
    assert [(c.id, c.display_name, c.version) for c in stored(app_db)] == [(customer.id, "Ann Lee", 1)]


def test_stale_edit_reports_a_conflict_and_does_not_overwrite(form, add, session, app_db, admin):
    customer = add(first_name="Ann", last_name="Lee")
    run(form.open_edit(str(customer.id)))
    customers.update_customer(
        customer.id,
        validate_customer({"first_name": "Other", "last_name": "Person"}, phone_region="US"),
        actor=admin,
        session=session,
        expected_version=1,
    )
    session.commit()
    run(form.save({**form.values, "first_name": "Mine"}))
    assert form.conflict
    assert form.open
    assert form.errors == {}
    [row] = stored(app_db)
    assert (row.display_name, row.version) == ("Other Person", 2)


def test_after_a_conflict_reload_shows_the_other_save_and_then_saving_works(form, add, session, app_db, admin):
    customer = add(first_name="Ann", last_name="Lee")
    run(form.open_edit(str(customer.id)))
    customers.update_customer(
        customer.id,
        validate_customer({"first_name": "Other", "last_name": "Person"}, phone_region="US"),
        actor=admin,
        session=session,
        expected_version=1,
    )
    session.commit()
    run(form.save({**form.values, "first_name": "Mine"}))
    run(form.reload_latest())
    assert not form.conflict
    assert (form.values["first_name"], form.version) == ("Other", 2)
    run(form.save({**form.values, "first_name": "Mine"}))
    assert not form.open
    assert stored(app_db)[0].display_name == "Mine Person"


def test_cancel_writes_nothing(form, add, app_db):
    customer = add(first_name="Ann", last_name="Lee")
    run(form.open_edit(str(customer.id)))
    form.cancel()
    assert not form.open
    assert form.customer_id == 0
    assert form.values == {}
    run(form.open_new())
    form.set_open(False)  # Escape or a click on the overlay
    assert not form.open
    [row] = stored(app_db)
    assert (row.display_name, row.version) == ("Ann Lee", 1)


def test_cancel_discards_a_picture_uploaded_for_the_draft(form, app_db):
    run(form.open_new())
    before = stored_picture_files()
    run(form.upload_picture([rx.UploadFile(file=io.BytesIO(png()))]))
    assert form.picture
    assert form.picture_error == ""
    assert stored_picture_files() - before == {picture_filename(form.picture, 512), picture_filename(form.picture, 64)}
    form.cancel()
    assert stored_picture_files() == before
    assert stored(app_db) == []


def test_saved_customer_keeps_the_uploaded_picture(form, app_db):
    run(form.open_new())
    run(form.upload_picture([rx.UploadFile(file=io.BytesIO(png()))]))
    key = form.picture
    run(form.save({"last_name": "Lee"}))
    assert stored(app_db)[0].picture == key
    assert picture_filename(key, 512) in stored_picture_files()


def test_upload_of_something_that_is_not_a_picture_is_refused(form):
    run(form.open_new())
    run(form.upload_picture([rx.UploadFile(file=io.BytesIO(b"%PDF-1.7 not a picture"))]))
    assert form.picture == ""
    assert "not a JPEG, PNG, WebP or GIF" in form.picture_error


# --- the customers page -------------------------------------------------------------------------------------


def test_loading_the_page_shows_the_first_page_and_every_tab_count(page, crowd):
    run(page.on_load())
    assert page.loaded
    assert len(page.rows) == 25
    assert page.rows[0]["name"] == "Person 01"
    assert page.counts == {"individual": 30, "institution": 1, "trash": 0}
    assert (page.page_count, page.range_label) == (2, "1–25 of 30")


def test_search_filters_rows_and_goes_back_to_the_first_page(page, crowd):
    run(page.on_load())
    run(page.go_to_page(2))
    run(page.set_search("acme"))
    assert page.page == 1
    assert names(page.rows) == [f"Person {n:02d}" for n in range(3, 31, 3)]
    assert page.counts == {"individual": 10, "institution": 1, "trash": 0}
    run(page.clear_search())
    assert len(page.rows) == 25


def test_clicking_a_column_sorts_and_a_second_click_reverses(page, crowd):
    run(page.on_load())
    run(page.toggle_sort("email"))
    assert (page.sort, page.direction) == ("email", "asc")
    assert page.rows[0]["email"] == "p01@example.com"
    run(page.toggle_sort("email"))
    assert page.direction == "desc"
    assert page.rows[0]["email"] == "p30@example.com"


def test_sort_key_outside_the_allow_list_falls_back_to_name(page, crowd):
    run(page.on_load())
    run(page.toggle_sort("search_text"))
    assert (page.sort, page.direction) == ("name", "asc")
    assert page.rows[0]["name"] == "Person 01"


@pytest.mark.parametrize(("typed", "size", "rows"), [("50", 50, 30), ("25", 25, 25), ("7", 25, 25), ("lots", 25, 25)])
def test_page_size_is_one_of_the_offered_sizes(page, crowd, typed, size, rows):
    run(page.on_load())
    run(page.set_page_size(typed))
    assert (page.page_size, len(page.rows), page.page) == (size, rows, 1)


def test_going_to_a_page_shows_its_rows_and_is_clamped_to_existing_pages(page, crowd):
    run(page.on_load())
    run(page.go_to_page(2))
    assert names(page.rows) == [f"Person {n:02d}" for n in range(26, 31)]
    assert page.range_label == "26–30 of 30"
    run(page.go_to_page(99))
    assert page.page == 2
    run(page.go_to_page(0))
    assert page.page == 1
    assert page.rows[0]["name"] == "Person 01"


def test_switching_tabs_shows_that_tabs_rows_and_trash_sorts_newest_first(page, crowd):
    run(page.on_load())
    run(page.set_tab("institution"))
    assert names(page.rows) == ["Acme Inc"]
    run(page.set_tab("trash"))
    assert (page.sort, page.direction, page.rows) == ("deleted", "desc", [])
    run(page.set_tab("everything"))
    assert page.tab == "trash"


def test_select_all_selects_exactly_the_rows_on_the_page_and_toggles_off(page, crowd):
    run(page.on_load())
    page.toggle_page_selected()
    assert page.selected == [row["id"] for row in page.rows]
    assert len(page.selected) == 25
    assert page.all_on_page_selected
    page.toggle_selected(page.rows[0]["id"])
    assert not page.all_on_page_selected
    assert len(page.selected) == 24
    page.toggle_page_selected()
    assert len(page.selected) == 25
    page.toggle_page_selected()
    assert page.selected == []


def test_remove_all_trashes_exactly_the_customers_matching_the_search(page, crowd, app_db):
    run(page.on_load())
    run(page.set_search("acme"))
    kind, message = toast(run(page.remove_all()))
    assert (kind, message) == ("success", "10 customer(s) moved to Trash.")
    assert {c.company_name for c in stored(app_db, "trash")} == {"Acme"}
    assert len(stored(app_db, "trash")) == 10
    assert len(stored(app_db, "individual")) == 20
    assert [c.name for c in stored(app_db, "institution")] == ["Acme Inc"]  # other tab untouched
    assert page.rows == []
    assert page.counts["trash"] == 10


def test_remove_all_without_a_search_trashes_the_whole_tab_beyond_the_page(page, crowd, app_db):
    run(page.on_load())
    run(page.remove_all())
    assert stored(app_db, "individual") == []
    assert len(stored(app_db, "trash")) == 30
    assert len(stored(app_db, "institution")) == 1


@pytest.fixture
def three_in_trash(page, crowd, session, app_db, admin) -> None:
    """The crowd with three people in Trash, and the page showing the Trash tab."""
    customers.trash_customers([c.id for c in stored(app_db)[:3]], actor=admin, session=session)
    session.commit()
    run(page.on_load())
    run(page.set_tab("trash"))


def test_remove_all_does_nothing_in_trash(page, three_in_trash, app_db):
    run(page.remove_all())
    assert len(stored(app_db, "trash")) == 3
    assert len(stored(app_db, "individual")) == 27


def test_remove_all_in_trash_answers_nothing(page, three_in_trash):
    assert run(page.remove_all()) is None


def test_removing_selected_rows_moves_them_to_trash_and_only_admins_purge_them(
    page, crowd, app_db, new_tab, admin_user
):
    run(page.on_load())
    page.toggle_selected(page.rows[0]["id"])
    page.toggle_selected(page.rows[1]["id"])
    assert toast(run(page.remove_selected())) == ("success", "2 customer(s) moved to Trash.")
    assert page.selected == []
    assert page.counts["trash"] == 2
    run(page.set_tab("trash"))
    page.toggle_page_selected()
    refused = toast(run(page.remove_selected()))  # staff: Trash is as far as they go
    assert refused == ("error", "Your role does not allow this. Ask an admin if you need it.")
    assert len(stored(app_db, "trash")) == 2
    admins = new_tab(admin_user).get_substate(CustomerListState._get_substate_path())
    run(admins.set_tab("trash"))
    admins.toggle_page_selected()
    assert toast(run(admins.remove_selected())) == ("success", "2 customer(s) deleted permanently.")
    assert stored(app_db, "trash") == []
    assert len(stored(app_db, "individual")) == 28


def test_confirmed_delete_of_one_row_moves_it_to_trash(page, crowd, app_db):
    run(page.on_load())
    first = page.rows[0]
    page.ask_delete(first["id"], first["name"])
    assert page.confirm_name == "Person 01"
    assert toast(run(page.confirm_delete())) == ("success", "Customer moved to Trash.")
    assert page.confirm_id == ""
    assert page.rows[0]["name"] == "Person 02"
    assert [c.display_name for c in stored(app_db, "trash")] == ["Person 01"]


def test_dismissing_a_confirmation_deletes_nothing(page, crowd, app_db):
    run(page.on_load())
    page.ask_delete(page.rows[0]["id"], page.rows[0]["name"])
    page.set_confirm_open(False)
    assert page.confirm_id == ""
    assert stored(app_db, "trash") == []


def test_emptying_the_last_page_moves_back_a_page(page, crowd):
    run(page.on_load())
    run(page.go_to_page(2))
    for row in list(page.rows):
        page.toggle_selected(row["id"])
    run(page.remove_selected())
    assert page.page == 1
    assert len(page.rows) == 25


def test_restore_brings_customers_back(page, crowd, session, app_db, admin):
    ids = [c.id for c in stored(app_db)[:2]]
    customers.trash_customers(ids, actor=admin, session=session)
    session.commit()
    run(page.on_load())
    run(page.set_tab("trash"))
    page.toggle_page_selected()
    assert toast(run(page.restore_selected())) == ("success", "2 customer(s) restored.")
    assert page.rows == []
    assert page.counts["individual"] == 30


def test_restore_refused_for_a_taken_email_says_why_and_changes_nothing(page, add, session, app_db, admin):
    old = add(last_name="Old", email="ann@x.com")
    customers.trash_customers([old.id], actor=admin, session=session)
    session.commit()
    add(last_name="New", email="ann@x.com")
    run(page.on_load())
    run(page.set_tab("trash"))
    kind, message = toast(run(page.restore([str(old.id)])))
    assert kind == "error"
    assert message.startswith("Old cannot be restored")
    assert [c.display_name for c in stored(app_db, "trash")] == ["Old"]


def test_only_rows_of_the_page_shown_can_be_selected(page, add):
    ann = add(first_name="Ann", last_name="Shown")
    run(page.on_load())
    for forged in ("999999", "x" * 10_000, "-1"):
        page.toggle_selected(forged)
    page.toggle_selected(str(ann.id))
    assert page.selected == [str(ann.id)]


def test_a_picture_is_decoded_off_the_event_loop(form, monkeypatch):
    decoded_on = []
    real = pictures.store_picture

    def watched(*args, **kwargs):
        decoded_on.append(threading.current_thread())
        return real(*args, **kwargs)

    monkeypatch.setattr(pictures, "store_picture", watched)
    form.open = True
    run(form.upload_picture([rx.UploadFile(file=io.BytesIO(png()))]))
    assert form.picture
    assert decoded_on
    assert decoded_on[0] is not threading.main_thread()  # the event loop's thread stays free for other tabs
