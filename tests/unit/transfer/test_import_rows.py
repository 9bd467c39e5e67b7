"""Reading cells the way people fill them, mapping headers, and classifying rows before anything is written."""

from datetime import date, datetime

import pytest
from sqlmodel import select

from customer_app.core.normalize import normalize_phone
from customer_app.customers.models import Customer
from customer_app.errors import ValidationError
from customer_app.transfer.import_cells import cell_text, phone_text
from customer_app.transfer.import_mapping import (
    auto_map,
    check_mapping,
    header_key,
    remember_mapping,
    suggested_mapping,
)
from customer_app.transfer.import_rows import (
    DUPLICATE,
    ERROR,
    NEW,
    SKIPPED,
    UNCHANGED,
    UPDATE,
    Plan,
    Seen,
    classify,
)

MAPPING = ["first_name", "last_name", "email", "phone"]


def outcomes(session, rows, **plan):
    lines = [(n + 2, list(cells)) for n, cells in enumerate(rows)]
    return classify(lines, Plan(plan.pop("mapping", MAPPING), **plan), Seen(), session=session)


@pytest.mark.parametrize(
    ("header", "field"),
    [
        ("E-mail", "email"),
        (" Mail ", "email"),
        ("Surname", "last_name"),
        ("Family name", "last_name"),
        ("Organisation", "name"),  # a list of companies: see test_import_headers
        ("Tel.", "phone"),
        ("Telephone", "phone"),
        ("DOB", "date_of_birth"),
        ("Birthday", "date_of_birth"),
        ("Tax ID", "vat_number"),
        ("VAT", "vat_number"),
        ("Prénom", "first_name"),
        ("Customer ID", "id"),
        ("Favourite colour", ""),
    ],
)
def test_headers_map_ignoring_case_spaces_accents_and_punctuation(header, field):
    assert auto_map([header]) == [field]


def test_a_field_is_given_to_one_column_only():
    assert auto_map(["Email", "E-mail", "Mail"]) == ["email", "", ""]
    assert header_key("  Date of Birth! ") == "dateofbirth"


def test_a_mapping_is_remembered_for_the_same_headers(session, admin):
    headers = ["Given", "Family", "Mail"]
    assert suggested_mapping(headers, actor=admin, session=session) == (["", "", "email"], False)
    remember_mapping(headers, ["first_name", "last_name", "email"], session=session)
    assert suggested_mapping(["given ", "FAMILY", "mail"], actor=admin, session=session) == (
        ["first_name", "last_name", "email"],
        True,
    )


def test_mappings_that_cannot_work_are_refused_with_a_reason():
    with pytest.raises(ValidationError, match="at least one column"):
        check_mapping(["", ""], match_on="email")
    with pytest.raises(ValidationError, match="Email"):
        check_mapping(["email", "email"], match_on="email")
    with pytest.raises(ValidationError, match="no column is mapped"):
        check_mapping(["first_name"], match_on="id")
    with pytest.raises(ValidationError, match="no column is mapped"):
        check_mapping(["billing_city", "tags"], match_on="email")  # adds to customers it cannot name
    check_mapping(["first_name"], match_on="vat_number")  # without its column, rows match by name


@pytest.mark.parametrize(
    ("field", "value", "text"),
    [
        ("date_of_birth", 33000, "1990-05-07"),  # an Excel date serial (25569 is 1970-01-01)
        ("date_of_birth", 33000.0, "1990-05-07"),
        ("date_of_birth", datetime(1990, 5, 8, 0, 0), "1990-05-08"),
        ("date_of_birth", date(1990, 5, 8), "1990-05-08"),
        ("date_of_birth", "08.05.1990", "1990-05-08"),
        ("date_of_birth", "1990-05-08 00:00:00", "1990-05-08"),
        ("phone", 4155550123.0, "4155550123"),
        ("phone", "4.155550123E+09", "4155550123"),
        ("first_name", "\u00a0Ada  ", "Ada"),
        ("position", "'=Chief", "=Chief"),  # an exported, neutralised cell comes back as typed
        ("position", "'Quoted", "'Quoted"),  # an ordinary apostrophe stays
        ("kind", "Company", "institution"),
        ("kind", " person ", "individual"),
        ("first_name", "", None),
        ("first_name", "   ", None),
    ],
)
def test_cells_are_read_the_way_people_fill_them(field, value, text):
    assert cell_text(field, value) == text


