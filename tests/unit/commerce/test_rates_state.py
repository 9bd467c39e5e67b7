"""Exchange rates on screen: the settings section (typed rate, ECB file, base currency, staff refused), the document
editor's rate and its warning, and a payment in another currency from the invoice pop-up."""

from decimal import Decimal

from sqlmodel import col, select

from customer_app.admin.state.exchange_rates import ExchangeRatesState
from customer_app.commerce.models import CustomerSales, ExchangeRate, Payment
from customer_app.commerce.state.invoices import CustomerInvoicesState
from customer_app.commerce.state.sales import CustomerSalesState
from tests.unit.commerce.test_documents import clean_rules, standard_rate  # noqa: F401  (clean_rules is autouse)
from tests.unit.commerce.test_payments import issued_invoice
from tests.unit.commerce.test_rates import daily_file, seeded_rates_only  # noqa: F401  (autouse)
from tests.unit.reflex_helpers import run, toast


class Upload:
    """A file as Reflex hands an upload handler one."""

    def __init__(self, data: bytes):
        self.data = data

    async def read(self, size: int = -1) -> bytes:
        return self.data if size < 0 else self.data[:size]


def settings(new_tab, user) -> ExchangeRatesState:
    state = new_tab(user).get_substate(ExchangeRatesState._get_substate_path())
    run(state.on_load())
    return state


def tab(new_tab, user, state_class, customer_id: int):
    state = new_tab(user).get_substate(state_class._get_substate_path())
    state.customer_id = customer_id
    return state


def test_an_admin_sees_the_latest_rates_types_one_and_uploads_an_ecb_file(new_tab, admin_user, app_db):
    state = settings(new_tab, admin_user)
    usd = next(line for line in state.latest if line.currency == "USD")
    assert (state.base_currency, usd.rate, usd.day, usd.source, usd.stale) == (
        "EUR",
        "1.1172",
        "30 Oct 2026",
        "ECB",
        True,
    )

    run(state.type_rate({"rate_currency": "chf", "rate_day": "2026-11-02", "per_euro": "nine"}))
    assert set(state.errors) == {"per_euro"}
    result = run(state.type_rate({"rate_currency": "chf", "rate_day": "2026-11-02", "per_euro": "0,93"}))
    assert toast(result) == ("success", "Rate for CHF kept.")
    chf = next(line for line in state.latest if line.currency == "CHF")
    assert (chf.rate, chf.day, chf.source) == ("0.93", "2 Nov 2026", "Typed by Ada Admin")

    result = run(state.upload_rates([Upload(b"Name,Email\nAda,ada@example.com\n")]))
    assert state.upload_error.startswith("This is not an ECB rates file")
    result = run(state.upload_rates([Upload(daily_file())]))
    assert toast(result) == ("success", "Read 1 days: 3 rates added, 0 changed.")
    assert state.upload_error == ""
    usd = next(line for line in state.latest if line.currency == "USD")
    assert (usd.rate, usd.day) == ("1.05", "4 Dec 2026")


def test_an_admin_changes_the_base_currency(new_tab, admin_user, app_db):
    state = settings(new_tab, admin_user)
    run(state.set_base_currency({"base_currency": "ABC"}))
    assert "base_currency" in state.errors
    result = run(state.set_base_currency({"base_currency": "usd"}))
    assert (toast(result), state.base_currency) == (("success", "Base currency: USD."), "USD")


def test_staff_see_no_rates_and_cannot_change_them(new_tab, staff_user, session, app_db):
    state = settings(new_tab, staff_user)
    assert state.latest == []
    before = len(session.exec(select(ExchangeRate.id)).all())
    assert toast(run(state.type_rate({"rate_currency": "CHF", "rate_day": "2026-11-02", "per_euro": "0.93"})))[0] == (
        "error"
    )
    run(state.upload_rates([Upload(daily_file())]))
    assert len(session.exec(select(ExchangeRate.id)).all()) == before


def test_the_editor_shows_a_drafts_rate_and_warns_when_it_is_old(new_tab, staff_user, session, add, app_db):
    standard_rate(session, "19")
    ada = add(first_name="Ada")
    session.add(CustomerSales(customer_id=ada.id, currency="USD"))
    session.commit()
    state = tab(new_tab, staff_user, CustomerSalesState, ada.id)
    run(state.new_document("invoice"))
    assert state.editor.rate == "Exchange rate: 1 EUR = 1.1172 USD, from 30 Oct 2026"
    assert state.editor.rate_warning.startswith("The USD rate is from 30 Oct 2026, ")
    assert state.editor.rate_warning.endswith(" days old: update rates in Settings before issuing.")


def test_a_payment_in_another_currency_from_the_pop_up_takes_the_suggested_rate(
    new_tab, staff_user, session, staff, add, app_db
):
    standard_rate(session, "19")
    ada = add(first_name="Ada")
    invoice = issued_invoice(session, staff, ada.id)  # €119.00
    state = tab(new_tab, staff_user, CustomerInvoicesState, ada.id)
    run(state._reload())
    assert "USD" in state.currencies
    state.open_payment(str(invoice.id))
    run(state.choose_currency("USD"))
    # 119 EUR × 1.1172 = 132.9468 USD: 132.95 would settle €119.0013, rounded €119.00
    assert (state.pay_currency, state.values["exchange_rate"], state.values["amount"]) == ("USD", "1.1172", "132.95")
    form = {"paid_on": state.values["paid_on"], "method": "bank_transfer", "amount": "132.95", "reference": ""}
    run(state.record_payment(form | {"exchange_rate": ""}))
    assert state.pay_open
    assert "exchange_rate" in state.errors
    result = run(state.record_payment(form | {"exchange_rate": "1.1172"}))
    assert toast(result) == ("success", f"Payment recorded for {invoice.number}.")
    assert state.rows == []  # paid in full
    payment = session.exec(select(Payment).where(col(Payment.customer_id) == ada.id)).one()
    assert (payment.currency, payment.amount_minor, payment.exchange_rate) == ("USD", 13295, Decimal("1.1172"))
