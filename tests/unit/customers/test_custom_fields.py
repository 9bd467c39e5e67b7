"""Custom fields: admins define them per customer kind; values are checked by type and kept safe on change."""

import json

import pytest
from sqlmodel import select

from customer_app.core.models import AuditEvent
from customer_app.customers.custom_fields import (
    FieldDefinition,
    add_field,
    change_field,
    clean_value,
    customer_values,
    list_fields,
    move_field,
    remove_field,
    save_values,
    shown,
    value_counts,
)
from customer_app.customers.models import CustomField
from customer_app.errors import PermissionDenied, ValidationError


def field(session, admin, label="Loyalty number", field_type="text", applies_to="all", **more) -> CustomField:
    definition = FieldDefinition(label=label, field_type=field_type, applies_to=applies_to, **more)
    made = add_field(definition, actor=admin, session=session)
    session.commit()
    return made


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("42", "42"),
        (" 1,234.50 ", "1234.5"),
        ("1234,5", "1234.5"),
        ("-0.0", "0"),
        ("+7", "7"),
        ("1\u00a0000", "1000"),
        ("100", "100"),
        (".5", "0.5"),
    ],
)
def test_numbers_are_read_the_way_people_type_them(typed, stored):
    assert clean_value(CustomField(label="Seats", field_type="number", applies_to="all"), typed) == stored


@pytest.mark.parametrize("typed", ["12a", "1.234,5", "1,23,4", "1e5", "--1", "1234567890123456", "NaN", "Infinity"])
def test_a_bad_number_says_what_to_type(typed):
    with pytest.raises(ValueError, match="number|digits"):
        clean_value(CustomField(label="Seats", field_type="number", applies_to="all"), typed)


def test_each_type_checks_its_values():
    date = CustomField(label="Contract", field_type="date", applies_to="all")
    assert clean_value(date, "2026-02-28") == "2026-02-28"
    with pytest.raises(ValueError, match="date like"):
        clean_value(date, "2026-02-30")
    choice = CustomField(label="Tier", field_type="choice", applies_to="all", options="Gold\nSilver")
    assert clean_value(choice, "gold") == "Gold"
    with pytest.raises(ValueError, match="listed options"):
        clean_value(choice, "Bronze")
    yes_no = CustomField(label="Newsletter", field_type="yes_no", applies_to="all")
    assert (clean_value(yes_no, "Yes"), clean_value(yes_no, "no"), shown(yes_no, "yes")) == ("yes", "no", "Yes")
    with pytest.raises(ValueError, match="Yes or No"):
        clean_value(yes_no, "maybe")
    text = CustomField(label="Nickname", field_type="text", applies_to="all")
    assert clean_value(text, "  Ada\u00a0L. ") == "Ada L."
    with pytest.raises(ValueError, match="under 500"):
        clean_value(text, "x" * 501)
    required = CustomField(label="Nickname", field_type="text", applies_to="all", required=True)
    with pytest.raises(ValueError, match="Fill in Nickname"):
        clean_value(required, "   ")


def test_only_admins_define_fields_and_definitions_are_checked(session, admin, staff):
    with pytest.raises(PermissionDenied):
        add_field(FieldDefinition(label="Tier"), actor=staff, session=session)
    with pytest.raises(ValidationError) as caught:
        add_field(FieldDefinition(label=" ", field_type="colour", applies_to="robots"), actor=admin, session=session)
    assert set(caught.value.errors) == {"label", "field_type", "applies_to"}
    with pytest.raises(ValidationError, match="between 2 and 50 choices"):
        add_field(
            FieldDefinition(label="Tier", field_type="choice", options="Gold\ngold\n"), actor=admin, session=session
        )
    tier = field(session, admin, "Tier", "choice", options=" Gold \n\nSilver\nsilver\nBronze")
    assert tier.choices == ["Gold", "Silver", "Bronze"]
    assert list_fields(session=session) == [tier]


def test_labels_are_unique_among_fields_a_customer_can_have(session, admin):
    field(session, admin, "Seats", applies_to="institution")
    field(session, admin, "Seats", applies_to="individual")  # never on the same customer
    with pytest.raises(ValidationError, match="already have a field with this label"):
        add_field(FieldDefinition(label="seats", applies_to="all"), actor=admin, session=session)


def test_values_follow_the_customer_kind_and_are_saved_and_audited(session, admin, staff, add):
    seats = field(session, admin, "Seats", "number", "institution")
    since = field(session, admin, "Member since", "date", "all")
    ada = add(first_name="Ada")
    acme = add(kind="institution", name="Acme")
    assert [f.label for f, _ in customer_values(ada.id, actor=staff, session=session)] == ["Member since"]
    saved = save_values(acme.id, {seats.id: "1,200", since.id: "2020-01-31"}, actor=staff, session=session)
    session.commit()
    assert saved == {seats.id: "1200", since.id: "2020-01-31"}
    assert [(f.label, v) for f, v in customer_values(acme.id, actor=staff, session=session)] == [
        ("Seats", "1200"),
        ("Member since", "2020-01-31"),
    ]
    event = session.exec(select(AuditEvent).where(AuditEvent.action == "custom_fields")).one()
    assert (event.entity_id, json.loads(event.changes)) == (
        acme.id,
        {"Member since": ["", "2020-01-31"], "Seats": ["", "1200"]},
    )


