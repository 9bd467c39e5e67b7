"""The kept open balance per customer and currency: equal to the balances derived on read after every kind of change
(invoices, sales receipts, payments, credit, refunds, credit notes, voids), filled by the migration, and read by the
customers list's Open balance column and "With open balance" filter."""

import importlib.util

import pytest
from sqlalchemy import text
from sqlmodel import Session, col, delete, select

from customer_app.commerce import balances, documents, draft_edits, open_balances
from customer_app.commerce.models import CustomerBalance, CustomerSales
from customer_app.customers import customers, list_extras, search_plans
from customer_app.customers.queries import ListQuery, count_customers, count_tabs, list_customers
from customer_app.errors import PermissionDenied
from customer_app.settings import PROJECT_ROOT
from customer_app.transfer.export import ExportScope, count_rows
from tests.unit.commerce.test_documents import clean_rules, standard_rate  # noqa: F401  (clean_rules is autouse)
from tests.unit.commerce.test_payments import issued_invoice, pay, refund

FLAG = (open_balances.KEY,)


def kept(session: Session, customer_id: int) -> dict[str, int]:
    rows = session.exec(select(CustomerBalance).where(col(CustomerBalance.customer_id) == customer_id))
    return {row.currency: row.open_minor for row in rows}


def assert_kept_equals_derived(session: Session, actor, *customer_ids: int) -> None:
    session.commit()
    for customer_id in customer_ids:
        assert kept(session, customer_id) == balances.customer_balance(customer_id, actor=actor, session=session)


def assert_tab_filters_agree_with_the_statuses(session: Session, actor, customer_id: int) -> None:
    """The Invoices tab's filters, applied in SQL, pick the invoices whose derived status is in the group."""
    every = balances.balances(customer_id, actor=actor, session=session)
    assert {row.status for row in every} >= {"open", "paid", "refunded", "credited", "cancelled"}
    groups = {"open": ("open", "partially_paid", "overdue"), "paid": ("paid", "credited"), "refunded": ("refunded",)}
    for chosen, statuses in groups.items():
        picked = balances.invoices(customer_id, chosen, actor=actor, session=session)
        assert [row.document.id for row in picked] == [row.document.id for row in every if row.status in statuses]
    assert len(balances.invoices(customer_id, "all", actor=actor, session=session)) == len(every)


def set_currency(session: Session, customer_id: int, currency: str) -> None:
    sales = session.get(CustomerSales, customer_id) or CustomerSales(customer_id=customer_id)
    sales.currency = currency
    session.add(sales)
    session.commit()


def issued(session: Session, actor, customer_id: int, kind: str, price: str):
    draft = documents.new_draft(customer_id, kind, actor=actor, session=session)
    documents.add_line(draft.id, "Goods", "1", price, actor=actor, session=session)
    document = documents.issue(draft.id, actor=actor, session=session)
    session.commit()
    return document


@pytest.fixture
def two(session, add):
    standard_rate(session, "0")
    return add(first_name="Ada", last_name="Lovelace"), add(first_name="Bob", last_name="Builder")


