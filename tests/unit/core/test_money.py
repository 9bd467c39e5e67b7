"""Money in minor units: each currency's places, half-up rounding, exact round trips, formatting, typed numbers."""

from decimal import Decimal

import pytest
from babel import numbers

from customer_app.core.money import exponent, format_money, from_minor, is_currency, parse_decimal, to_minor


@pytest.mark.parametrize(("currency", "places"), [("EUR", 2), ("USD", 2), ("JPY", 0), ("BHD", 3)])
def test_each_currency_has_the_places_of_its_minor_unit(currency, places):
    assert exponent(currency) == places
    assert is_currency(currency)


@pytest.mark.parametrize("code", ["ZZZ", "eur", "EURO", "", "€", None])
def test_an_unknown_currency_is_refused_rather_than_given_cents(code):
    assert not is_currency(code)
    with pytest.raises(ValueError, match="Unknown currency code"):
        exponent(code)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="Unknown currency code"):
        to_minor(Decimal("1.00"), code)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("amount", "currency", "minor"),
    [
        ("2.345", "EUR", 235),  # half-even would give 234
        ("2.335", "EUR", 234),
        ("-2.345", "EUR", -235),  # away from zero: a credit mirrors its invoice
        ("2.344999", "EUR", 234),
        ("12.5", "JPY", 13),  # half-even would give 12
        ("1234", "JPY", 1234),
        ("1.2345", "BHD", 1235),
        ("1.2344", "BHD", 1234),
        ("0", "EUR", 0),
    ],
)
def test_amounts_round_half_up_to_the_minor_unit(amount, currency, minor):
    assert to_minor(Decimal(amount), currency) == minor


def test_a_fourteen_digit_amount_round_trips_exactly():
    for currency, amount in [("EUR", "12345678901234.56"), ("BHD", "12345678901234.567"), ("JPY", "12345678901234")]:
        minor = to_minor(Decimal(amount), currency)
        assert str(minor) == amount.replace(".", "")
        assert from_minor(minor, currency) == Decimal(amount)
        assert str(from_minor(minor, currency)) == amount
    assert str(from_minor(-5, "EUR")) == "-0.05"
    assert str(from_minor(7, "BHD")) == "0.007"


def test_floats_nan_and_amounts_too_large_are_refused():
    with pytest.raises(ValueError, match="Decimal"):
        to_minor(2.345, "EUR")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="finite"):
        to_minor(Decimal("NaN"), "EUR")
    with pytest.raises(ValueError, match="too large"):
        to_minor(Decimal("10000000000000000"), "EUR")
    with pytest.raises(ValueError, match="whole number"):
        from_minor(Decimal("1.5"), "EUR")  # type: ignore[arg-type]


def test_english_shows_the_currencys_places():
    assert format_money(123450, "EUR", "en") == "€1,234.50"
    assert format_money(1234, "JPY", "en") == "¥1,234"
    assert format_money(1234505, "BHD", "en").endswith("1,234.505")


@pytest.mark.parametrize("lang", ["en", "de", "fr"])
@pytest.mark.parametrize(("minor", "currency", "amount"), [(123450, "EUR", "1234.50"), (1234, "JPY", "1234")])
def test_each_language_formats_the_exact_amount_as_babel_does(lang, minor, currency, amount):
    assert format_money(minor, currency, lang) == numbers.format_currency(Decimal(amount), currency, locale=lang)


def test_formatting_never_rounds_a_second_time():
    # babel alone would round 2.345 half-even to 2.34; the amount is rounded half-up once, before formatting.
    assert numbers.format_currency(Decimal("2.345"), "EUR", locale="en") == "€2.34"
    assert format_money(to_minor(Decimal("2.345"), "EUR"), "EUR", "en") == "€2.35"
    assert format_money(to_minor(Decimal("2.345"), "EUR"), "EUR", "de") == "2,35\xa0€"


def test_an_unknown_language_formats_in_english():
    assert format_money(-500, "EUR", "xx") == "-€5.00"


@pytest.mark.parametrize(
    ("typed", "value"),
    [
        ("1234.5", "1234.5"),
        ("1234,50", "1234.50"),
        ("1,234.50", "1234.50"),
        ("1.234,50", "1234.50"),
        ("1,234,567", "1234567"),
        ("1.234.567,5", "1234567.5"),
        ("1 234,50", "1234.50"),
        ("1\u202f234,50", "1234.50"),  # French groups with a narrow no-break space
        ("1'234.50", "1234.50"),
        (" 12 ", "12"),
        ("0.125", "0.125"),
        ("0,5", "0.5"),
        (".5", "0.5"),
        ("1234.567", "1234.567"),  # four digits before the mark cannot be a thousands group
        ("-12.50", "-12.50"),
        ("−3,5", "-3.5"),
        ("+7", "7"),
        ("-0", "0"),
    ],
)
def test_numbers_typed_in_any_language_are_read_exactly(typed, value):
    parsed = parse_decimal(typed, field="Quantity", max_places=3)
    assert parsed == Decimal(value)
    assert str(parsed) == value


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("", "Quantity: enter a number like 12.500."),
        ("   ", "Quantity: enter a number like 12.500."),
        ("NaN", "Quantity: enter a number like 12.500."),
        ("Infinity", "Quantity: enter a number like 12.500."),
        ("-inf", "Quantity: enter a number like 12.500."),
        ("1e5", "Quantity: enter a number like 12.500."),
        ("1E-2", "Quantity: enter a number like 12.500."),
        ("12.", "Quantity: enter a number like 12.500."),
        ("1.2.3", "Quantity: enter a number like 12.500."),
        ("1,2.3", "Quantity: enter a number like 12.500."),
        ("12,34,567", "Quantity: enter a number like 12.500."),
        ("1 23", "Quantity: enter a number like 12.500."),
        ("1_000", "Quantity: enter a number like 12.500."),
        ("€12", "Quantity: enter a number like 12.500."),
        ("١٢", "Quantity: enter a number like 12.500."),
        ("0x10", "Quantity: enter a number like 12.500."),
        ("--1", "Quantity: enter a number like 12.500."),
        ("1.2345", "Quantity: enter at most 3 decimal places."),
        ("1" * 41, "Quantity: the number is too long."),
        ("1" * 19, "Quantity: the number is too large."),
        ("1,234", "Quantity: 1,234 could mean 1234 or 1.234; write it without a thousands mark."),
        ("12.500", "Quantity: 12.500 could mean 12500 or 12.500; write it without a thousands mark."),
    ],
)
def test_what_cannot_be_read_one_way_is_refused_with_a_message_to_show(typed, message):
    with pytest.raises(ValueError, match=r"^Quantity: ") as refused:
        parse_decimal(typed, field="Quantity", max_places=3)
    assert str(refused.value) == message


def test_the_example_and_the_limit_follow_the_places_allowed():
    assert parse_decimal("12,5", field="Price", max_places=2) == Decimal("12.5")
    with pytest.raises(ValueError, match=r"^Price: enter at most 2 decimal places\.$"):
        parse_decimal("1234.505", field="Price", max_places=2)
    with pytest.raises(ValueError, match=r"^Price: enter a number like 12\.50\.$"):
        parse_decimal("twelve", field="Price", max_places=2)
    with pytest.raises(ValueError, match=r"^Days: enter a whole number\.$"):
        parse_decimal("1.5", field="Days", max_places=0)
    with pytest.raises(ValueError, match=r"^Days: enter a number like 12\.$"):
        parse_decimal("x", field="Days", max_places=0)
