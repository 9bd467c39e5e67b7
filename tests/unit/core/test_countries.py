"""Countries read as people write them: ISO codes and names in English, German, French and Spanish."""

import pytest

from customer_app.core import countries


@pytest.mark.parametrize(
    ("written", "code"),
    [
        ("Germany", "DE"),
        ("Deutschland", "DE"),
        ("Allemagne", "DE"),
        ("Alemania", "DE"),
        ("DE", "DE"),
        ("de", "DE"),
        ("DEU", "DE"),
        (" österreich ", "AT"),
        ("Oesterreich", "AT"),
        ("Autriche", "AT"),
        ("Schweiz", "CH"),
        ("Suisse", "CH"),
        ("Suiza", "CH"),
        ("Vereinigte Staaten", "US"),
        ("États-Unis", "US"),
        ("Estados Unidos", "US"),
        ("USA", "US"),
        ("UK", "GB"),
        ("Royaume-Uni", "GB"),
        ("South Korea", "KR"),
        ("España", "ES"),
        ("Spanien", "ES"),
    ],
)
def test_countries_are_known_by_code_and_by_name_in_four_languages(written, code):
    assert countries.country_code(written) == code
    assert countries.phone_region(written) == code


@pytest.mark.parametrize("written", ["Atlantis", "", None, "-", "Europe"])
def test_what_is_not_a_country_is_unknown(written):
    assert countries.country_code(written) is None
    assert countries.phone_region(written) is None


def test_a_country_without_phone_numbers_gives_no_phone_region():
    assert countries.country_code("Antarctica") == "AQ"
    assert countries.phone_region("Antarctica") is None


def test_messages_name_countries_the_short_way():
    assert countries.country_name("KR") == "South Korea"
    assert countries.country_name("DE") == "Germany"