def test_a_phone_stored_as_a_number_gets_its_plus_or_zero_back():
    assert phone_text(4155550123, "4155550123", "US") == "4155550123"
    assert phone_text(442079460958, "442079460958", "US") == "+442079460958"
    # A national number that lost its trunk "0" is still read right in its region.
    assert normalize_phone(phone_text(2079460958, "2079460958", "GB"), "GB") == "+442079460958"
    assert phone_text("12345", "12345", "US") == "12345"  # text is left to validation


def test_rows_are_classified_new_update_unchanged_error_and_duplicate(session, add):
    add(first_name="Ada", last_name="Lovelace", email="ada@example.com", phone="+14155550100")
    add(first_name="Alan", last_name="Turing", email="alan@example.com")
    result = outcomes(
        session,
        [
            ("Grace", "Hopper", "grace@example.com", "+1 415 555 0101"),
            ("Ada", "Lovelace", "ada@example.com", "+1 415-555-0100"),
            ("Alan", "Mathison", "alan@example.com", None),
            ("Bad", "Mail", "not-an-address", None),
            ("Grace", "Again", "grace@example.com", None),
            ("", "", "", ""),
        ],
    )
    assert [o.status for o in result] == [NEW, UNCHANGED, UPDATE, ERROR, DUPLICATE, SKIPPED]
    assert result[2].before == {"last_name": "Turing"}
    assert result[2].after == {"last_name": "Mathison"}
    assert result[3].messages == {"email": "Enter a valid e-mail address, like name@example.com."}
    assert "line 2" in result[4].message
    assert result[5].message == "Nothing to import: the row's imported columns are empty."  # not an error


def test_empty_cells_leave_stored_values_alone(session, add):
    add(first_name="Ada", last_name="Lovelace", email="ada@example.com", phone="+14155550100")
    (result,) = outcomes(session, [("Ada", None, "ada@example.com", None)])
    assert result.status == UNCHANGED


def test_modes_create_only_and_update_only_skip_with_a_reason(session, add):
    add(first_name="Ada", last_name="Lovelace", email="ada@example.com")
    rows = [("Ada", "King", "ada@example.com", None), ("New", "Person", "new@example.com", None)]
    create_only = outcomes(session, rows, mode="create")
    assert [o.status for o in create_only] == [SKIPPED, NEW]
    update_only = outcomes(session, rows, mode="update")
    assert [o.status for o in update_only] == [UPDATE, SKIPPED]
    assert "creates nobody" in update_only[1].message


def test_rows_match_on_customer_id_or_vat_number(session, add):
    ada = add(first_name="Ada", last_name="Lovelace", email="ada@example.com")
    acme = add(kind="institution", name="Acme", vat_number="DE136695976")
    by_id = outcomes(
        session,
        [(ada.id, "Ada", "Byron"), (999999, "Nobody", "Here")],
        mapping=["id", "first_name", "last_name"],
        match_on="id",
    )
    assert [o.status for o in by_id] == [UPDATE, ERROR]
    assert "No customer has the ID 999999" in by_id[1].message
    by_vat = outcomes(
        session, [("DE 136 695 976", "Acme Holdings")], mapping=["vat_number", "name"], match_on="vat_number"
    )
    assert by_vat[0].status == UPDATE
    assert by_vat[0].customer_id == acme.id


def test_a_new_row_may_not_take_another_customers_email(session, add):
    add(first_name="Ada", last_name="Lovelace", email="ada@example.com", vat_number="DE136695976")
    (result,) = outcomes(
        session,
        [("Someone", "Else", "ada@example.com", None)],
        mapping=["first_name", "last_name", "email", "vat_number"],
        match_on="vat_number",
    )
    assert result.status == ERROR
    assert "already uses this e-mail" in result.message


def test_rows_matched_by_id_keep_their_own_email_and_may_not_take_another_customers(session, add):
    ada = add(first_name="Ada", last_name="Lovelace", email="ada@example.com")
    alan = add(first_name="Alan", last_name="Turing", email="alan@example.com")
    grace = add(first_name="Grace", last_name="Hopper", email="grace@example.com")
    kept, taken, moved = outcomes(
        session,
        [
            (str(ada.id), "Ada", "Lovelace", "ADA@example.com"),  # her own, in capitals
            (str(alan.id), "Alan", "Turing", "grace@example.com"),  # Grace's
            (str(grace.id), "Grace", "Hopper", "amazing.grace@example.com"),  # nobody's
        ],
        mapping=["id", "first_name", "last_name", "email"],
        match_on="id",
    )
    assert kept.status == UPDATE  # the capitals change, the e-mail stays hers
    assert taken.status == ERROR
    assert "already uses this e-mail" in taken.message
    assert moved.status == UPDATE


