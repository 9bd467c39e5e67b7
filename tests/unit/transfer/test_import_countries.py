"""A row's country decides how its national phone numbers are read; the workspace's region is the fallback."""

import csv
import io
from datetime import date

import pytest
from sqlmodel import col, select

from customer_app.customers.models import Customer
from customer_app.errors import ValidationError
from customer_app.transfer import import_uploads, imports
from customer_app.transfer.import_mapping import COUNTRY, auto_map, check_mapping, targets
from customer_app.transfer.import_rows import ERROR, NEW, UNCHANGED, Plan, Seen, classify

HEADERS = ["Vorname", "Nachname", "E-Mail", "Telefon", "Land"]


@pytest.fixture(autouse=True)
def private_folders(tmp_path, monkeypatch):
    monkeypatch.setenv("IMPORT_DIR", str(tmp_path / "imports"))
    monkeypatch.setenv("EXPORT_DIR", str(tmp_path / "exports"))


def csv_bytes(rows, headers=HEADERS, *, delimiter=",", encoding="utf-8") -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(headers)
    writer.writerows(rows)
    return out.getvalue().encode(encoding)


def imported(session, engine, actor, data: bytes, name="kontakte.csv"):
    """Preview then commit a file with the mapping guessed from its headers; the preview and the phones by e-mail."""
    job = import_uploads.store_upload([data], name, actor=actor, session=session)
    session.commit()
    table = imports.read_job_table(job)
    preview = imports.preview_import(job.id, Plan(auto_map(table.headers)), actor=actor, session=session)
    session.commit()
    imports.start_import(job.id, actor=actor, session=session)
    session.commit()
    imports.run_import(job.id, actor=actor, engine=engine)
    session.expire_all()
    return preview, stored(session)


def stored(session) -> dict[str, Customer]:
    found = session.exec(select(Customer).where(col(Customer.deleted_at).is_(None)))
    return {customer.email: customer for customer in found if customer.email}


def test_a_country_column_is_offered_and_guessed_from_its_header(session, admin):
    assert targets(actor=admin, session=session)[COUNTRY] == "Country (of the addresses; reads phone numbers)"
    assert auto_map(["Email", "Phone", "Country"]) == ["email", "phone", COUNTRY]
    assert auto_map(["E-Mail", "Telefon", "Land"]) == ["email", "phone", COUNTRY]
    assert auto_map(["Courriel", "Pays"])[1] == COUNTRY
    assert auto_map(["Correo", "País"])[1] == COUNTRY
    check_mapping(["email", "phone", COUNTRY], match_on="email")
    with pytest.raises(ValidationError, match="one column only"):
        check_mapping(["email", COUNTRY, COUNTRY], match_on="email")


def test_national_numbers_are_read_in_each_rows_country_and_blank_falls_back(session, engine, admin):
    data = csv_bytes(
        [
            ("Klaus", "Berlin", "klaus@example.de", "030 9018200", "Deutschland"),
            ("Anna", "Wien", "anna@example.at", "01 5875555", "Österreich"),
            ("Urs", "Zürich", "urs@example.ch", "044 668 18 00", "Schweiz"),
            ("Dana", "Washington", "dana@example.com", "(202) 555-0143", ""),
        ]
    )
    preview, customers = imported(session, engine, admin, data)
    assert preview.counts[NEW] == 4, [row.message for row in preview.rows]
    assert {email: c.phone for email, c in customers.items()} == {
        "klaus@example.de": "+49309018200",
        "anna@example.at": "+4315875555",
        "urs@example.ch": "+41446681800",
        "dana@example.com": "+12025550143",
    }


def klaus(session, phone, country):
    """What importing one row with this phone number and country would do."""
    [outcome] = classify(
        [(2, ["Klaus", "klaus@example.de", phone, country])],
        Plan(["last_name", "email", "phone", COUNTRY]),
        Seen(),
        session=session,
    )
    return outcome


