"""The Invoices and Payments tabs' handlers: a payment recorded from the pop-up with its errors kept there, the
filter read again, the Payments tab's balance per currency, and read-only staff refused."""

from sqlmodel import func, select

from customer_app.commerce.models import Payment
from customer_app.commerce.state.invoices import CustomerInvoicesState, InvoiceRow
from customer_app.commerce.state.payments import CustomerPaymentsState
from tests.unit.commerce.test_documents import clean_rules, standard_rate  # noqa: F401  (clean_rules is autouse)
from tests.unit.commerce.test_payments import issued_invoice
from tests.unit.reflex_helpers import run, toast


def tab(new_tab, user, state_class, customer_id: int):
    state = new_tab(user).get_substate(state_class._get_substate_path())
    state.customer_id = customer_id
    return state


def test_a_payment_is_recorded_from_the_pop_up_and_the_invoice_leaves_the_open_filter(
    new_tab, staff_user, session, staff, add
):
    standard_rate(session, "19")
    ada = add(first_name="Ada")
    invoice = issued_invoice(session, staff, ada.id)
    state = tab(new_tab, staff_user, CustomerInvoicesState, ada.id)
    run(state._reload())
    assert [(r.number, r.balance, r.status_label) for r in state.rows] == [(invoice.number, "€119.00", "Open")]
    state.open_payment(str(invoice.id))
    assert (state.pay_open, state.values["amount"]) == (True, "119.00")
    form = {"paid_on": state.values["paid_on"], "method": "card", "amount": "200", "reference": "R1"}
    run(state.record_payment(form))
    assert state.pay_open
    assert state.errors == {"allocations": f"{invoice.number} has €119.00 left to pay: allocate at most that."}
    run(state.record_payment(form | {"amount": "19"}))
    assert not state.pay_open
    assert [(r.paid, r.balance, r.status_label) for r in state.rows] == [("€19.00", "€100.00", "Partially paid")]
    run(state.record_payment(form | {"amount": "100"}))
    assert state.rows == []  # paid: not open any more
    run(state.set_invoice_filter("paid"))
    assert [r.status_label for r in state.rows] == ["Paid"]
    run(state.set_invoice_filter("<anything>"))
    assert state.invoice_filter == "open"

    payments_tab = tab(new_tab, staff_user, CustomerPaymentsState, ada.id)
    run(payments_tab._reload())
    assert [(r.amount, r.method, r.invoices) for r in payments_tab.rows] == [
        ("€100.00", "Card", invoice.number),
        ("€19.00", "Card", invoice.number),
    ]
    assert (payments_tab.owed, payments_tab.terms_days) == ([], 14)


def test_read_only_staff_see_invoices_but_cannot_record_payments(new_tab, reader_user, session, staff, add):
    standard_rate(session, "19")
    ada = add(first_name="Ada")
    invoice = issued_invoice(session, staff, ada.id)
    state = tab(new_tab, reader_user, CustomerInvoicesState, ada.id)
    run(state._reload())
    state.open_payment(str(invoice.id))
    result = run(state.record_payment({"paid_on": "2026-01-01", "method": "cash", "amount": "1", "reference": ""}))
    assert toast(result)[0] == "error"
    assert [r.balance for r in state.rows] == ["€119.00"]


def test_a_refund_is_recorded_from_its_pop_up_and_the_invoice_moves_to_refunded(
    new_tab, staff_user, session, staff, add
):
    standard_rate(session, "19")
    ada = add(first_name="Ada")
    invoice = issued_invoice(session, staff, ada.id)
    state = tab(new_tab, staff_user, CustomerInvoicesState, ada.id)
    run(state._reload())
    state.open_refund(str(invoice.id))
    assert not state.refund_open  # nothing paid yet: nothing to refund
    state.open_payment(str(invoice.id))
    run(state.record_payment({"paid_on": state.values["paid_on"], "method": "card", "amount": "119", "reference": ""}))
    run(state.set_invoice_filter("all"))
    state.open_refund(str(invoice.id))
    assert (state.refund_open, state.values["amount"]) == (True, "119.00")
    form = {"paid_on": state.values["paid_on"], "method": "card", "amount": "500", "reference": "back"}
    run(state.record_refund(form))
    assert state.refund_open
    assert state.errors == {"amount": f"{invoice.number} has been paid €119.00: refund at most that."}
    run(state.record_refund(form | {"amount": "119"}))
    assert not state.refund_open
    assert [(r.paid, r.status_label, r.paid_text) for r in state.rows] == [("€0.00", "Refunded", "")]


def test_read_only_staff_cannot_record_refunds(new_tab, reader_user, session, staff, add):
    standard_rate(session, "19")
    ada = add(first_name="Ada")
    invoice = issued_invoice(session, staff, ada.id)
    payments_made = session.exec(select(func.count()).select_from(Payment)).one()
    state = tab(new_tab, reader_user, CustomerInvoicesState, ada.id)
    state.paying = InvoiceRow(id=str(invoice.id), number=invoice.number, currency="EUR")
    result = run(state.record_refund({"paid_on": "2026-01-01", "method": "cash", "amount": "1", "reference": ""}))
    assert toast(result)[0] == "error"
    assert session.exec(select(func.count()).select_from(Payment)).one() == payments_made
