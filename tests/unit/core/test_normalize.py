"""Phone numbers are read as the country that owns them reads them, whichever region shares their country code."""

import pytest

from customer_app.core.normalize import normalize_phone


@pytest.mark.parametrize(
    ("typed", "region", "stored"),
    [
        ("+1 415 555 0132", "US", "+14155550132"),
        ("(604) 555-0123", "US", "+16045550123"),  # Canada shares +1 with the United States
        ("+1 441 292 1234", "GB", "+14412921234"),  # Bermuda, typed from anywhere
        ("+1 684 733 1234", "US", "+16847331234"),  # American Samoa
        ("030 9018200", "DE", "+49309018200"),
        ("+44 7911 123456", "US", "+447911123456"),
    ],
)
def test_a_number_valid_in_any_region_of_its_country_code_is_kept(typed, region, stored):
    assert normalize_phone(typed, region) == stored


@pytest.mark.parametrize(("typed", "region"), [("+1 415 555", "US"), ("+1 999 555 0132", "US"), ("030 90", "DE")])
def test_a_number_valid_in_no_region_is_refused(typed, region):
    with pytest.raises(ValueError, match=r"not valid for its country|Enter a phone number"):
        normalize_phone(typed, region)