def test_bad_values_name_each_field_and_keep_what_was_stored(session, admin, staff, reader, add):
    seats = field(session, admin, "Seats", "number")
    tier = field(session, admin, "Tier", "choice", options="Gold\nSilver")
    ada = add(first_name="Ada")
    save_values(ada.id, {seats.id: "3"}, actor=staff, session=session)
    session.commit()
    with pytest.raises(ValidationError) as caught:
        save_values(ada.id, {seats.id: "three", tier.id: "Bronze"}, actor=staff, session=session)
    assert caught.value.errors == {
        str(seats.id): "Enter a number like 1234.56.",
        str(tier.id): "Choose one of the listed options.",
    }
    with pytest.raises(PermissionDenied):
        save_values(ada.id, {seats.id: "4"}, actor=reader, session=session)
    session.rollback()
    assert [v for _, v in customer_values(ada.id, actor=reader, session=session)] == ["3", ""]


def test_clearing_a_value_removes_it(session, admin, staff, add):
    nickname = field(session, admin, "Nickname")
    ada = add(first_name="Ada")
    save_values(ada.id, {nickname.id: "Countess"}, actor=staff, session=session)
    assert save_values(ada.id, {nickname.id: ""}, actor=staff, session=session) == {}
    assert value_counts(session=session) == {}


def test_a_field_in_use_keeps_its_type_and_its_picked_choices(session, admin, staff, add):
    tier = field(session, admin, "Tier", "choice", options="Gold\nSilver")
    save_values(add(first_name="Ada").id, {tier.id: "Gold"}, actor=staff, session=session)
    session.commit()
    with pytest.raises(ValidationError, match="type cannot change"):
        change_field(tier.id, FieldDefinition("Tier", "text"), actor=admin, session=session)
    with pytest.raises(ValidationError, match="1 customers have “Gold”"):
        change_field(tier.id, FieldDefinition("Tier", "choice", options="Silver\nBronze"), actor=admin, session=session)
    changed = change_field(
        tier.id,
        FieldDefinition("Level", "choice", "individual", "Gold\nSilver\nBronze", True),
        actor=admin,
        session=session,
    )
    assert (changed.label, changed.choices, changed.applies_to, changed.required) == (
        "Level",
        ["Gold", "Silver", "Bronze"],
        "individual",
        True,
    )


def test_removing_a_field_removes_its_values(session, admin, staff, add):
    nickname = field(session, admin, "Nickname")
    save_values(add(first_name="Ada").id, {nickname.id: "Countess"}, actor=staff, session=session)
    session.commit()
    assert value_counts(session=session) == {nickname.id: 1}
    with pytest.raises(PermissionDenied):
        remove_field(nickname.id, actor=staff, session=session)
    assert remove_field(nickname.id, actor=admin, session=session) == 1
    session.commit()
    assert (list_fields(session=session), value_counts(session=session)) == ([], {})


def test_fields_are_moved_up_and_down(session, admin):
    a, b, c = (field(session, admin, label) for label in ("A", "B", "C"))
    move_field(c.id, -1, actor=admin, session=session)
    move_field(a.id, -1, actor=admin, session=session)  # already first: stays
    assert [f.label for f in list_fields(session=session)] == ["A", "C", "B"]
    move_field(a.id, 1, actor=admin, session=session)
    assert [f.label for f in list_fields(session=session)] == ["C", "A", "B"]


def test_a_removed_field_cannot_take_values(session, admin, staff, add):
    nickname = field(session, admin, "Nickname")
    ada = add(first_name="Ada")
    remove_field(nickname.id, actor=admin, session=session)
    with pytest.raises(ValidationError, match="was removed"):
        save_values(ada.id, {nickname.id: "Countess"}, actor=staff, session=session)


def test_the_audit_trail_shows_values_as_people_read_them(session, admin, staff, add):
    consent = field(session, admin, "Newsletter consent", "yes_no")
    ada = add(first_name="Ada")
    save_values(ada.id, {consent.id: "yes"}, actor=staff, session=session)
    save_values(ada.id, {consent.id: "no"}, actor=staff, session=session)
    changes = [
        json.loads(e.changes) for e in session.exec(select(AuditEvent).where(AuditEvent.action == "custom_fields"))
    ]
    assert changes == [{"Newsletter consent": ["", "Yes"]}, {"Newsletter consent": ["Yes", "No"]}]