def test_the_kept_balance_equals_the_derived_one_after_a_mixed_sequence_of_changes(session, staff, two):
    ada, bob = two
    first = issued_invoice(session, staff, ada.id, "100")
    assert_kept_equals_derived(session, staff, ada.id, bob.id)
    assert kept(session, ada.id) == {"EUR": 10000}
    assert kept(session, bob.id) == {}

    second = issued_invoice(session, staff, ada.id, "40")
    pay(session, staff, ada.id, "30", {first.id: "30"})  # partly paid
    assert_kept_equals_derived(session, staff, ada.id)
    assert kept(session, ada.id) == {"EUR": 11000}

    pay(session, staff, ada.id, "25")  # credit, allocated to nothing: owed stays
    set_currency(session, ada.id, "USD")
    dollars = issued_invoice(session, staff, ada.id, "80")
    issued(session, staff, ada.id, "sales_receipt", "15")  # paid when issued: nothing owed
    issued(session, staff, ada.id, "estimate", "999")  # an estimate owes nothing
    documents.new_draft(ada.id, "invoice", actor=staff, session=session)  # nor does a draft
    assert_kept_equals_derived(session, staff, ada.id)
    assert kept(session, ada.id) == {"EUR": 11000, "USD": 8000}

    pay(session, staff, ada.id, "70", {first.id: "70"}, currency="EUR")  # first paid in full
    refund(session, staff, first.id, "20")  # a refund takes off what was paid and what is owed alike
    set_currency(session, ada.id, "EUR")
    third = issued_invoice(session, staff, ada.id, "5")
    pay(session, staff, ada.id, "5", {third.id: "5"})
    refund(session, staff, third.id, "5")  # everything paid went back
    session.commit()
    assert_kept_equals_derived(session, staff, ada.id)
    assert kept(session, ada.id) == {"EUR": 4000, "USD": 8000}

    credit = documents.credit_note_for(dollars.id, actor=staff, session=session)  # takes back a quarter of it
    line = documents.document_totals(credit.id, actor=staff, session=session).lines[0]
    draft_edits.update_line(line.id, {"unit_price": "20"}, actor=staff, session=session)
    documents.issue(credit.id, actor=staff, session=session)
    assert_kept_equals_derived(session, staff, ada.id)
    assert kept(session, ada.id) == {"EUR": 4000, "USD": 6000}
    documents.void(second.id, actor=staff, session=session)  # cancelled: nothing owed on it any more
    assert_kept_equals_derived(session, staff, ada.id)
    assert kept(session, ada.id) == {"USD": 6000}
    small = issued_invoice(session, staff, ada.id, "7")
    credit = documents.credit_note_for(small.id, actor=staff, session=session)  # all of it taken back: credited
    documents.issue(credit.id, actor=staff, session=session)
    assert_kept_equals_derived(session, staff, ada.id)
    assert_tab_filters_agree_with_the_statuses(session, staff, ada.id)

    pay(session, staff, ada.id, "60", {dollars.id: "60"}, currency="USD")
    assert_kept_equals_derived(session, staff, ada.id, bob.id)
    assert kept(session, ada.id) == {}


def test_refresh_repairs_whatever_a_change_left_behind(session, staff, two):
    ada, _ = two
    issued_invoice(session, staff, ada.id, "100")
    session.exec(delete(CustomerBalance))  # e.g. rows written by code that forgot to call it
    session.add(CustomerBalance(customer_id=ada.id, currency="USD", open_minor=1))
    session.commit()
    assert open_balances.refresh(ada.id, session=session) == {"EUR": 10000}
    assert_kept_equals_derived(session, staff, ada.id)


def test_the_migration_fills_the_balances_the_services_keep(session, staff, two):
    ada, bob = two
    invoice = issued_invoice(session, staff, ada.id, "100")
    issued_invoice(session, staff, bob.id, "12.34")
    pay(session, staff, ada.id, "60", {invoice.id: "60"})
    refund(session, staff, invoice.id, "10")
    session.commit()
    before = {ada.id: kept(session, ada.id), bob.id: kept(session, bob.id)}
    path = next((PROJECT_ROOT / "alembic" / "versions").glob("*_d0e1f2a3b4c5_customer_balances.py"))
    spec = importlib.util.spec_from_file_location("customer_balances_migration", path)
    assert spec is not None
    assert spec.loader is not None
    migration = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(migration)
    session.exec(delete(CustomerBalance))
    session.execute(text(migration.BACKFILL))
    session.commit()
    assert (
        {ada.id: kept(session, ada.id), bob.id: kept(session, bob.id)}
        == before
        == {
            ada.id: {"EUR": 4000},
            bob.id: {"EUR": 1234},
        }
    )


def query(**more) -> ListQuery:
    return ListQuery(**more).checked((25, 50, 100))


