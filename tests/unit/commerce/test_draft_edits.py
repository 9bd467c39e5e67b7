"""Editing a draft in place: a line's fields with totals recalculated, a bad value refused field by field with the
line kept as it was, lines reordered, addresses and shipping changed; issued documents refuse every edit."""

from decimal import Decimal

import pytest
from sqlmodel import Session, col, select

from customer_app.commerce import documents, draft_edits, taxes
from customer_app.commerce.models import DocumentLine, TaxRate, TaxRule
from customer_app.errors import CustomerAppError, PermissionDenied, ValidationError
from tests.unit.commerce.sales_lists import restore_seeds
from tests.unit.commerce.test_documents import standard_rate


@pytest.fixture(autouse=True)
def clean(session: Session):
    yield
    session.rollback()
    for rule in session.exec(select(TaxRule).where(col(TaxRule.rate_id) != 1)):
        session.delete(rule)
    session.flush()
    for rate in session.exec(select(TaxRate).where(col(TaxRate.id) != 1)):
        session.delete(rate)
    session.commit()
    restore_seeds(session)


@pytest.fixture
def draft(session, staff, add):
    """An invoice draft with two lines: Consulting 3 × 100.00 and Travel 1 × 40.00, at 20 %."""
    standard_rate(session, "20")
    ada = add(first_name="Ada", email="ada@example.com")
    document = documents.new_draft(ada.id, "invoice", actor=staff, session=session)
    documents.add_line(document.id, "Consulting", "3", "100.00", actor=staff, session=session)
    documents.add_line(document.id, "Travel", "1", "40", actor=staff, session=session)
    session.commit()
    return document


def lines(session: Session, document) -> list[DocumentLine]:
    return documents.lines_of(document, session=session)


def test_changing_a_lines_quantity_price_and_discount_recalculates_line_and_document(session, staff, draft):
    first = lines(session, draft)[0]
    totals = draft_edits.update_line(first.id, {"quantity": "2,5"}, actor=staff, session=session)
    assert (totals.lines[0].net_minor, totals.document.gross_minor) == (25000, 34800)  # (250 + 40) × 1.2
    totals = draft_edits.update_line(first.id, {"unit_price": "80", "discount": "10"}, actor=staff, session=session)
    assert (totals.lines[0].net_minor, totals.document.gross_minor) == (18000, 26400)  # (180 + 40) × 1.2
    draft_edits.update_line(first.id, {"description": " Advice "}, actor=staff, session=session)
    session.commit()
    assert lines(session, draft)[0].description == "Advice"


def test_a_bad_value_says_why_for_its_field_and_the_line_stays_as_it_was(session, staff, draft):
    first = lines(session, draft)[0]
    with pytest.raises(ValidationError) as refused:
        draft_edits.update_line(first.id, {"quantity": "three", "discount": "120"}, actor=staff, session=session)
    assert set(refused.value.errors) == {"quantity", "discount"}
    with pytest.raises(ValidationError) as refused:
        draft_edits.update_line(first.id, {"description": "  "}, actor=staff, session=session)
    assert refused.value.errors == {"description": "Describe what is sold."}
    session.commit()
    kept = lines(session, draft)[0]
    assert (kept.description, kept.quantity, kept.discount_percent) == ("Consulting", Decimal(3), Decimal(0))
    assert documents.document_totals(draft.id, actor=staff, session=session).document.gross_minor == 40800


def test_the_items_tax_class_changes_the_lines_rate(session, staff, draft):
    zero = next(c for c in taxes.classes("item", session=session) if c.code == "zero")
    travel = lines(session, draft)[1]
    totals = draft_edits.update_line(travel.id, {"tax_class": str(zero.id)}, actor=staff, session=session)
    assert totals.document.gross_minor == 36000 + 4000  # consulting taxed, travel zero-rated
    customer_class = taxes.standard_class("customer", session=session)
    with pytest.raises(ValidationError, match="tax class for the item"):
        draft_edits.update_line(travel.id, {"tax_class": str(customer_class.id)}, actor=staff, session=session)


def test_lines_move_up_and_down_and_keep_their_order(session, staff, draft):
    travel = lines(session, draft)[1]
    draft_edits.move_line(travel.id, -1, actor=staff, session=session)
    session.commit()
    assert [(line.description, line.position) for line in lines(session, draft)] == [("Travel", 0), ("Consulting", 1)]
    draft_edits.move_line(travel.id, -1, actor=staff, session=session)  # already first: stays
    draft_edits.move_line(travel.id, 1, actor=staff, session=session)
    session.commit()
    assert [line.description for line in lines(session, draft)] == ["Consulting", "Travel"]


def test_a_drafts_addresses_country_and_method_are_edited_and_taxes_follow_the_country(session, staff, draft):
    standard_rate(session, "10", country="AT")
    totals = draft_edits.edit_delivery(
        draft.id,
        billing_address="Kontor\n Ring 1 \n\n1010 Wien",
        shipping_address="Lager\nGraz",
        destination_country="Austria",
        shipping_method_id=2,
        actor=staff,
        session=session,
    )
    session.commit()
    document = totals.document
    assert (document.billing_address, document.shipping_address) == ("Kontor\nRing 1\n1010 Wien", "Lager\nGraz")
    assert (document.destination_country, document.shipping_method, document.gross_minor) == ("AT", "Courier", 37400)


def test_a_bad_country_or_method_is_refused_and_nothing_changes(session, staff, draft):
    with pytest.raises(ValidationError) as refused:
        draft_edits.edit_delivery(
            draft.id,
            billing_address="x" * 1001,
            shipping_address="",
            destination_country="Atlantis",
            shipping_method_id=999,
            actor=staff,
            session=session,
        )
    assert set(refused.value.errors) == {"billing_address", "destination_country", "shipping_method"}
    session.rollback()
    assert documents.document_totals(draft.id, actor=staff, session=session).document.shipping_method == ""


def test_an_issued_document_refuses_every_edit(session, staff, draft):
    documents.issue(draft.id, actor=staff, session=session)
    session.commit()
    first = lines(session, draft)[0]
    edits = (
        lambda: draft_edits.update_line(first.id, {"quantity": "9"}, actor=staff, session=session),
        lambda: draft_edits.move_line(first.id, 1, actor=staff, session=session),
        lambda: draft_edits.edit_delivery(
            draft.id,
            billing_address="Elsewhere",
            shipping_address="",
            destination_country="",
            shipping_method_id=None,
            actor=staff,
            session=session,
        ),
    )
    for edit in edits:
        with pytest.raises(CustomerAppError, match="An issued document is not changed"):
            edit()
    session.rollback()
    assert lines(session, draft)[0].quantity == Decimal(3)


def test_readers_do_not_edit_drafts(session, reader, draft):
    first = lines(session, draft)[0]
    with pytest.raises(PermissionDenied):
        draft_edits.update_line(first.id, {"quantity": "9"}, actor=reader, session=session)
    with pytest.raises(PermissionDenied):
        draft_edits.move_line(first.id, 1, actor=reader, session=session)
