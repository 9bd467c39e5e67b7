"""Custom field values: checked by the field's type, stored in canonical text, audited as people read them."""

import json

import pytest
from sqlmodel import select

from customer_app.core.models import AuditEvent
from customer_app.customers.custom_field_values import (
    check_values,
    clean_value,
    customer_values,
    form_fields,
    save_values,
    shown,
)
from customer_app.customers.custom_fields import remove_field, value_counts
from customer_app.customers.models import CustomField
from customer_app.errors import PermissionDenied, ValidationError
from tests.unit.accounts import READER
from tests.unit.refusals import NOT_YOUR_ROLE, SIGN_IN, refusal

READS = {
    "customer_values": lambda actor, session: customer_values(1, actor=actor, session=session),
    "form_fields": lambda actor, session: form_fields(None, actor=actor, session=session),
    "check_values": lambda actor, session: check_values("individual", {1: "x"}, actor=actor, session=session),
}
EDITORS_ONLY = ("check_values",)  # values are checked only on their way to being saved


@pytest.mark.parametrize("read", list(READS))
def test_nobody_signed_in_reads_or_checks_values(read):
    assert refusal(READS[read], None).startswith(SIGN_IN)


@pytest.mark.parametrize("read", EDITORS_ONLY)
def test_read_only_staff_do_not_check_values_they_cannot_save(read):
    assert refusal(READS[read], READER).startswith(NOT_YOUR_ROLE)


def test_values_are_checked_against_the_fields_of_the_customer_kind(session, staff, field):
    seats, tier = field("Seats", "number", "institution"), field("Tier", "choice", options="Gold\nSilver")
    assert check_values("institution", {seats.id: "1,200", tier.id: "gold"}, actor=staff, session=session) == {
        seats.id: "1200",
        tier.id: "Gold",
    }
    with pytest.raises(ValidationError) as caught:
        check_values("individual", {seats.id: "3"}, actor=staff, session=session)
    assert caught.value.errors == {str(seats.id): "This field was removed; reload the page."}


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
    with pytest.raises(ValueError, match=r"number|digits"):
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


def test_values_follow_the_customer_kind_and_are_saved_and_audited(session, admin, staff, add, field):
    seats = field("Seats", "number", "institution")
    since = field("Member since", "date", "all")
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


def test_bad_values_name_each_field_and_keep_what_was_stored(session, admin, staff, reader, add, field):
    seats = field("Seats", "number")
    tier = field("Tier", "choice", options="Gold\nSilver")
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


def test_clearing_a_value_removes_it(session, admin, staff, add, field):
    nickname = field("Nickname")
    ada = add(first_name="Ada")
    save_values(ada.id, {nickname.id: "Countess"}, actor=staff, session=session)
    assert save_values(ada.id, {nickname.id: ""}, actor=staff, session=session) == {}
    assert value_counts(actor=admin, session=session) == {}


def test_a_removed_field_cannot_take_values(session, admin, staff, add, field):
    nickname = field("Nickname")
    ada = add(first_name="Ada")
    remove_field(nickname.id, actor=admin, session=session)
    with pytest.raises(ValidationError, match="was removed"):
        save_values(ada.id, {nickname.id: "Countess"}, actor=staff, session=session)


def test_the_audit_trail_shows_values_as_people_read_them(session, admin, staff, add, field):
    consent = field("Newsletter consent", "yes_no")
    ada = add(first_name="Ada")
    save_values(ada.id, {consent.id: "yes"}, actor=staff, session=session)
    save_values(ada.id, {consent.id: "no"}, actor=staff, session=session)
    changes = [
        json.loads(e.changes) for e in session.exec(select(AuditEvent).where(AuditEvent.action == "custom_fields"))
    ]
    assert changes == [{"Newsletter consent": ["", "Yes"]}, {"Newsletter consent": ["Yes", "No"]}]
