"""Create Duplicate copies what describes a customer, never what identifies one or what happened with them."""

import pytest

from customer_app.customers import custom_field_values, custom_fields, other_info
from customer_app.customers.duplicate import duplicate_customer
from customer_app.errors import PermissionDenied
from customer_app.records import notes, notifications


def test_a_duplicate_copies_everything_but_the_email_and_picture(session, staff, add):
    original = add(
        first_name="Ada", last_name="Lovelace", email="ada@example.com", phone="+14155550100", position="CEO"
    )
    copy = duplicate_customer(original.id, actor=staff, session=session)
    session.commit()
    assert copy.id != original.id
    assert (copy.first_name, copy.last_name, copy.phone, copy.position) == ("Ada", "Lovelace", "+14155550100", "CEO")
    assert copy.email is None
    assert copy.picture is None


def test_a_duplicate_keeps_other_info_custom_fields_and_switches_but_not_notes(
    session, admin, staff, staff_user, reader, add
):
    vip = other_info.add_group("VIP", actor=admin, session=session)
    tier = custom_fields.add_field(
        custom_fields.FieldDefinition("Tier", "choice", options="Gold\nSilver"), actor=admin, session=session
    )
    ada = add(first_name="Ada")
    other_info.save_other_info(
        ada.id,
        business_number="HRB 1",
        tags=["vip"],
        group_ids=[vip.id],
        sales_rep_id=staff_user.id,
        actor=staff,
        session=session,
    )
    custom_field_values.save_values(ada.id, {tier.id: "Gold"}, actor=staff, session=session)
    notifications.set_preference(ada.id, "newsletters", True, actor=staff, session=session)
    notes.add_note(ada.id, "Met at the fair", actor=staff, session=session)
    with pytest.raises(PermissionDenied):
        duplicate_customer(ada.id, actor=reader, session=session)
    copy = duplicate_customer(ada.id, actor=staff, session=session)
    session.commit()
    info = other_info.other_info(copy.id, actor=staff, session=session)
    assert (info.business_number, info.tags, info.group_ids, info.sales_rep_id) == (
        "",
        ["vip"],
        [vip.id],
        staff_user.id,
    )
    assert [v for _, v in custom_field_values.customer_values(copy.id, actor=staff, session=session)] == ["Gold"]
    assert notifications.preferences(copy.id, actor=staff, session=session)["newsletters"] is True
    assert notes.list_notes(copy.id, actor=staff, session=session) == []
    assert other_info.other_info(ada.id, actor=staff, session=session).business_number == "HRB 1"  # untouched
