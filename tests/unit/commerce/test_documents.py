"""Documents from a customer: a draft with the customer's addresses, lines and totals on the server, the no-rule block,
issuing with a gapless number, issued documents frozen, and a customer with documents kept from deletion."""

import threading
from datetime import date, timedelta
from decimal import Decimal

import pytest
from sqlmodel import Session, col, select

from customer_app.commerce import balances, customer_sales, documents, numbering, sending, taxes
from customer_app.commerce.models import Document, NumberSequence, TaxRate, TaxRule
from customer_app.core.models import OutboxMessage
from customer_app.customers.customers import purge_customers, trash_customers
from customer_app.errors import CustomerAppError, PermissionDenied, ValidationError
from customer_app.records import notifications
from customer_app.records.addresses import save_address


def standard_rate(session: Session, percent: str, country: str = "") -> None:
    """A rule for standard customers buying standard items (the workspace's own rate, set by an admin)."""
    rate = TaxRate(name=f"VAT {percent} %", percent=Decimal(percent))
    session.add(rate)
    session.flush()
    customer_class = taxes.standard_class("customer", session=session)
    item_class = taxes.standard_class("item", session=session)
    session.add(
        TaxRule(customer_class_id=customer_class.id, item_class_id=item_class.id, country=country, rate_id=rate.id)
    )
    session.commit()


def issued(session: Session, staff, customer_id: int, kind: str, line: tuple[str, str, str]) -> Document:
    """A document of `kind` with one line (description, quantity, unit price), issued."""
    draft = documents.new_draft(customer_id, kind, actor=staff, session=session)
    documents.add_line(draft.id, *line, actor=staff, session=session)
    return documents.issue(draft.id, actor=staff, session=session)


@pytest.fixture(autouse=True)
def clean_rules(session: Session):
    """Each test adds its own rate; the seeded zero-rate rules stay."""
    yield
    session.rollback()
    for rule in session.exec(select(TaxRule).where(col(TaxRule.rate_id) != 1)):
        session.delete(rule)
    session.flush()
    for rate in session.exec(select(TaxRate).where(col(TaxRate.id) != 1)):
        session.delete(rate)
    session.commit()


def test_a_draft_takes_the_customers_addresses_currency_and_language(session, staff, add):
    ada = add(first_name="Ada", email="ada@example.com", language="de")
    billing = {
        "kind": "billing",
        "street": "Unter den Linden 1",
        "city": "Berlin",
        "postal_code": "10117",
        "country_code": "DE",
        "is_default": True,
    }
    save_address(ada.id, billing, actor=staff, session=session)
    session.commit()
    draft = documents.new_draft(ada.id, "invoice", actor=staff, session=session)
    assert (draft.status, draft.number, draft.currency, draft.language) == ("draft", None, "EUR", "de")
    assert "Unter den Linden 1" in draft.billing_address
    assert draft.shipping_address == draft.billing_address  # no shipping address: billing goes there too
    assert draft.destination_country == "DE"


def test_lines_are_totalled_on_the_server_and_a_line_no_rule_covers_blocks_issuing(session, staff, add):
    ada = add(first_name="Ada", email="ada@example.com")
    draft = documents.new_draft(ada.id, "invoice", actor=staff, session=session)
    totals = documents.add_line(draft.id, "Consulting", "3", "100.00", actor=staff, session=session)
    assert totals.warnings == ["No tax rule covers “Consulting”: ask an admin to add one."]
    session.commit()
    with pytest.raises(CustomerAppError, match="No tax rule covers"):
        documents.issue(draft.id, actor=staff, session=session)
    session.rollback()
    standard_rate(session, "9.975")
    totals = documents.document_totals(draft.id, actor=staff, session=session)
    assert (totals.document.net_minor, totals.document.tax_minor, totals.document.gross_minor) == (30000, 2993, 32993)
    assert totals.warnings == []


def test_bad_line_values_are_refused_field_by_field_and_nothing_is_added(session, staff, add):
    ada = add(first_name="Ada", email="ada@example.com")
    draft = documents.new_draft(ada.id, "invoice", actor=staff, session=session)
    with pytest.raises(ValidationError) as caught:
        documents.add_line(draft.id, " ", "many", "1e9", "150", actor=staff, session=session)
    assert set(caught.value.errors) == {"description", "quantity", "unit_price", "discount"}
    assert documents.document_totals(draft.id, actor=staff, session=session).lines == []


