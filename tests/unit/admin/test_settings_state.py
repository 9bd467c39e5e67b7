"""The settings page's handlers (custom fields, groups) and the customer page's Custom fields tab."""

from sqlmodel import select

from customer_app.admin.state.custom_fields import CustomFieldsAdminState
from customer_app.admin.state.groups import GroupsAdminState
from customer_app.core.db import session_scope
from customer_app.customers import custom_field_values, custom_fields
from customer_app.customers.models import Customer
from customer_app.customers.state.custom_fields import CustomerCustomFieldsState
from customer_app.customers.state.customer_form import CustomerFormState
from customer_app.errors import FORM_LOST
from tests.unit.reflex_helpers import run, toast

NEW_FIELD = {"label": "Seats", "field_type": "number", "applies_to": "all", "options": ""}


def settings(new_tab, user) -> CustomFieldsAdminState:
    state = new_tab(user).get_substate(CustomFieldsAdminState._get_substate_path())
    run(state.on_load())
    return state


def test_an_admin_adds_a_field_and_mistakes_stay_in_the_pop_up(new_tab, admin_user):
    state = settings(new_tab, admin_user)
    assert (state.access, state.rows) == ("ok", [])
    state.open_new()
    state.set_field_type("choice")
    run(state.save(NEW_FIELD | {"label": "Tier", "field_type": "choice", "options": "Gold"}))
    assert state.form_open
    assert state.errors == {"options": "List between 2 and 50 choices, one per line."}
    result = run(state.save(NEW_FIELD | {"label": "Tier", "field_type": "choice", "options": "Gold\nSilver"}))
    assert toast(result) == ("success", "Field “Tier” saved.")
    assert not state.form_open
    assert [(r.label, r.type_label, r.choices, r.first, r.last) for r in state.rows] == [
        ("Tier", "Single choice", "Gold, Silver", True, True)
    ]


def test_a_field_in_use_is_changed_without_its_type_and_removed_after_confirming(new_tab, admin_user, admin, add):
    state = settings(new_tab, admin_user)
    state.open_new()
    run(state.save(NEW_FIELD))
    seats = int(state.rows[0].id)
    with session_scope() as session:
        custom_field_values.save_values(add(first_name="Ada").id, {seats: "12"}, actor=admin, session=session)
    run(state.on_load())
    state.open_edit(str(seats))
    run(state.save({"label": "Seats booked", "applies_to": "individual"}))  # the disabled type select sends nothing
    assert [(r.label, r.field_type, r.applies_to, r.used_by) for r in state.rows] == [
        ("Seats booked", "number", "individual", 1)
    ]
    state.ask_remove(str(seats))
    assert state.confirm.label == "Seats booked"
    assert toast(run(state.remove())) == ("success", "Field “Seats booked” removed.")
    assert state.rows == []
    assert state.confirm.id == ""


def test_an_edit_the_server_no_longer_holds_adds_no_second_field(new_tab, admin_user):
    state = settings(new_tab, admin_user)
    state.open_new()
    run(state.save(NEW_FIELD))
    lost = settings(new_tab, admin_user)  # the same tab after Redis lost its state: no pop-up, no field being edited
    assert toast(run(lost.save(NEW_FIELD | {"label": "Seats booked"}))) == ("error", FORM_LOST)
    assert [row.label for row in lost.rows] == ["Seats"]


def test_staff_are_shown_no_settings_and_cannot_change_them(new_tab, staff_user):
    state = settings(new_tab, staff_user)
    assert (state.access, state.rows) == ("denied", [])
    assert toast(run(state.save(NEW_FIELD)))[0] == "error"
    groups = new_tab(staff_user).get_substate(GroupsAdminState._get_substate_path())
    assert toast(run(groups.add({"group_name": "VIP"})))[0] == "error"


def test_groups_are_added_renamed_and_removed(new_tab, admin_user):
    state = new_tab(admin_user).get_substate(GroupsAdminState._get_substate_path())
    run(state.add({"group_name": "VIP"}))
    run(state.add({"group_name": "vip"}))
    assert state.errors == {"group": "There is already a group with this name."}
    assert state.add_key == 1
    state.open_rename(state.rows[0].id)
    run(state.rename({"name": "Very important"}))
    assert [r.name for r in state.rows] == ["Very important"]
    assert state.renaming.id == ""
    state.ask_remove(state.rows[0].id)
    run(state.remove())
    assert state.rows == []


def test_the_customer_tab_saves_values_and_names_each_bad_one(new_tab, admin, staff_user, reader_user, add):
    with session_scope() as session:
        seats = custom_fields.add_field(custom_fields.FieldDefinition("Seats", "number"), actor=admin, session=session)
        vip = custom_fields.add_field(custom_fields.FieldDefinition("VIP", "yes_no"), actor=admin, session=session)
        seats_id, vip_id = seats.id, vip.id
    ada = add(first_name="Ada")
    state = new_tab(staff_user).get_substate(CustomerCustomFieldsState._get_substate_path())
    state.customer_id = ada.id
    run(state.save({f"cf-{seats_id}": "many", f"cf-{vip_id}": "yes"}))
    assert state.errors == {str(seats_id): "Enter a number like 1234.56."}
    assert toast(run(state.save({f"cf-{seats_id}": "1,500", f"cf-{vip_id}": "yes"}))) == (
        "success",
        "Custom fields saved.",
    )
    assert [(f.label, f.value, f.shown) for f in state.fields] == [("Seats", "1500", "1500"), ("VIP", "yes", "Yes")]
    reader = new_tab(reader_user).get_substate(CustomerCustomFieldsState._get_substate_path())
    reader.customer_id = ada.id
    assert toast(run(reader.save({f"cf-{seats_id}": "1"})))[0] == "error"


def test_the_customer_pop_up_asks_for_the_custom_fields_of_the_kind_it_shows(new_tab, staff_user, admin, app_db):
    with session_scope() as session:
        define = custom_fields.FieldDefinition
        tier = custom_fields.add_field(
            define("Tier", "choice", "all", "Gold\nSilver", True), actor=admin, session=session
        )
        seats = custom_fields.add_field(define("Seats", "number", "institution"), actor=admin, session=session)
        tier_id, seats_id = tier.id, seats.id
    form = new_tab(staff_user).get_substate(CustomerFormState._get_substate_path())
    run(form.open_new())
    assert [f.label for f in form.custom_for_kind] == ["Tier"]
    form.set_kind("institution")
    assert [f.label for f in form.custom_for_kind] == ["Tier", "Seats"]

    run(form.save({"name": "", f"cf-{tier_id}": "", f"cf-{seats_id}": "lots"}))  # every mistake at once
    assert form.errors == {
        "name": "Enter the institution's name.",
        str(tier_id): "Fill in Tier.",
        str(seats_id): "Enter a number like 1234.56.",
    }
    assert form.open
    result = run(form.save({"name": "Acme", f"cf-{tier_id}": "gold", f"cf-{seats_id}": "12"}))
    assert toast(result) == ("success", "Customer created.")
    assert not form.open
    with session_scope() as session:
        acme = session.exec(select(Customer).where(Customer.display_name == "Acme")).one()
        values = [(f.label, v) for f, v in custom_field_values.customer_values(acme.id, actor=admin, session=session)]
    assert values == [("Tier", "Gold"), ("Seats", "12")]

    run(form.open_edit(str(acme.id)))
    assert [(f.label, f.value) for f in form.custom_for_kind] == [("Tier", "Gold"), ("Seats", "12")]
