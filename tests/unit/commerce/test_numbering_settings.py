"""Admins shape document numbers (prefix with {year}, digits, next number); a number already given is never given
again; every bad field is named and nothing changes; only admins may."""

from datetime import date

import pytest
from sqlmodel import Session, select

from customer_app.admin.state.numbering_settings import NumberingSettingsState
from customer_app.commerce import numbering
from customer_app.commerce.models import NumberSequence
from customer_app.errors import PermissionDenied, ValidationError
from tests.unit.commerce.test_documents import clean_rules, issued, standard_rate  # noqa: F401  (clean_rules is autouse)
from tests.unit.reflex_helpers import run, toast

DAY = date(2026, 12, 4)


@pytest.fixture(autouse=True)
def kept_sequences(engine):
    """The seeded sequences as they were before the test, put back after it."""
    with Session(engine) as session:
        before = [row.model_dump() for row in session.exec(select(NumberSequence))]
    yield
    with Session(engine) as session:
        for values in before:
            session.merge(NumberSequence(**values))
        session.commit()


def save(session, actor, kind="invoice", prefix="INV-{year}-", padding="5", next_value="1"):
    return numbering.save_sequence(
        kind, prefix=prefix, padding=padding, next_value=next_value, actor=actor, session=session, on=DAY
    )


def test_an_admin_shapes_the_next_invoice_number(session, admin):
    shown = {row.kind: row for row in numbering.sequences(actor=admin, session=session, on=DAY)}
    assert list(shown) == ["estimate", "sales_order", "sales_receipt", "invoice", "credit_note"]
    saved = save(session, admin, prefix=" R{year}/ ", padding="4", next_value="120")
    assert (saved.prefix, saved.next_number) == ("R{year}/", "R2026/0120")
    assert numbering.take_number("invoice", DAY, session=session) == "R2026/0120"
    assert numbering.take_number("invoice", DAY, session=session) == "R2026/0121"


def test_a_number_already_given_is_refused_and_nothing_changes(session, admin, staff, add):
    standard_rate(session, "19")
    ada = add(first_name="Ada")
    first = issued(session, staff, ada.id, "invoice", ("Work", "1", "10"))
    second = issued(session, staff, ada.id, "invoice", ("Work", "1", "10"))
    prefix = first.number[:-5]
    before = session.get(NumberSequence, "invoice").next_value
    with pytest.raises(ValidationError) as refused:
        numbering.save_sequence("invoice", prefix=prefix, padding="5", next_value="1", actor=admin, session=session)
    highest = int(second.number[-5:])
    assert refused.value.errors == {"next_value": f"{second.number} has been given already: start above {highest}."}
    assert session.get(NumberSequence, "invoice").next_value == before


def test_each_bad_field_is_named(session, admin):
    with pytest.raises(ValidationError) as refused:
        save(session, admin, prefix="<b>", padding="12", next_value="-3")
    assert set(refused.value.errors) == {"prefix", "padding", "next_value"}
    with pytest.raises(ValidationError):
        save(session, admin, prefix="X" * 21)


def test_staff_who_are_not_admins_may_not_change_numbers(session, staff):
    with pytest.raises(PermissionDenied):
        save(session, staff, prefix="HACK-")
    with pytest.raises(PermissionDenied):
        numbering.sequences(actor=staff, session=session)


def test_the_settings_section_saves_one_kind_and_keeps_errors_with_it(new_tab, admin_user, staff_user):
    state = new_tab(admin_user).get_substate(NumberingSettingsState._get_substate_path())
    run(state.on_load())
    assert [line.kind for line in state.sequences][:1] == ["estimate"]
    result = run(state.save({"kind": "estimate", "prefix": "EST-", "padding": "0", "next_value": "7"}))
    assert (state.editing, state.errors["padding"]) == ("estimate", "Give the digits as a whole number from 1 to 10.")
    result = run(state.save({"kind": "estimate", "prefix": "EST-", "padding": "3", "next_value": "7"}))
    assert toast(result) == ("success", "Document numbers saved.")
    assert next(line.next_number for line in state.sequences if line.kind == "estimate") == "EST-007"

    other = new_tab(staff_user).get_substate(NumberingSettingsState._get_substate_path())
    assert toast(run(other.save({"kind": "estimate", "prefix": "X-", "padding": "3", "next_value": "1"})))[0] == "error"
    run(state.on_load())
    assert next(line.prefix for line in state.sequences if line.kind == "estimate") == "EST-"
