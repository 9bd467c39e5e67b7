"""Custom field definitions: admins add, change, order and remove them per customer kind; fields in use stay safe."""

import pytest

from customer_app.customers.custom_field_values import save_values
from customer_app.customers.custom_fields import (
    FieldDefinition,
    add_field,
    change_field,
    list_fields,
    move_field,
    remove_field,
    value_counts,
)
from customer_app.errors import PermissionDenied, ValidationError
from tests.unit.accounts import READER
from tests.unit.refusals import NOT_YOUR_ROLE, SIGN_IN, refusal

READS = {
    "list_fields": lambda actor, session: list_fields(actor=actor, session=session),
    "list_fields for a kind": lambda actor, session: list_fields(actor=actor, session=session, kind="individual"),
    "value_counts": lambda actor, session: value_counts(actor=actor, session=session),
}
ADMIN_ONLY = ("value_counts",)  # only the settings page shows how many customers use a field


@pytest.mark.parametrize("read", list(READS))
def test_nobody_signed_in_reads_the_fields(read):
    assert refusal(READS[read], None).startswith(SIGN_IN)


@pytest.mark.parametrize("read", ADMIN_ONLY)
def test_read_only_staff_do_not_read_what_only_admins_see(read):
    assert refusal(READS[read], READER).startswith(NOT_YOUR_ROLE)


def test_read_only_staff_read_the_fields_customer_pages_show(session, field):
    tier, seats = field("Tier"), field("Seats", "number", "institution")
    assert list_fields(actor=READER, session=session) == [tier, seats]
    assert list_fields(actor=READER, session=session, kind="individual") == [tier]


def test_only_admins_define_fields_and_definitions_are_checked(session, admin, staff, field):
    with pytest.raises(PermissionDenied):
        add_field(FieldDefinition(label="Tier"), actor=staff, session=session)
    with pytest.raises(ValidationError) as caught:
        add_field(FieldDefinition(label=" ", field_type="colour", applies_to="robots"), actor=admin, session=session)
    assert set(caught.value.errors) == {"label", "field_type", "applies_to"}
    with pytest.raises(ValidationError, match="between 2 and 50 choices"):
        add_field(
            FieldDefinition(label="Tier", field_type="choice", options="Gold\ngold\n"), actor=admin, session=session
        )
    tier = field("Tier", "choice", options=" Gold \n\nSilver\nsilver\nBronze")
    assert tier.choices == ["Gold", "Silver", "Bronze"]
    assert list_fields(actor=admin, session=session) == [tier]


def test_labels_are_unique_among_fields_a_customer_can_have(session, admin, field):
    field("Seats", applies_to="institution")
    field("Seats", applies_to="individual")  # never on the same customer
    with pytest.raises(ValidationError, match="already have a field with this label"):
        add_field(FieldDefinition(label="seats", applies_to="all"), actor=admin, session=session)


def test_a_field_in_use_keeps_its_type_and_its_picked_choices(session, admin, staff, add, field):
    tier = field("Tier", "choice", options="Gold\nSilver")
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


def test_removing_a_field_removes_its_values(session, admin, staff, add, field):
    nickname = field("Nickname")
    save_values(add(first_name="Ada").id, {nickname.id: "Countess"}, actor=staff, session=session)
    session.commit()
    assert value_counts(actor=admin, session=session) == {nickname.id: 1}
    with pytest.raises(PermissionDenied):
        remove_field(nickname.id, actor=staff, session=session)
    assert remove_field(nickname.id, actor=admin, session=session) == 1
    session.commit()
    assert (list_fields(actor=admin, session=session), value_counts(actor=admin, session=session)) == ([], {})


def test_fields_are_moved_up_and_down(session, admin, field):
    a, _, c = (field(label) for label in ("A", "B", "C"))
    move_field(c.id, -1, actor=admin, session=session)
    move_field(a.id, -1, actor=admin, session=session)  # already first: stays
    assert [f.label for f in list_fields(actor=admin, session=session)] == ["A", "C", "B"]
    move_field(a.id, 1, actor=admin, session=session)
    assert [f.label for f in list_fields(actor=admin, session=session)] == ["C", "A", "B"]