def test_institution_is_inferred_when_only_a_name_is_given(session):
    (result,) = outcomes(session, [("Acme Ltd", "acme@example.com")], mapping=["name", "email"])
    assert result.status == NEW
    assert result.customer.kind == "institution"


def test_a_person_keeps_a_name_column_naming_someone_else_as_their_company(session):
    rows = [
        ("City Limousines", "Sarah", "Cole", "accounts@citylimousines.example"),  # Xero: the contact and its person
        ("Alan Turing", "Alan", "Turing", "alan@example.com"),
        ("Hopper, Grace", "Grace", "Hopper", "grace@example.com"),
    ]
    limousines, alan, grace = outcomes(session, rows, mapping=["name", "first_name", "last_name", "email"])
    assert [o.customer.kind for o in (limousines, alan, grace)] == ["individual"] * 3
    assert (limousines.customer.first_name, limousines.customer.company_name) == ("Sarah", "City Limousines")
    assert alan.customer.company_name is None  # the name column only repeats the person's name
    assert grace.customer.company_name is None
    (zoho,) = outcomes(
        session, [("Mr. John Smith", "", "John", "Smith")], mapping=["name", "company_name", "first_name", "last_name"]
    )
    assert zoho.customer.company_name is None  # the file has a company column of its own, left empty here


def test_classifying_writes_nothing(session):
    outcomes(session, [("Grace", "Hopper", "grace@example.com", None)])
    assert session.exec(select(Customer)).all() == []


def test_a_row_without_its_key_matches_by_name_only_a_customer_without_one(session, add):
    alone = add(first_name="Hedy", last_name="Lamarr")  # no e-mail: a row naming her without one is her
    add(first_name="Ada", last_name="Lovelace", email="ada@example.com")  # has an e-mail: never matched by name
    add(kind="institution", name="Twin Corp")
    add(kind="institution", name="Twin Corp")
    rows = [
        (2, ["Hedy", "Lamarr", "", "+1 415 555 0132"]),
        (3, ["Ada", "Lovelace", "", ""]),
        (4, ["", "", "Twin Corp", ""]),
        (5, ["hedy", "LAMARR", "", ""]),
    ]
    hedy, ada, twins, again = classify(
        rows, Plan(["first_name", "last_name", "name", "phone"]), Seen(), session=session
    )
    assert (hedy.status, hedy.customer_id, hedy.after) == (UPDATE, alone.id, {"phone": "+14155550132"})
    assert ada.status == NEW  # a namesake with an e-mail is somebody else
    assert twins.status == ERROR
    assert twins.message == "Several customers with this name have no Email; give the Email to say which."
    assert again.status == DUPLICATE
    assert again.message == "Same name and no Email as line 2; only the first is imported."


@pytest.mark.parametrize(
    ("name", "company", "first", "last"),
    [
        ("Ada Lovelace", "", "Ada", "Lovelace"),
        ("Lovelace, Ada", "", "Ada", "Lovelace"),
        ("Engines Ltd, Ada King Lovelace", "Engines Ltd", "Ada King", "Lovelace"),  # Odoo's "Company, Person"
        ("Cher", "", "", "Cher"),
    ],
)
def test_a_person_named_in_one_column_gets_first_and_last_name(session, name, company, first, last):
    [outcome] = classify(
        [(2, ["Individual", name, company])], Plan(["kind", "name", "company_name"]), Seen(), session=session
    )
    assert outcome.status == NEW, outcome.message
    assert outcome.customer is not None
    assert (outcome.customer.first_name or "", outcome.customer.last_name) == (first, last)


def test_an_updated_rows_preview_says_what_changes_from_what(session, add):
    add(first_name="Alan", last_name="Turing", email="alan@example.com")
    [outcome] = outcomes(session, [("Alan", "Mathison", "alan@example.com", "+1 415 555 0101")])
    assert outcome.status == UPDATE
    assert outcome.message == "Phone: (empty) → +14155550101; Last name: Turing → Mathison."
