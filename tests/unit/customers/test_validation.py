"""What happens to the values people type into the customer form or an import row."""

import random
import unicodedata
from datetime import UTC, date, datetime

import pytest
from email_validator import EmailNotValidError, validate_email

from customer_app.core import normalize
from customer_app.customers import validation as customer_validation
from customer_app.customers.models import CustomerKind
from customer_app.customers.validation import validate_customer
from customer_app.errors import ValidationError


def valid(region: str = "US", **raw: object):
    return validate_customer(raw, phone_region=region)


def errors_of(region: str = "US", **raw: object) -> dict[str, str]:
    with pytest.raises(ValidationError) as caught:
        validate_customer(raw, phone_region=region)
    return caught.value.errors


@pytest.fixture
def today_is(monkeypatch):
    """Freeze the validator's idea of today."""

    def freeze(day: date) -> None:
        moment = datetime(day.year, day.month, day.day, 12, tzinfo=UTC)
        monkeypatch.setattr(customer_validation, "utcnow", lambda: moment)

    return freeze


# --- e-mail -------------------------------------------------------------------------------------------------


def test_email_domain_is_lower_cased_and_local_part_kept():
    assert valid(last_name="Lee", email="Ann.Lee@EXAMPLE.Com").email == "Ann.Lee@example.com"


def test_email_is_trimmed_before_checking():
    assert valid(last_name="Lee", email="  ann@example.com\u00a0").email == "ann@example.com"


@pytest.mark.parametrize("email", ["ann", "ann@", "@example.com", "ann@example", "ann lee@example.com", "a@@b.com"])
def test_invalid_email_is_refused_with_an_example_of_a_valid_one(email):
    assert errors_of(last_name="Lee", email=email) == {"email": "Enter a valid e-mail address, like name@example.com."}


def test_email_uniqueness_key_ignores_case():
    assert normalize.email_key("Ann@Example.com") == normalize.email_key("ANN@example.COM")


# --- phones -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("typed", ["202-555-0143", "(202) 555-0143", "202.555.0143", " 2025550143 "])
def test_national_phone_gets_the_default_region_country_code(typed):
    assert valid(last_name="Lee", phone=typed).phone == "+12025550143"


def test_phone_region_comes_from_the_setting_passed_in():
    assert valid("DE", last_name="Lee", phone="030 12345678").phone == "+493012345678"


def test_phone_with_country_code_ignores_the_default_region():
    assert valid("US", last_name="Lee", mobile="+49 30 12345678").mobile == "+493012345678"


def test_mobile_and_fax_are_normalised_like_the_phone():
    data = valid(last_name="Lee", mobile="202 555 0144", fax="+1 (202) 555-0145")
    assert (data.mobile, data.fax) == ("+12025550144", "+12025550145")


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("12", "This phone number is not valid for its country."),
        ("+49 30", "This phone number is not valid for its country."),
        ("call me", "Enter a phone number, like +1 202 555 0143."),
    ],
)
def test_invalid_phone_is_refused(typed, message):
    assert errors_of(last_name="Lee", phone=typed) == {"phone": message}


def test_phone_is_shown_in_international_format():
    assert normalize.format_phone("+12025550143") == "+1 202-555-0143"
    assert normalize.format_phone(None) == ""


# --- VAT and website ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("typed", ["DE136695976", "de 136 695 976", "DE-136.695.976"])
def test_valid_vat_number_is_kept_compact_and_upper_case(typed):
    assert valid(last_name="Lee", vat_number=typed).vat_number == "DE136695976"


@pytest.mark.parametrize("typed", ["DE123", "DE136695977", "FR12345"])
def test_vat_number_breaking_its_country_rules_is_refused(typed):
    assert errors_of(last_name="Lee", vat_number=typed) == {
        "vat_number": "This VAT number is not valid for its country."
    }


def test_vat_number_with_an_unknown_prefix_is_kept_as_typed():
    assert valid(last_name="Lee", vat_number="xx 1234-567").vat_number == "XX1234567"