def test_issuing_numbers_the_document_and_freezes_it(session, staff, add):
    standard_rate(session, "19")
    ada = add(first_name="Ada", email="ada@example.com")
    draft = documents.new_draft(ada.id, "invoice", actor=staff, session=session)
    documents.add_line(draft.id, "Consulting", "2", "50", actor=staff, session=session)
    issued = documents.issue(draft.id, actor=staff, session=session)
    session.commit()
    assert issued.status == "issued"
    assert issued.number.startswith(f"INV-{date.today().year}-")
    assert issued.gross_minor == 11900
    with pytest.raises(CustomerAppError, match="credit note"):
        documents.add_line(issued.id, "More", "1", "1", actor=staff, session=session)
    with pytest.raises(CustomerAppError, match="credit note"):
        documents.delete_draft(issued.id, actor=staff, session=session)
    session.rollback()
    rate = session.exec(select(TaxRate).where(col(TaxRate.id) != 1)).one()
    rate.percent = Decimal("21")  # a later rate never changes an issued document
    session.commit()
    frozen = documents.document_totals(issued.id, actor=staff, session=session)
    assert (frozen.document.gross_minor, frozen.lines[0].tax_rate) == (11900, Decimal("19"))


def test_read_only_staff_read_documents_but_do_not_write_them(session, staff, reader, add):
    ada = add(first_name="Ada", email="ada@example.com")
    draft = documents.new_draft(ada.id, "estimate", actor=staff, session=session)
    session.commit()
    assert [d.id for d in documents.documents_of(ada.id, actor=reader, session=session)] == [draft.id]
    with pytest.raises(PermissionDenied):
        documents.new_draft(ada.id, "invoice", actor=reader, session=session)
    with pytest.raises(PermissionDenied):
        documents.add_line(draft.id, "x", "1", "1", actor=reader, session=session)


