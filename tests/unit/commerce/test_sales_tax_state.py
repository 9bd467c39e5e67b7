"""The Sales Tax tab's handlers: a new currency is saved only after a confirmation that says what keeps the old one;
cancelling it keeps everything; read-only staff are refused."""

from customer_app.commerce import customer_sales, documents, taxes
from customer_app.commerce.state.sales_tax import CustomerSalesTaxState
from tests.unit.commerce.test_documents import clean_rules, issued, standard_rate  # noqa: F401  (clean_rules is autouse)
from tests.unit.reflex_helpers import run, toast


def loaded(new_tab, user, customer_id: int) -> CustomerSalesTaxState:
    state = new_tab(user).get_substate(CustomerSalesTaxState._get_substate_path())
    state.customer_id = customer_id
    run(state._reload())
    return state


def form(state: CustomerSalesTaxState, **changes: str) -> dict[str, str]:
    fields = {"currency": state.currency, "tax_class": state.tax_class, "payment_terms_days": "14"}
    return fields | {"exemption_reference": ""} | changes


def saved_currency(session, staff, customer_id: int) -> str:
    session.expire_all()
    return customer_sales.sales_settings(customer_id, actor=staff, session=session).currency


def test_a_new_currency_waits_for_a_confirmation_that_says_what_keeps_the_old_one(
    new_tab, staff_user, session, staff, add
):
    standard_rate(session, "19")
    ada = add(first_name="Ada")
    issued(session, staff, ada.id, "invoice", ("Consulting", "1", "100"))
    state = loaded(new_tab, staff_user, ada.id)
    assert state.currency == "EUR"

    run(state.save(form(state, currency="usd", payment_terms_days="30")))
    assert state.confirm_currency_open
    assert state.currency_note == "1 open EUR invoice (€119.00) keeps EUR; new documents use USD."
    assert saved_currency(session, staff, ada.id) == "EUR"  # nothing saved before the answer

    result = run(state.confirm_currency_change())
    assert not state.confirm_currency_open
    assert toast(result) == ("success", "1 open EUR invoice (€119.00) keeps EUR; new documents use USD.")
    assert saved_currency(session, staff, ada.id) == "USD"
    assert (state.currency, state.payment_terms_days) == ("USD", "30")


def test_cancelling_the_confirmation_keeps_the_old_currency_and_same_currency_saves_at_once(
    new_tab, staff_user, session, staff, add
):
    ada = add(first_name="Ada")
    state = loaded(new_tab, staff_user, ada.id)
    run(state.save(form(state, currency="GBP")))
    assert state.currency_note == "New documents use GBP."
    state.set_confirm_currency_open(False)
    assert saved_currency(session, staff, ada.id) == "EUR"

    result = run(state.save(form(state, payment_terms_days="45")))
    assert not state.confirm_currency_open
    assert toast(result) == ("success", "Sales settings saved.")
    session.expire_all()
    assert customer_sales.sales_settings(ada.id, actor=staff, session=session).payment_terms_days == 45


def test_a_bad_currency_is_named_without_a_confirmation(new_tab, staff_user, session, staff, add):
    ada = add(first_name="Ada")
    state = loaded(new_tab, staff_user, ada.id)
    run(state.save(form(state, currency="XXQ")))
    assert not state.confirm_currency_open
    assert state.errors["currency"] == "Choose a currency by its code, like EUR or USD."
    assert saved_currency(session, staff, ada.id) == "EUR"


def test_read_only_staff_cannot_change_the_currency(new_tab, reader_user, session, staff, add):
    ada = add(first_name="Ada")
    standard = taxes.standard_class("customer", session=session)
    state = loaded(new_tab, reader_user, ada.id)
    assert toast(run(state.save(form(state, currency="USD", tax_class=str(standard.id)))))[0] == "error"
    state.pending = form(state, currency="USD", tax_class=str(standard.id))
    assert toast(run(state.confirm_currency_change()))[0] == "error"
    assert saved_currency(session, staff, ada.id) == "EUR"


def test_the_note_counts_drafts_that_keep_the_old_currency(session, staff, add):
    standard_rate(session, "19")
    ada = add(first_name="Ada")
    issued(session, staff, ada.id, "invoice", ("Consulting", "1", "100"))
    documents.new_draft(ada.id, "estimate", actor=staff, session=session)
    documents.new_draft(ada.id, "invoice", actor=staff, session=session)
    note = customer_sales.currency_change_note(ada.id, " usd ", actor=staff, session=session)
    assert note == "1 open EUR invoice (€119.00) and 2 drafts keep EUR; new documents use USD."
    assert customer_sales.currency_change_note(ada.id, "eur", actor=staff, session=session) == ""


def test_the_tab_checks_the_vat_number_against_its_countrys_rules(new_tab, staff_user, add):
    ada = add(first_name="Ada")
    assert customer_sales.vat_check("") == (
        False,
        "No VAT number: reverse charge needs one (add it on the Contact info tab).",
    )
    assert customer_sales.vat_check("DE136695976")[0]
    assert customer_sales.vat_check("DE136695976")[1].startswith("Valid for Germany")
    assert customer_sales.vat_check("DE136695977") == (
        False,
        "Not valid for Germany: correct it on the Contact info tab.",
    )
    assert customer_sales.vat_check("EL094259216")[1].startswith("Valid for Greece")
    assert customer_sales.vat_check("XY12345678")[0] is False
    state = loaded(new_tab, staff_user, ada.id)
    assert (state.vat_number, state.vat_valid) == ("", False)
    werft = add(kind="institution", name="Werft AG", vat_number="DE 136 695 976")
    state = loaded(new_tab, staff_user, werft.id)
    assert (state.vat_number, state.vat_valid) == ("DE136695976", True)