@pytest.mark.parametrize("typed", ["DE", "12", "DE13669597!"])
def test_vat_number_that_is_too_short_or_has_symbols_is_refused(typed):
    assert "vat_number" in errors_of(last_name="Lee", vat_number=typed)


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("example.com", "https://example.com"),
        ("www.example.com/about", "https://www.example.com/about"),
        ("http://example.com", "http://example.com"),
        ("HTTPS://example.com/A", "https://example.com/A"),
    ],
)
def test_website_gets_a_scheme_when_typed_without_one(typed, stored):
    assert valid(last_name="Lee", website=typed).website == stored


@pytest.mark.parametrize("typed", ["example", "ftp://example.com", "exa mple.com", "javascript://alert(1)"])
def test_text_that_is_not_a_website_is_refused(typed):
    assert errors_of(last_name="Lee", website=typed) == {"website": "Enter a website address, like example.com."}


# --- date of birth ------------------------------------------------------------------------------------------


def test_date_of_birth_today_is_accepted(today_is):
    today_is(date(2026, 6, 15))
    assert valid(last_name="Lee", date_of_birth="2026-06-15").date_of_birth == date(2026, 6, 15)


def test_date_of_birth_in_the_future_is_refused(today_is):
    today_is(date(2026, 6, 15))
    assert errors_of(last_name="Lee", date_of_birth="2026-06-16") == {
        "date_of_birth": "The date of birth cannot be in the future."
    }


def test_date_of_birth_exactly_130_years_ago_is_accepted(today_is):
    today_is(date(2026, 6, 15))
    assert valid(last_name="Lee", date_of_birth="1896-06-15").date_of_birth == date(1896, 6, 15)


def test_date_of_birth_more_than_130_years_ago_is_refused(today_is):
    today_is(date(2026, 6, 15))
    assert errors_of(last_name="Lee", date_of_birth="1896-06-14") == {
        "date_of_birth": "The date of birth cannot be more than 130 years ago."
    }


def test_date_of_birth_limit_works_on_29_february(today_is):
    today_is(date(2028, 2, 29))  # 1898 has no 29 February
    assert valid(last_name="Lee", date_of_birth="1898-03-01").date_of_birth == date(1898, 3, 1)
    assert "date_of_birth" in errors_of(last_name="Lee", date_of_birth="1898-02-27")


def test_date_of_birth_more_than_130_years_ago_is_refused_at_the_end_of_a_month(today_is):
    today_is(date(2026, 3, 31))
    assert "date_of_birth" in errors_of(last_name="Lee", date_of_birth="1896-03-29")


@pytest.mark.parametrize("typed", ["23/04/1990", "1990-13-01", "yesterday"])
def test_date_of_birth_that_is_not_a_date_is_refused(typed):
    assert errors_of(last_name="Lee", date_of_birth=typed) == {"date_of_birth": "Enter a date like 1990-04-23."}


# --- allow-lists --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("typed", "stored"), [("female", "Female"), ("NON-BINARY", "Non-binary"), ("Male", "Male")])
def test_gender_is_matched_to_the_list_ignoring_case(typed, stored):
    assert valid(last_name="Lee", gender=typed).gender == stored


def test_gender_outside_the_list_is_refused():
    assert errors_of(last_name="Lee", gender="Robot") == {"gender": "Choose a gender from the list."}


@pytest.mark.parametrize(("typed", "stored"), [("non-PROFIT", "Non-profit"), ("corporation", "Corporation")])
def test_ownership_type_is_matched_to_the_list_ignoring_case(typed, stored):
    assert valid(kind="institution", name="Acme", ownership_type=typed).ownership_type == stored


def test_ownership_type_outside_the_list_is_refused():
    assert errors_of(kind="institution", name="Acme", ownership_type="Cooperative") == {
        "ownership_type": "Choose an ownership type from the list."
    }


def test_unknown_kind_is_refused():
    assert errors_of(kind="robot", name="R2") == {"kind": "Choose Individual or Institution."}


