"""Payments allocated to invoices: partial then full payment, overdue derived from the due date, refusals that store
nothing, balances kept per currency, read-only staff reading, and refunds."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from sqlmodel import Session, func, select

from customer_app.commerce import balances, documents, draft_edits, open_balances, payments
from customer_app.commerce.models import CustomerSales, Document, Payment, PaymentAllocation
from customer_app.core.models import AuditEvent
from customer_app.errors import CustomerAppError, PermissionDenied, ValidationError
from tests.unit.commerce.test_documents import clean_rules, standard_rate  # noqa: F401  (clean_rules is autouse)


def issued_invoice(session: Session, actor, customer_id: int, price: str = "100") -> Document:
    """An issued invoice of one line at `price` plus 19 %."""
    draft = documents.new_draft(customer_id, "invoice", actor=actor, session=session)
    documents.add_line(draft.id, "Consulting", "1", price, actor=actor, session=session)
    invoice = documents.issue(draft.id, actor=actor, session=session)
    session.commit()
    return invoice


@pytest.fixture
def ada(session, add):
    standard_rate(session, "19")
    return add(first_name="Ada", email="ada@example.com")


def attempt(session, actor, customer_id, amount, allocations=None, **more):
    """Record a payment (EUR, by bank transfer, today unless given)."""
    fields = {"paid_on": date.today(), "method": "bank_transfer", "currency": "EUR"} | more
    return payments.record_payment(
        customer_id, amount_text=amount, allocations=allocations, **fields, actor=actor, session=session
    )


def pay(session, actor, customer_id, amount, allocations=None, **more):
    payment = attempt(session, actor, customer_id, amount, allocations, **more)
    session.commit()
    return payment


def refund(session, actor, document_id, amount, reference=""):
    """Record a refund by bank transfer today."""
    return payments.record_refund(
        document_id,
        paid_on=date.today(),
        method="bank_transfer",
        amount_text=amount,
        reference=reference,
        actor=actor,
        session=session,
    )


def stored(session: Session) -> tuple[int, int]:
    return (
        session.exec(select(func.count()).select_from(Payment)).one(),
        session.exec(select(func.count()).select_from(PaymentAllocation)).one(),
    )


def test_a_partial_then_a_full_payment_moves_the_invoice_from_open_to_paid(session, staff, ada):
    invoice = issued_invoice(session, staff, ada.id)
    assert invoice.gross_minor == 11900
    figures = balances.balance_of(invoice.id, actor=staff, session=session)
    assert (figures.paid_minor, figures.balance_minor, figures.status) == (0, 11900, "open")

    pay(session, staff, ada.id, "50,00", {invoice.id: "50,00"}, reference="Bank ref 1")
    figures = balances.balance_of(invoice.id, actor=staff, session=session)
    assert (figures.paid_minor, figures.balance_minor, figures.status) == (5000, 6900, "partially_paid")
    assert [row.document.id for row in balances.invoices(ada.id, "open", actor=staff, session=session)] == [invoice.id]

    pay(session, staff, ada.id, "69.00", {str(invoice.id): "69.00"})  # ids from a form arrive as text
    figures = balances.balance_of(invoice.id, actor=staff, session=session)
    assert (figures.paid_minor, figures.balance_minor, figures.status) == (11900, 0, "paid")
    assert balances.invoices(ada.id, "open", actor=staff, session=session) == []
    assert [row.status for row in balances.invoices(ada.id, "paid", actor=staff, session=session)] == ["paid"]
    assert balances.customer_balance(ada.id, actor=staff, session=session) == {}
    actions = session.exec(select(AuditEvent.action).where(AuditEvent.action == "payment_add")).all()
    assert len(actions) == 2


def test_overdue_is_derived_from_the_due_date_and_never_stored(session, staff, ada):
    invoice = issued_invoice(session, staff, ada.id)
    due = invoice.due_date
    assert due == date.today() + timedelta(days=14)
    on_due_day = balances.balance_of(invoice.id, actor=staff, session=session, today=due)
    day_after = balances.balance_of(invoice.id, actor=staff, session=session, today=due + timedelta(days=1))
    assert (on_due_day.status, day_after.status) == ("open", "overdue")
    assert session.get(Document, invoice.id).status == "issued"  # nothing stored
    later = due + timedelta(days=1)
    assert [row.status for row in balances.invoices(ada.id, "open", actor=staff, session=session, today=later)] == [
        "overdue"
    ]
    pay(session, staff, ada.id, "119", {invoice.id: "119"})
    assert balances.balance_of(invoice.id, actor=staff, session=session, today=later).status == "paid"


def test_allocating_more_than_the_balance_is_refused_and_nothing_is_stored(session, staff, ada):
    invoice = issued_invoice(session, staff, ada.id)
    with pytest.raises(ValidationError) as refused:
        attempt(session, staff, ada.id, "200", {invoice.id: "119.01"}, method="card")
    assert refused.value.errors["allocations"] == f"{invoice.number} has €119.00 left to pay: allocate at most that."
    session.rollback()
    with pytest.raises(ValidationError) as over:
        attempt(session, staff, ada.id, "10", {invoice.id: "20"}, method="card")
    assert over.value.errors == {"allocations": "The amounts allocated add up to more than the payment."}
    session.rollback()
    assert stored(session) == (0, 0)


def test_each_bad_field_is_named_and_nothing_is_stored(session, staff, ada):
    with pytest.raises(ValidationError) as refused:
        attempt(session, staff, ada.id, "-5", paid_on="2999-01-01", method="barter", reference="x" * 121)
    assert set(refused.value.errors) == {"paid_on", "method", "reference", "amount"}
    assert "above zero" in refused.value.errors["amount"]
    with pytest.raises(ValidationError) as typed:
        attempt(session, staff, ada.id, "1,234", paid_on="yesterday", method="cash")
    assert set(typed.value.errors) == {"paid_on", "amount"}
    session.rollback()
    assert stored(session) == (0, 0)


def test_a_payment_in_another_currency_without_a_valid_rate_is_refused_and_stores_nothing(session, staff, ada):
    invoice = issued_invoice(session, staff, ada.id)
    for typed in ("", "0", "-1.1", "abc", "1,234.5"):
        with pytest.raises(ValidationError) as refused:
            attempt(session, staff, ada.id, "100", {invoice.id: "100"}, currency="USD", exchange_rate=typed)
        assert refused.value.errors["exchange_rate"] == (
            "A payment in USD for EUR needs its exchange rate: how many USD one EUR was, like 1.1172."
        )
    with pytest.raises(ValidationError) as as_credit:
        attempt(session, staff, ada.id, "100", currency="CHF")
    assert "exchange_rate" in as_credit.value.errors
    with pytest.raises(ValidationError) as unknown:
        attempt(session, staff, ada.id, "100", currency="XYZ", exchange_rate="1.1")
    assert "currency" in unknown.value.errors
    session.rollback()
    assert stored(session) == (0, 0)


def test_a_payment_in_another_currency_settles_the_invoice_in_its_currency_at_the_rate_given(session, staff, ada):
    invoice = issued_invoice(session, staff, ada.id)  # 119.00 EUR
    payment = pay(session, staff, ada.id, "100", {invoice.id: "100"}, currency="USD", exchange_rate="1,1172")
    # 100 USD / 1.1172 = 89.5094... EUR, rounded half-up to the cent
    assert (payment.currency, payment.amount_minor, payment.exchange_rate) == ("USD", 10000, Decimal("1.1172"))
    part = session.exec(select(PaymentAllocation)).one()
    assert (part.amount_minor, part.payment_amount_minor) == (8951, 10000)
    figures = balances.balance_of(invoice.id, actor=staff, session=session)
    assert (figures.paid_minor, figures.balance_minor, figures.status) == (8951, 2949, "partially_paid")
    assert balances.payments_of(ada.id, actor=staff, session=session)[0].unallocated_minor == 0

    with pytest.raises(ValidationError) as too_much:  # 33 USD is 29.54 EUR, more than the 29.49 left
        attempt(session, staff, ada.id, "33", {invoice.id: "33"}, currency="USD", exchange_rate="1.1172")
    assert too_much.value.errors["allocations"] == f"{invoice.number} has €29.49 left to pay: allocate at most that."
    session.rollback()
    pay(session, staff, ada.id, "40", {invoice.id: "32.95"}, currency="USD", exchange_rate="1.1172")
    figures = balances.balance_of(invoice.id, actor=staff, session=session)
    assert (figures.balance_minor, figures.status) == (0, "paid")
    assert balances.customer_credit(ada.id, actor=staff, session=session) == {"USD": 705}  # what was not allocated


def test_what_is_not_allocated_stays_as_credit(session, staff, ada):
    invoice = issued_invoice(session, staff, ada.id)
    pay(session, staff, ada.id, "150", {invoice.id: "119"})
    pay(session, staff, ada.id, "20")
    assert balances.customer_credit(ada.id, actor=staff, session=session) == {"EUR": 5100}
    entries = balances.payments_of(ada.id, actor=staff, session=session)
    assert [(e.invoices, e.unallocated_minor) for e in entries] == [([], 2000), ([invoice.number], 3100)]


def test_balances_are_kept_per_currency_and_never_added_up(session, staff, ada):
    euro = issued_invoice(session, staff, ada.id)
    session.add(CustomerSales(customer_id=ada.id, currency="JPY"))
    session.commit()
    yen = issued_invoice(session, staff, ada.id, price="1000")
    assert (euro.currency, yen.currency) == ("EUR", "JPY")
    pay(session, staff, ada.id, "500", {yen.id: "500"}, currency="JPY")
    assert balances.customer_balance(ada.id, actor=staff, session=session) == {"EUR": 11900, "JPY": 690}
    with pytest.raises(ValidationError) as mixed:
        attempt(session, staff, ada.id, "10", {euro.id: "5", yen.id: "5"})
    assert mixed.value.errors["allocations"] == "Allocate one payment only to invoices in one currency."


def test_read_only_staff_read_payments_but_do_not_record_them(session, staff, reader, ada):
    invoice = issued_invoice(session, staff, ada.id)
    pay(session, staff, ada.id, "19", {invoice.id: "19"})
    assert balances.balance_of(invoice.id, actor=reader, session=session).paid_minor == 1900
    assert len(balances.payments_of(ada.id, actor=reader, session=session)) == 1
    assert balances.customer_balance(ada.id, actor=reader, session=session) == {"EUR": 10000}
    with pytest.raises(PermissionDenied):
        attempt(session, reader, ada.id, "1")
    with pytest.raises(PermissionDenied):
        refund(session, reader, invoice.id, "1")
    session.rollback()
    assert stored(session) == (1, 1)


def test_another_customers_invoice_or_a_draft_cannot_be_allocated(session, staff, ada, add):
    grace = add(first_name="Grace", email="grace@example.com")
    theirs = issued_invoice(session, staff, grace.id)
    draft = documents.new_draft(ada.id, "invoice", actor=staff, session=session)
    session.commit()
    for document_id, message in (
        (theirs.id, "Allocate a payment only to this customer's invoices."),
        (draft.id, "A draft is not open for payment: only issued invoices are."),
        (987654, "Allocate a payment only to this customer's invoices."),
    ):
        with pytest.raises(ValidationError) as refused:
            attempt(session, staff, ada.id, "1", {document_id: "1"})
        assert refused.value.errors["allocations"] == message
        session.rollback()
    assert stored(session) == (0, 0)


def test_a_refund_returns_what_was_paid_and_the_invoice_shows_as_refunded(session, staff, ada):
    invoice = issued_invoice(session, staff, ada.id)
    with pytest.raises(ValidationError) as nothing_paid:
        refund(session, staff, invoice.id, "1")
    assert nothing_paid.value.errors["amount"] == f"{invoice.number} has been paid €0.00: refund at most that."
    session.rollback()
    pay(session, staff, ada.id, "119", {invoice.id: "119"})

    refund(session, staff, invoice.id, "19")
    session.commit()
    partly = balances.balance_of(invoice.id, actor=staff, session=session)
    assert (partly.paid_minor, partly.refunded_minor, partly.balance_minor, partly.status) == (10000, 1900, 0, "paid")

    refund(session, staff, invoice.id, "100", "Returned")
    session.commit()
    back = balances.balance_of(invoice.id, actor=staff, session=session)
    assert (back.paid_minor, back.refunded_minor, back.balance_minor, back.status) == (0, 11900, 0, "refunded")
    assert [row.document.id for row in balances.invoices(ada.id, "refunded", actor=staff, session=session)] == [
        invoice.id
    ]
    assert balances.invoices(ada.id, "paid", actor=staff, session=session) == []
    assert len(balances.invoices(ada.id, "all", actor=staff, session=session)) == 1
    assert [e.payment.kind for e in balances.payments_of(ada.id, actor=staff, session=session)] == [
        "refund",
        "refund",
        "payment",
    ]
    with pytest.raises(CustomerAppError):
        refund(session, staff, 987654, "1")


def credit_part(session, actor, invoice: Document, price: str) -> Document:
    """A credit note for `invoice` taking back one unit at `price` (plus its tax), issued."""
    draft = documents.credit_note_for(invoice.id, actor=actor, session=session)
    line = documents.document_totals(draft.id, actor=actor, session=session).lines[0]
    draft_edits.update_line(line.id, {"unit_price": price}, actor=actor, session=session)
    credit = documents.issue(draft.id, actor=actor, session=session)
    session.commit()
    return credit


def test_a_credit_note_takes_its_amount_off_what_the_invoice_still_owes(session, staff, ada):
    invoice = issued_invoice(session, staff, ada.id)  # €119.00
    credit_part(session, staff, invoice, "30")  # takes back €35.70
    found = balances.balance_of(invoice.id, actor=staff, session=session)
    assert (found.balance_minor, found.status) == (8330, "open")
    assert open_balances.kept([ada.id], session) == {ada.id: {"EUR": 8330}}
    with pytest.raises(ValidationError):  # only what is left can be paid
        attempt(session, staff, ada.id, "119", {invoice.id: "119"})
    session.rollback()
    pay(session, staff, ada.id, "83.30", {invoice.id: "83.30"})
    assert balances.balance_of(invoice.id, actor=staff, session=session).status == "paid"
    assert open_balances.kept([ada.id], session) == {}


def test_crediting_all_of_an_unpaid_invoice_shows_it_credited(session, staff, ada):
    invoice = issued_invoice(session, staff, ada.id)
    credit_part(session, staff, invoice, "100")
    found = balances.balance_of(invoice.id, actor=staff, session=session)
    assert (found.balance_minor, found.status) == (0, "credited")
    assert [row.document.id for row in balances.invoices(ada.id, "paid", actor=staff, session=session)] == [invoice.id]
    assert balances.invoices(ada.id, "open", actor=staff, session=session) == []


def test_a_credit_note_on_a_paid_invoice_is_owed_back_until_refunded(session, staff, ada):
    invoice = issued_invoice(session, staff, ada.id)
    pay(session, staff, ada.id, "119", {invoice.id: "119"})
    credit_part(session, staff, invoice, "30")
    found = balances.balance_of(invoice.id, actor=staff, session=session)
    assert (found.balance_minor, found.status) == (-3570, "paid")  # €35.70 is owed to the customer
    refund(session, staff, invoice.id, "35.70")
    session.commit()
    found = balances.balance_of(invoice.id, actor=staff, session=session)
    assert (found.balance_minor, found.paid_minor, found.status) == (0, 8330, "paid")
    assert open_balances.kept([ada.id], session) == {}
