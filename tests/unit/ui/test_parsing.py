"""Numbers sent by the browser are read strictly: only ASCII digits, never a crash."""

import pytest

from customer_app.core.normalize import whole_number
from customer_app.customers.state.list_filters import group_id
from customer_app.ui.parsing import parse_ids


@pytest.mark.parametrize(
    ("sent", "read"),
    [("42", 42), (" 7 ", 7), (0, 0), ("²", None), ("٤٢", None), ("-1", None), ("1.0", None), ("", None), (None, None)],
)
def test_a_whole_number_is_ascii_digits_only(sent, read):
    assert whole_number(sent) == read


def test_a_whole_number_has_a_bounded_length():
    assert whole_number("9" * 18) == int("9" * 18)
    assert whole_number("9" * 19) is None


def test_ids_keep_only_well_formed_values():
    assert parse_ids(["3", "²", "x", "12", "9" * 40, "٣"]) == [3, 12]
    assert parse_ids("5") == [5]


@pytest.mark.parametrize("sent", ["²", "0", "-3", "1" * 12, "abc"])
def test_a_malformed_group_filter_means_all_groups(sent):
    assert group_id(sent) is None