@pytest.mark.parametrize("country", ["Germany", "DE", "Allemagne", "Alemania", "deu"])
def test_the_country_is_understood_in_english_french_spanish_and_as_a_code(session, country):
    outcome = klaus(session, "030 9018200", country)
    assert outcome.status == NEW, outcome.message
    assert outcome.customer is not None
    assert outcome.customer.phone == "+49309018200"


def test_an_unknown_country_falls_back_to_the_default_region_and_says_so_when_the_number_fails(session):
    rows = [
        (2, ["Klaus", "klaus@example.de", "030 9018200", "Atlantis"]),
        (3, ["Dana", "dana@example.com", "(202) 555-0143", "Atlantis"]),
    ]
    german, american = classify(rows, Plan(["last_name", "email", "phone", COUNTRY]), Seen(), session=session)
    assert german.status == ERROR
    assert '"Atlantis" is not one the import recognises' in german.messages["phone"]
    assert "read as a number in United States" in german.messages["phone"]
    assert american.status == NEW
    assert american.customer is not None
    assert american.customer.phone == "+12025550143"


def test_a_number_invalid_in_its_rows_country_names_that_country(session):
    outcome = klaus(session, "0800 1", "Deutschland")
    assert outcome.status == ERROR
    assert "read as a number in Germany, the row's country" in outcome.messages["phone"]


@pytest.mark.parametrize("country", ["Schweiz", "Atlantis", "", "USA"])
def test_a_number_with_its_country_code_is_read_as_written_whatever_the_country(session, country):
    outcome = klaus(session, "+49 30 9018200", country)
    assert outcome.status == NEW, outcome.message
    assert outcome.customer is not None
    assert outcome.customer.phone == "+49309018200"


def test_a_phone_stored_as_a_number_gets_back_the_leading_zero_of_its_rows_country(session):
    outcome = klaus(session, 309018200, "Deutschland")
    assert outcome.customer is not None
    assert outcome.customer.phone == "+49309018200"


def test_a_german_excel_csv_imports_and_importing_it_again_changes_nothing(session, engine, admin):
    headers = ["Vorname", "Nachname", "E-Mail", "Telefon", "Mobil", "Geburtsdatum", "Land", "Straße", "PLZ", "Ort"]
    rows = [
        ("Jürgen", "Müller", "juergen@example.de", "030 9018200", "0151 23456789", "23.04.1971", "Deutschland",
         "Straße des 17. Juni 135", "10623", "Berlin"),
        ("Françoise", "Weiß", "f.weiss@example.at", "01 5875555", "", "01.12.1980", "Österreich", "Ringstraße 1",
         "1010", "Wien"),
    ]  # fmt: skip
    data = csv_bytes(rows, headers, delimiter=";", encoding="cp1252")
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")  # really Windows-1252, as Excel writes "CSV (Trennzeichen-getrennt)"
    preview, customers = imported(session, engine, admin, data)
    assert preview.counts[NEW] == 2, [row.message for row in preview.rows]
    juergen, francoise = customers["juergen@example.de"], customers["f.weiss@example.at"]
    assert (juergen.first_name, juergen.last_name) == ("Jürgen", "Müller")
    assert (juergen.phone, juergen.mobile) == ("+49309018200", "+4915123456789")
    assert juergen.date_of_birth == date(1971, 4, 23)
    assert (francoise.last_name, francoise.phone) == ("Weiß", "+4315875555")
    again, _ = imported(session, engine, admin, data, name="kontakte-2.csv")
    assert again.counts[UNCHANGED] == 2, [row.message for row in again.rows]


def test_without_a_country_a_national_number_is_read_in_the_default_region_and_the_error_says_so(session):
    [outcome] = classify(
        [(2, ["Klaus", "klaus@example.de", "030 9018200"])],
        Plan(["last_name", "email", "phone"]),
        Seen(),
        session=session,
    )
    assert outcome.status == ERROR
    assert "read as a number in United States" in outcome.messages["phone"]
    [german] = classify(
        [(2, ["Klaus", "klaus@example.de", "030 9018200"])],
        Plan(["last_name", "email", "phone"], phone_region="DE"),
        Seen(),
        session=session,
    )
    assert german.customer is not None
    assert german.customer.phone == "+49309018200"
