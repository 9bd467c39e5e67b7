"""The document editor's and the Shipping and Payments tabs' handlers: a line edited as typed with its total following,
a bad value's message kept on its line and field, lines moved, the Shipping tab saved, the default income account
chosen, and read-only staff refused."""

import pytest

from customer_app.commerce import documents
from customer_app.commerce.state.payments import CustomerPaymentsState
from customer_app.commerce.state.sales import CustomerSalesState
from customer_app.commerce.state.shipping import AUTOMATIC, CustomerShippingState
from tests.unit.commerce.sales_lists import restore_seeds
from tests.unit.commerce.test_documents import clean_rules, standard_rate  # noqa: F401  (clean_rules is autouse)
from tests.unit.commerce.test_payments_state import tab
from tests.unit.reflex_helpers import run, toast


@pytest.fixture(autouse=True)
def seeded_lists(session):
    """The seeded methods and accounts stay as the migration made them."""
    yield
    restore_seeds(session)


def test_a_line_is_edited_as_typed_and_a_bad_value_keeps_its_message_on_its_field(
    new_tab, staff_user, session, staff, add
):
    standard_rate(session, "20")
    ada = add(first_name="Ada")
    draft = documents.new_draft(ada.id, "invoice", actor=staff, session=session)
    documents.add_line(draft.id, "Consulting", "3", "100", actor=staff, session=session)
    documents.add_line(draft.id, "Travel", "1", "40", actor=staff, session=session)
    session.commit()
    state = tab(new_tab, staff_user, CustomerSalesState, ada.id)
    run(state.open_document(str(draft.id)))
    first, second = (line.id for line in state.editor.lines)
    assert [c.label for c in state.item_classes] == ["Reduced", "Standard", "Zero"]

    run(state.edit_line(first, "quantity", "4"))
    assert (state.editor.lines[0].net, state.editor.gross) == ("€400.00", "€528.00")
    run(state.edit_line(second, "unit_price", "forty"))
    assert state.line_errors == {f"{second}:unit_price": "Unit price: enter a number like 12.500000."}
    assert state.editor.gross == "€528.00"  # nothing changed
    run(state.edit_line(second, "unit_price", "50"))
    assert (state.line_errors, state.editor.gross) == ({}, "€540.00")
    run(state.edit_line(second, "position", "0"))  # not a field of a line: ignored
    run(state.move_line(second, -1))
    assert [line.description for line in state.editor.lines] == ["Travel", "Consulting"]
    form = {"billing_address": "Ada\nRing 1", "shipping_address": "", "destination_country": "", "shipping_method": "2"}
    run(state.save_delivery(form))
    assert (state.editor.billing_address, state.editor.shipping_method, state.method_choice) == (
        "Ada\nRing 1",
        "Courier",
        "2",
    )
    run(state.issue())
    result = run(state.edit_line(first, "quantity", "9"))
    assert toast(result) == ("error", "An issued document is not changed: correct it with a credit note.")


def test_the_shipping_tab_saves_and_read_only_staff_cannot(new_tab, staff_user, reader_user, session, add):
    ada = add(first_name="Ada")
    state = tab(new_tab, staff_user, CustomerShippingState, ada.id)
    run(state._reload())
    assert (state.addresses, state.address_label, [m.label for m in state.methods]) == (
        [],
        AUTOMATIC,
        ["Courier", "Pickup by customer", "Standard post"],
    )
    run(state.save({"address": "", "method": "3", "instructions": "x" * 501}))
    assert list(state.errors) == ["instructions"]
    run(state.save({"address": "", "method": "3", "instructions": "Leave at the gate"}))
    assert (state.errors, state.method_label, state.instructions) == ({}, "Pickup by customer", "Leave at the gate")
    reader = tab(new_tab, reader_user, CustomerShippingState, ada.id)
    run(reader._reload())
    assert reader.method_label == "Pickup by customer"
    assert toast(run(reader.save({"address": "", "method": "1", "instructions": ""})))[0] == "error"
    run(reader._reload())
    assert reader.method_label == "Pickup by customer"


def test_the_payments_tab_chooses_the_default_income_account(new_tab, staff_user, reader_user, session, add):
    ada = add(first_name="Ada")
    state = tab(new_tab, staff_user, CustomerPaymentsState, ada.id)
    run(state._reload())
    assert (state.income_account, [a.label for a in state.accounts]) == (
        "",
        ["4000 Sales of goods", "4400 Services", "4900 Other income"],
    )
    run(state.set_income_account("2"))
    assert (state.income_account, state.income_account_label) == ("2", "4400 Services")
    reader = tab(new_tab, reader_user, CustomerPaymentsState, ada.id)
    assert toast(run(reader.set_income_account("1")))[0] == "error"
    run(reader._reload())
    assert reader.income_account_label == "4400 Services"