def test_numbers_have_no_gaps_and_no_repeats_under_concurrent_issuers(engine, session):
    start = session.get(NumberSequence, "credit_note").next_value
    taken: list[str] = []

    def issuer() -> None:
        for _ in range(10):
            with Session(engine) as own:
                taken.append(numbering.take_number("credit_note", date(2026, 1, 1), session=own))
                own.commit()

    threads = [threading.Thread(target=issuer) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    numbers = sorted(int(n.rsplit("-", 1)[1]) for n in taken)
    assert numbers == list(range(start, start + 40))


def test_a_customer_with_documents_is_not_deleted_for_good(session, staff, admin, add):
    ada = add(first_name="Ada", email="ada@example.com")
    documents.new_draft(ada.id, "invoice", actor=staff, session=session)
    trash_customers([ada.id], actor=staff, session=session)
    session.commit()
    with pytest.raises(CustomerAppError, match="documents must be kept"):
        purge_customers([ada.id], actor=admin, session=session)
    session.rollback()
    assert session.exec(select(Document).where(col(Document.customer_id) == ada.id)).first() is not None


def test_admins_add_rates_and_rules_and_a_countrys_own_rule_wins(session, admin, staff, add):
    rate = taxes.add_rate("MwSt 19 %", "19", date(2020, 1, 1), actor=admin, session=session)
    reduced = taxes.add_rate("Any 10 %", "10", date(2020, 1, 1), actor=admin, session=session)
    customer_class = taxes.standard_class("customer", session=session)
    item_class = taxes.standard_class("item", session=session)
    taxes.add_rule(customer_class.id, item_class.id, "", reduced.id, actor=admin, session=session)
    taxes.add_rule(customer_class.id, item_class.id, "Deutschland", rate.id, actor=admin, session=session)
    session.commit()
    assert taxes.resolve_rate(customer_class.id, item_class.id, "DE", date.today(), session=session).id == rate.id
    assert taxes.resolve_rate(customer_class.id, item_class.id, "FR", date.today(), session=session).id == reduced.id
    assert taxes.resolve_rate(customer_class.id, item_class.id, "DE", date(2019, 1, 1), session=session) is None
    with pytest.raises(ValidationError) as caught:
        taxes.add_rate("", "150", date.today(), actor=admin, session=session)
    assert set(caught.value.errors) == {"rate_name", "percent"}
    with pytest.raises(ValidationError, match="country"):
        taxes.add_rule(customer_class.id, item_class.id, "Atlantis", rate.id, actor=admin, session=session)
    with pytest.raises(PermissionDenied):
        taxes.add_rate("x", "1", date.today(), actor=staff, session=session)


def test_a_customers_sales_settings_go_into_new_documents_and_reverse_charge_needs_a_vat_number(session, staff, add):
    ada = add(first_name="Ada", email="ada@example.com")
    reverse = next(c for c in taxes.classes("customer", session=session) if c.code == "reverse_charge")
    with pytest.raises(ValidationError) as caught:
        customer_sales.save_sales_settings(
            ada.id,
            currency="eu",
            tax_class_id=reverse.id,
            payment_terms_days="-3",
            exemption_reference="",
            actor=staff,
            session=session,
        )
    assert set(caught.value.errors) == {"currency", "tax_class", "payment_terms_days"}
    assert "VAT number" in caught.value.errors["tax_class"]
    exempt = next(c for c in taxes.classes("customer", session=session) if c.code == "exempt")
    customer_sales.save_sales_settings(
        ada.id,
        currency="usd",
        tax_class_id=exempt.id,
        payment_terms_days="30",
        exemption_reference="Charity 123",
        actor=staff,
        session=session,
    )
    draft = documents.new_draft(ada.id, "invoice", actor=staff, session=session)
    totals = documents.add_line(draft.id, "Donation receipt", "1", "100", actor=staff, session=session)
    assert (draft.currency, totals.warnings, draft.gross_minor) == ("USD", [], 10000)  # exempt: the 0 % rule
    issued = documents.issue(draft.id, actor=staff, session=session)
    assert issued.due_date == date.today() + timedelta(days=30)


def test_an_estimate_becomes_an_order_then_an_invoice_and_each_knows_the_other(session, staff, add):
    standard_rate(session, "19")
    ada = add(first_name="Ada", email="ada@example.com")
    estimate = issued(session, staff, ada.id, "estimate", ("Consulting", "2", "50"))
    order = documents.convert(estimate.id, "sales_order", actor=staff, session=session)
    assert (order.status, order.gross_minor, order.source_id) == ("draft", 11900, estimate.id)
    documents.issue(order.id, actor=staff, session=session)
    invoice = documents.convert(order.id, "invoice", actor=staff, session=session)
    source, made = documents.linked(order.id, actor=staff, session=session)
    assert (source.id, [d.id for d in made]) == (estimate.id, [invoice.id])
    with pytest.raises(CustomerAppError, match="cannot become"):
        documents.convert(order.id, "estimate", actor=staff, session=session)
    with pytest.raises(CustomerAppError, match="Issue the document first"):
        documents.convert(invoice.id, "invoice", actor=staff, session=session)


def test_voiding_an_invoice_issues_a_full_credit_note_and_cancels_it(session, staff, add):
    standard_rate(session, "19")
    ada = add(first_name="Ada", email="ada@example.com")
    invoice = issued(session, staff, ada.id, "invoice", ("Consulting", "2", "50"))
    credit = documents.void(invoice.id, actor=staff, session=session)
    session.commit()
    assert credit.kind == "credit_note"
    assert credit.number.startswith("CN-")
    assert (credit.net_minor, credit.tax_minor, credit.gross_minor) == (-10000, -1900, -11900)
    assert session.get(Document, invoice.id).status == "cancelled"


def test_a_sales_receipt_is_issued_and_paid_in_one_step(session, staff, add):
    standard_rate(session, "19")
    ada = add(first_name="Ada", email="ada@example.com")
    receipt = issued(session, staff, ada.id, "sales_receipt", ("Coffee beans", "2", "7.50"))
    session.commit()
    [entry] = balances.payments_of(ada.id, actor=staff, session=session)
    assert (entry.payment.amount_minor, entry.invoices, entry.unallocated_minor) == (1785, [receipt.number], 0)


def test_the_sales_list_filters_by_kind_and_status_and_finds_a_number(session, staff, add):
    standard_rate(session, "19")
    ada = add(first_name="Ada", email="ada@example.com")
    invoice = issued(session, staff, ada.id, "invoice", ("Consulting", "1", "10"))
    estimate = documents.new_draft(ada.id, "estimate", actor=staff, session=session)
    session.commit()

    def ids(**chosen) -> list[int]:
        return [d.id for d in documents.documents_of(ada.id, **chosen, actor=staff, session=session)]

    assert ids(kind="estimate") == [estimate.id]
    assert ids(status="issued") == [invoice.id]
    assert ids(number=invoice.number.rsplit("-", 1)[1].lower()) == [invoice.id]
    assert ids(number="%") == []  # a wildcard is a character like any other
    assert ids(kind="nonsense") == [estimate.id, invoice.id]  # unknown filters are ignored


def test_an_issued_document_is_e_mailed_in_its_language_with_its_pdf_and_counts_as_sent(session, staff, add):
    standard_rate(session, "19")
    ada = add(first_name="Ada", email="ada@example.com", language="de")
    invoice = documents.new_draft(ada.id, "invoice", actor=staff, session=session)
    documents.add_line(invoice.id, "Beratung", "1", "100", actor=staff, session=session)
    with pytest.raises(CustomerAppError, match="Issue the document"):
        sending.send_document(invoice.id, actor=staff, session=session)
    documents.issue(invoice.id, actor=staff, session=session)
    sent = sending.send_document(invoice.id, actor=staff, session=session)
    session.commit()
    [mail] = session.exec(select(OutboxMessage)).all()
    assert mail.subject.startswith(f"Rechnung {invoice.number}")
    assert "119,00" in mail.body
    assert (mail.attachment_name, mail.attachment[:5]) == (f"{invoice.number}.pdf", b"%PDF-")
    assert sent.status == "sent"


def test_a_customer_who_switched_invoice_mail_off_gets_none(session, staff, add):
    standard_rate(session, "19")
    ada = add(first_name="Ada", email="ada@example.com")
    notifications.set_preference(ada.id, "invoices", False, actor=staff, session=session)
    invoice = issued(session, staff, ada.id, "invoice", ("Work", "1", "100"))
    with pytest.raises(CustomerAppError, match="Notifications tab"):
        sending.send_document(invoice.id, actor=staff, session=session)


def test_changing_a_customers_currency_says_what_keeps_the_old_one(session, staff, add):
    standard_rate(session, "19")
    ada = add(first_name="Ada", email="ada@example.com")
    issued(session, staff, ada.id, "invoice", ("Consulting", "1", "100"))
    issued(session, staff, ada.id, "invoice", ("Travel", "1", "10"))
    standard = taxes.standard_class("customer", session=session)
    changed = customer_sales.save_sales_settings(
        ada.id,
        currency="USD",
        tax_class_id=standard.id,
        payment_terms_days="14",
        exemption_reference="",
        actor=staff,
        session=session,
    )
    assert changed.change_note == "2 open EUR invoices (€130.90) keep EUR; new documents use USD."
    assert documents.new_draft(ada.id, "invoice", actor=staff, session=session).currency == "USD"


def test_reading_a_draft_writes_nothing_and_editing_it_moves_its_version(session, staff, add):
    standard_rate(session, "19")
    ada = add(first_name="Ada")
    draft = documents.new_draft(ada.id, "invoice", actor=staff, session=session)
    documents.add_line(draft.id, "Free sample", "1", "0", actor=staff, session=session)
    version = documents.document_totals(draft.id, actor=staff, session=session).document.updated_at
    again = documents.document_totals(draft.id, actor=staff, session=session)
    assert again.document.updated_at == version  # a read keeps the PDF cache's key
    assert not [row for row in session.dirty if session.is_modified(row)]  # nothing to write

    line = again.lines[0]
    removed = documents.remove_line(line.id, actor=staff, session=session)  # totals stay 0.00, yet it changed
    assert removed.document.updated_at > version


def test_messages_name_each_kind_with_its_article():
    assert [documents.a_kind(k) for k in ("invoice", "estimate", "sales_order", "credit_note")] == [
        "an invoice",
        "an estimate",
        "a sales order",
        "a credit note",
    ]