# --- required names and all errors at once ------------------------------------------------------------------


@pytest.mark.parametrize("names", [{"first_name": "Ann"}, {"last_name": "Lee"}])
def test_individual_needs_only_a_first_or_a_last_name(names):
    data = valid(**names)
    assert data.kind == CustomerKind.INDIVIDUAL


def test_individual_without_any_name_is_refused():
    assert errors_of(first_name="  ", last_name="\u00a0", email="ann@example.com") == {
        "last_name": "Enter a first or last name."
    }


def test_institution_needs_a_name():
    assert errors_of(kind="institution", company_name="Acme Group", first_name="Ann") == {
        "name": "Enter the institution's name."
    }


def test_institution_ignores_person_only_fields():
    data = valid(kind="institution", name="Acme", first_name="Ann", gender="Robot", date_of_birth="nonsense")
    assert (data.name, data.first_name, data.gender, data.date_of_birth) == ("Acme", None, None, None)


def test_every_field_error_is_reported_at_once():
    errors = errors_of(
        email="nope",
        phone="12",
        website="nope",
        vat_number="DE123",
        gender="Robot",
        date_of_birth="2999-01-01",
    )
    assert set(errors) == {"email", "phone", "website", "vat_number", "gender", "date_of_birth", "last_name"}


def test_too_long_name_is_refused_with_the_limit():
    assert errors_of(first_name="A" * 101) == {"first_name": "Keep this under 100 characters."}


# --- whitespace ---------------------------------------------------------------------------------------------


def test_extra_and_non_breaking_spaces_are_trimmed_and_collapsed():
    data = valid(first_name="\u00a0 Ann \u00a0  Marie ", last_name="  Lee\t", company_name=" Acme\u00a0 Inc ")
    assert (data.first_name, data.last_name, data.company_name) == ("Ann Marie", "Lee", "Acme Inc")


def test_blank_optional_fields_are_stored_as_empty():
    data = valid(last_name="Lee", email=" ", phone="\u00a0", website="", position="   ")
    assert (data.email, data.phone, data.website, data.position) == (None, None, None, None)


def test_notes_keep_their_line_breaks_but_lose_surrounding_space():
    data = valid(last_name="Lee", footnotes="\u00a0 first line\n\n  second line  \n")
    assert data.footnotes == "first line\n\n  second line"


def test_search_folding_ignores_case_and_accents():
    assert normalize.fold("Zoë ÅNGSTRÖM") == "zoe angstrom"


def test_the_fast_paths_give_exactly_what_the_full_rules_give():
    """fold() and normalize_email() take shortcuts for speed; thousands of awkward inputs must agree with the rules."""

    def full_fold(value: str) -> str:
        decomposed = unicodedata.normalize("NFKD", value.casefold())
        return "".join(ch for ch in decomposed if not unicodedata.combining(ch))

    def full_email(value: str) -> str | None:
        try:
            return validate_email(value, check_deliverability=False).normalized
        except EmailNotValidError:
            return None

    def fast_email(value: str) -> str | None:
        try:
            return normalize.normalize_email(value)
        except ValueError:
            return None

    rng = random.Random(7)
    letters = "aZé ÉöÖ ﬁ ẞß Ǆ\u0301\u0308 x  Σς Ω漢 İ"
    for _ in range(20_000):
        text = "".join(rng.choice(letters) for _ in range(rng.randint(0, 12)))
        assert normalize.fold(text) == full_fold(text), repr(text)
    symbols = "aZ09._+-@x.-"
    emails = ["Ab.c+d@EXAMPLE.COM", "a..b@x.com", ".a@x.com", "a@x.123", "a@-x.com", "a@x.local", "a@ab--c.com"]
    emails += ["".join(rng.choice(symbols) for _ in range(rng.randint(3, 14))) for _ in range(20_000)]
    emails += [f"{'x' * n}@{'b' * m}.com" for n in (63, 64, 65) for m in (62, 63, 64)]
    for email in emails:
        assert fast_email(email) == full_email(email), email
