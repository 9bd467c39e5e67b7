"""The portal's document sections: the customer's issued documents only, in its sections, and an estimate's answer."""

from dataclasses import replace
from datetime import date

import pytest
from starlette.testclient import TestClient

from customer_app.api import api
from customer_app.commerce import customer_sales, payments, taxes
from customer_app.commerce import documents as staff_documents
from customer_app.errors import CustomerAppError, NotFoundError, PortalDenied
from customer_app.portal import documents, sections, sign_in
from tests.unit.portal.portal_world import PORTAL_PASSWORD, registered


@pytest.fixture
def scope(session, staff, add):
    ada = add(first_name="Ada", email="ada@example.com")
    registered(session, ada.id, actor=staff)
    sections.set_sections(ada.id, ["invoices", "estimates"], actor=staff, session=session)
    session.commit()
    token = sign_in.sign_in("ada@example.com", PORTAL_PASSWORD, address="1", session=session)
    session.commit()
    return sign_in.resolve(token, session=session)


def test_only_the_customers_issued_documents_of_the_section_show(session, staff, add, scope):
    exempt_issue = _exempt(session, staff, scope.customer_id)
    bob = add(first_name="Bob", email="bob@example.com")
    _exempt(session, staff, bob.id)
    staff_documents.new_draft(scope.customer_id, "invoice", actor=staff, session=session)  # a draft: not shown
    session.commit()
    shown = documents.my_documents("invoices", scope=scope, session=session)
    assert [d.id for d in shown] == [exempt_issue.id]
    with pytest.raises(PortalDenied):
        documents.my_documents("sales_orders", scope=scope, session=session)


def test_an_estimate_is_answered_once_and_only_the_customers_own(session, staff, add, scope):
    estimate = _exempt(session, staff, scope.customer_id, kind="estimate")
    bob = add(first_name="Bob", email="bob@example.com")
    theirs = _exempt(session, staff, bob.id, kind="estimate")
    session.commit()
    with pytest.raises(NotFoundError):
        documents.answer_estimate(theirs.id, True, scope=scope, session=session)
    assert documents.answer_estimate(estimate.id, True, scope=scope, session=session).status == "accepted"
    with pytest.raises(CustomerAppError, match="answered already"):
        documents.answer_estimate(estimate.id, False, scope=scope, session=session)
    order = staff_documents.convert(estimate.id, "sales_order", actor=staff, session=session)  # accepted: go on
    assert order.source_id == estimate.id


def _exempt(session, staff, customer_id: int, kind: str = "invoice"):
    """An issued document of an exempt customer (the seeded 0 % rule covers it)."""
    exempt = next(c for c in taxes.classes("customer", session=session) if c.code == "exempt")
    customer_sales.save_sales_settings(
        customer_id,
        currency="EUR",
        tax_class_id=exempt.id,
        payment_terms_days="14",
        exemption_reference="",
        actor=staff,
        session=session,
    )
    draft = staff_documents.new_draft(customer_id, kind, actor=staff, session=session)
    staff_documents.add_line(draft.id, "Work", "1", "100", actor=staff, session=session)
    return staff_documents.issue(draft.id, actor=staff, session=session)


def test_the_customer_sees_what_is_left_to_pay_on_each_invoice(session, staff, scope):
    invoice = _exempt(session, staff, scope.customer_id)
    payments.record_payment(
        scope.customer_id,
        paid_on=date.today(),
        method="bank_transfer",
        amount_text="40",
        currency="EUR",
        allocations={invoice.id: "40"},
        actor=staff,
        session=session,
    )
    session.commit()
    found = documents.my_documents("invoices", scope=scope, session=session)
    assert documents.payment_states(found, scope=scope, session=session) == {invoice.id: ("partially_paid", 6000)}


def test_the_payments_section_lists_the_customers_own_payments_only(session, staff, add, scope):
    sections.set_sections(scope.customer_id, ["invoices", "payments"], actor=staff, session=session)
    invoice = _exempt(session, staff, scope.customer_id)
    payments.record_payment(
        scope.customer_id,
        paid_on=date.today(),
        method="card",
        amount_text="100",
        currency="EUR",
        allocations={invoice.id: "100"},
        actor=staff,
        session=session,
    )
    bob = add(first_name="Bob", email="bob@example.com")
    payments.record_payment(
        bob.id, paid_on=date.today(), method="cash", amount_text="5", currency="EUR", actor=staff, session=session
    )
    session.commit()
    [(payment, numbers)] = documents.my_payments(scope=_rescoped(session, scope), session=session)
    assert (payment.amount_minor, payment.method, numbers) == (10000, "card", [invoice.number])


def _rescoped(session, scope):
    """The same person's scope after staff changed the customer's sections."""
    return replace(scope, sections=sections.usable_sections(scope.customer_id, session=session))


def test_a_documents_pdf_is_given_only_for_the_customers_own_issued_documents_in_its_sections(
    session, staff, add, scope
):
    invoice = _exempt(session, staff, scope.customer_id)
    draft = staff_documents.new_draft(scope.customer_id, "invoice", actor=staff, session=session)
    bob = add(first_name="Bob", email="bob@example.com")
    theirs = _exempt(session, staff, bob.id)
    order = _exempt(session, staff, scope.customer_id, kind="sales_order")
    session.commit()
    name, data = documents.my_pdf(invoice.id, scope=scope, session=session)
    assert (name, data[:5]) == (f"invoice-{invoice.number}.pdf", b"%PDF-")
    for other in (theirs.id, draft.id, 999_999):
        with pytest.raises(NotFoundError):
            documents.my_pdf(other, scope=scope, session=session)
    with pytest.raises(PortalDenied):  # sales orders are not among Ada's sections
        documents.my_pdf(order.id, scope=scope, session=session)


def test_the_pdf_route_answers_only_the_browser_of_a_portal_session(app_db, session, staff, scope):
    invoice = _exempt(session, staff, scope.customer_id)
    session.commit()
    token = sign_in.sign_in("ada@example.com", PORTAL_PASSWORD, address="1", session=session)
    session.commit()
    client = TestClient(api)
    path = documents.PDF_PATH + str(invoice.id)
    answer = client.post(path, data={"session": token})
    assert (answer.status_code, answer.headers["content-type"], answer.content[:5]) == (
        200,
        "application/pdf",
        b"%PDF-",
    )
    assert client.post(path, data={"session": "stolen-or-staff-token"}).status_code == 401
    assert client.get(path).status_code == 405  # a plain link carries no session