def test_the_list_filters_by_open_balance_and_shows_it_per_currency(session, staff, two, add):
    ada, bob = two
    cyd = add(first_name="Cyd", last_name="Lovelace")  # no documents at all
    invoice = issued_invoice(session, staff, ada.id, "1250")
    set_currency(session, ada.id, "USD")
    issued_invoice(session, staff, ada.id, "80")
    bobs = issued_invoice(session, staff, bob.id, "10")
    pay(session, staff, bob.id, "10", {bobs.id: "10"})

    for search in ("", "lovelace", "ad"):  # no search, a trigram search and a name prefix go different ways
        found = list_customers(query(search=search, flags=FLAG), actor=staff, session=session)
        assert [c.id for c in found] == [ada.id], search
    everyone = list_customers(query(), actor=staff, session=session)
    assert {c.id for c in everyone} == {ada.id, bob.id, cyd.id}
    counts, estimated = count_tabs("", flags=FLAG, actor=staff, session=session)
    assert (counts, estimated) == ({"individual": 1, "institution": 0, "trash": 0}, frozenset())

    cells = list_extras.page_cells([c.id for c in everyone], actor=staff, session=session)
    assert cells[ada.id] == {"open_balance": "€1,250.00 · $80.00"}
    assert cells[bob.id] == cells[cyd.id] == {"open_balance": ""}  # paid in full, and never invoiced

    pay(session, staff, ada.id, "1250", {invoice.id: "1250"}, currency="EUR")
    cells = list_extras.page_cells([ada.id], actor=staff, session=session)
    assert cells[ada.id] == {"open_balance": "$80.00"}


def test_unknown_filters_are_ignored_and_reading_cells_needs_the_right_to_see_customers(session, staff, two):
    ada, _ = two
    assert query(flags=("no_such_filter", open_balances.KEY, open_balances.KEY)).flags == FLAG
    assert query(flags=("no_such_filter",)).flags == ()
    with pytest.raises(PermissionDenied):
        list_extras.page_cells([ada.id], actor=None, session=session)  # type: ignore[arg-type]


def test_remove_all_and_exports_of_a_list_filtered_by_open_balance_take_only_those_customers(
    session, staff, admin, two
):
    ada, bob = two
    issued_invoice(session, staff, ada.id, "5")
    scope = ExportScope(tab="individual", flags=FLAG)
    assert count_rows(scope, actor=admin, session=session) == 1
    moved = customers.trash_matching("individual", "", flags=FLAG, actor=staff, session=session)
    session.commit()
    assert moved == 1
    assert [c.id for c in list_customers(query(), actor=staff, session=session)] == [bob.id]


def test_a_customer_with_documents_but_nothing_owed_is_not_found_by_the_filter(session, staff, two):
    ada, bob = two
    issued(session, staff, ada.id, "sales_receipt", "20")
    issued(session, staff, bob.id, "estimate", "20")
    assert list_customers(query(flags=FLAG), actor=staff, session=session) == []
    assert kept(session, ada.id) == kept(session, bob.id) == {}


def test_balances_are_kept_apart_per_currency_never_added_up(session, staff, two):
    ada, _ = two
    issued_invoice(session, staff, ada.id, "10")
    set_currency(session, ada.id, "JPY")
    issued_invoice(session, staff, ada.id, "500")
    assert kept(session, ada.id) == {"EUR": 1000, "JPY": 500}
    assert open_balances.balance_text(kept(session, ada.id)) == "€10.00 · ¥500"


def test_when_many_customers_owe_the_filter_is_tested_row_by_row_along_the_sorted_list(
    session, staff, two, add, monkeypatch
):
    ada, bob = two
    add(first_name="Cyd", last_name="Lovelace")
    issued_invoice(session, staff, ada.id, "1")
    issued_invoice(session, staff, bob.id, "2")
    monkeypatch.setattr(search_plans, "CANDIDATE_LIMIT", 1)  # "many" from two on: the EXISTS probe, not IN
    found = list_customers(query(flags=FLAG), actor=staff, session=session)
    assert [c.id for c in found] == [ada.id, bob.id]
    found = list_customers(query(flags=FLAG, sort="name", direction="desc"), actor=staff, session=session)
    assert [c.id for c in found] == [bob.id, ada.id]
    assert count_customers("individual", "", flags=FLAG, actor=staff, session=session) == 2
