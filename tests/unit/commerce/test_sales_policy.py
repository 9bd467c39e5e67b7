"""The company's rules for new documents: tax rounded per line, prices including tax (also per draft), and a
customer's currency locked once documents were issued for them; only admins change them."""

import pytest
from sqlalchemy import text

from customer_app.admin.state.sales_policy import SalesPolicyState
from customer_app.commerce import customer_sales, documents, draft_edits, sales_policy, taxes
from customer_app.commerce.sales_policy import SalesPolicy
from customer_app.commerce.state.sales import CustomerSalesState
from customer_app.commerce.state.sales_tax import CustomerSalesTaxState
from customer_app.errors import CustomerAppError, PermissionDenied, ValidationError
from tests.unit.commerce.test_documents import clean_rules, issued, standard_rate  # noqa: F401  (clean_rules is autouse)
from tests.unit.reflex_helpers import run, toast

LOCKED = (
    "Documents have been issued in EUR for this customer, and this workspace keeps a customer's currency from then "
    "on (Settings, Sales documents)."
)


@pytest.fixture(autouse=True)
def default_policy(session):
    """Every test ends with the defaults back."""
    yield
    session.rollback()
    session.execute(
        text("UPDATE commerce_settings SET round_per_line = false, prices_include_tax = false, lock_currency = false")
    )
    session.commit()


def change_currency(session, staff, customer_id, currency="USD"):
    standard = taxes.standard_class("customer", session=session)
    return customer_sales.save_sales_settings(
        customer_id,
        currency=currency,
        tax_class_id=standard.id,
        payment_terms_days="14",
        exemption_reference="",
        actor=staff,
        session=session,
    )


def test_new_drafts_take_the_companys_rounding_and_prices_with_tax(session, admin, staff, add):
    standard_rate(session, "9.975")
    ada = add(first_name="Ada")
    assert sales_policy.policy(session=session) == SalesPolicy()
    per_document = documents.new_draft(ada.id, "invoice", actor=staff, session=session)
    sales_policy.save_policy(SalesPolicy(round_per_line=True), actor=admin, session=session)
    per_line = documents.new_draft(ada.id, "invoice", actor=staff, session=session)
    for draft in (per_document, per_line):
        for _ in range(3):
            documents.add_line(draft.id, "Box", "1", "100.00", actor=staff, session=session)
    session.expire_all()
    totals = [documents.document_totals(d.id, actor=staff, session=session).document for d in (per_document, per_line)]
    assert [t.tax_minor for t in totals] == [2993, 2994]  # 29.93 once per rate, 29.94 per line
    assert (totals[0].round_per_line, totals[1].round_per_line) == (False, True)


def test_a_draft_reads_its_prices_with_tax_included(session, staff, add):
    standard_rate(session, "19")
    ada = add(first_name="Ada")
    draft = documents.new_draft(ada.id, "invoice", actor=staff, session=session)
    documents.add_line(draft.id, "Chair", "1", "340.00", actor=staff, session=session)
    documents.add_line(draft.id, "Cushion", "1", "13.90", actor=staff, session=session)
    found = draft_edits.set_prices_include_tax(draft.id, True, actor=staff, session=session).document
    assert (found.net_minor, found.tax_minor, found.gross_minor) == (29739, 5651, 35390)
    found = draft_edits.set_prices_include_tax(draft.id, False, actor=staff, session=session).document
    assert found.gross_minor == 42114  # 353.90 + 19 %
    issued_one = documents.issue(draft.id, actor=staff, session=session)
    with pytest.raises(CustomerAppError):
        draft_edits.set_prices_include_tax(issued_one.id, True, actor=staff, session=session)


def test_a_locked_currency_is_refused_once_documents_were_issued(session, admin, staff, add):
    standard_rate(session, "19")
    ada, bea = add(first_name="Ada"), add(first_name="Bea")
    issued(session, staff, ada.id, "invoice", ("Work", "1", "10"))
    documents.new_draft(bea.id, "invoice", actor=staff, session=session)  # a draft alone does not lock
    sales_policy.save_policy(SalesPolicy(lock_currency=True), actor=admin, session=session)
    with pytest.raises(ValidationError) as refused:
        change_currency(session, staff, ada.id)
    assert refused.value.errors == {"currency": LOCKED}
    with pytest.raises(ValidationError):
        customer_sales.currency_change_note(ada.id, "USD", actor=staff, session=session)
    assert customer_sales.sales_settings(ada.id, actor=staff, session=session).currency == "EUR"
    assert change_currency(session, staff, bea.id).currency == "USD"
    sales_policy.save_policy(SalesPolicy(lock_currency=False), actor=admin, session=session)
    assert change_currency(session, staff, ada.id).currency == "USD"  # unlocked: the change goes through


def test_only_admins_change_the_rules(session, staff):
    with pytest.raises(PermissionDenied):
        sales_policy.save_policy(SalesPolicy(lock_currency=True), actor=staff, session=session)
    assert not sales_policy.policy(session=session).lock_currency


def test_the_settings_section_saves_ticked_boxes_and_the_editor_switch_recalculates(
    new_tab, admin_user, staff_user, reader_user, session, staff, add
):
    state = new_tab(admin_user).get_substate(SalesPolicyState._get_substate_path())
    run(state.on_load())
    assert (state.round_per_line, state.lock_currency) == (False, False)
    result = run(state.save({"lock_currency": "on", "prices_include_tax": "on"}))
    assert toast(result) == ("success", "Rules for new documents saved.")
    assert (state.round_per_line, state.prices_include_tax, state.lock_currency) == (False, True, True)
    other = new_tab(staff_user).get_substate(SalesPolicyState._get_substate_path())
    assert toast(run(other.save({})))[0] == "error"
    assert sales_policy.policy(session=session).lock_currency

    standard_rate(session, "19")
    ada = add(first_name="Ada")
    draft = documents.new_draft(ada.id, "invoice", actor=staff, session=session)
    documents.add_line(draft.id, "Chair", "1", "119.00", actor=staff, session=session)
    session.commit()
    editor = new_tab(staff_user).get_substate(CustomerSalesState._get_substate_path())
    editor.customer_id = ada.id
    run(editor.open_document(str(draft.id)))
    assert (editor.editor.prices_include_tax, editor.editor.gross) == (True, "€119.00")
    run(editor.set_prices_include_tax(False))
    assert (editor.editor.prices_include_tax, editor.editor.gross) == (False, "€141.61")
    reader = new_tab(reader_user).get_substate(CustomerSalesState._get_substate_path())
    reader.customer_id, reader.editor = ada.id, editor.editor
    assert toast(run(reader.set_prices_include_tax(True)))[0] == "error"


def test_the_sales_tax_tab_says_a_locked_currency_stays_without_asking(new_tab, staff_user, session, admin, staff, add):
    standard_rate(session, "19")
    ada = add(first_name="Ada")
    issued(session, staff, ada.id, "invoice", ("Work", "1", "10"))
    sales_policy.save_policy(SalesPolicy(lock_currency=True), actor=admin, session=session)
    session.commit()
    state = new_tab(staff_user).get_substate(CustomerSalesTaxState._get_substate_path())
    state.customer_id = ada.id
    run(state._reload())
    fields = {"currency": "USD", "tax_class": state.tax_class, "payment_terms_days": "14", "exemption_reference": ""}
    run(state.save(fields))
    assert (state.confirm_currency_open, state.errors) == (False, {"currency": LOCKED})
