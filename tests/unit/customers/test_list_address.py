"""The customers list's view read from its address and written back: defaults stay out, nonsense reads as default."""

from urllib.parse import parse_qsl, urlsplit

import pytest

from customer_app.commerce import open_balances  # noqa: F401  (adds the "With open balance" filter, as the app does)
from customer_app.customers.list_address import ListView, read_view, view_query

SIZES = (25, 50, 100)


def read(address: str) -> ListView:
    """The view a browser opening `address` is shown (parsed as Reflex parses the address bar)."""
    return read_view(dict(parse_qsl(urlsplit(address).query)), SIZES)


def test_the_plain_address_is_the_default_view_and_the_default_view_writes_nothing():
    view = read("/customers")
    assert view == ListView(page_size=25)
    assert (view.tab, view.search, view.sort, view.direction, view.page) == ("individual", "", "name", "asc", 1)
    assert view_query(view, SIZES) == ""


def test_a_whole_view_survives_the_round_trip_through_the_address():
    view = ListView("trash", "ada lovelace", "created", "desc", 3, 50, "7", "wholesale", ("open_balance",))
    query = view_query(view, SIZES)
    assert dict(parse_qsl(query.lstrip("?"))) == {
        "tab": "trash",
        "q": "ada lovelace",
        "sort": "-created",
        "page": "3",
        "size": "50",
        "group": "7",
        "tag": "wholesale",
        "open_balance": "1",
    }
    assert read(f"/customers{query}") == view


def test_the_example_address_of_the_issue_reads_as_it_says():
    view = read("/customers?tab=trash&q=ada&sort=-created&page=3")
    assert (view.tab, view.search, view.sort, view.direction, view.page) == ("trash", "ada", "created", "desc", 3)


def test_each_tabs_own_default_sort_is_left_out_and_another_is_written():
    assert view_query(ListView("trash", sort="deleted", direction="desc"), SIZES) == "?tab=trash"
    assert read("/customers?tab=trash") == ListView("trash", sort="deleted", direction="desc", page_size=25)
    assert view_query(ListView("institution", sort="email", direction="asc"), SIZES) == "?tab=institution&sort=email"
    assert view_query(ListView(sort="name", direction="desc"), SIZES) == "?sort=-name"


@pytest.mark.parametrize(
    "address",
    [
        "/customers?tab=everything",
        "/customers?page=-4",
        "/customers?page=0",
        "/customers?page=abc",
        "/customers?page=1e9",
        "/customers?page=%C2%B2",  # a superscript two
        "/customers?page=99999999999999999999",
        "/customers?sort=evil",
        "/customers?sort=--name",
        "/customers?sort=deleted",  # only Trash sorts by the moment of deletion
        "/customers?size=7",
        "/customers?size=-25",
        "/customers?group=-3",
        "/customers?group=VIP",
        "/customers?open_balance=yes",
        "/customers?no_such_filter=1",
        "/customers?tag=%20%20",
    ],
)
def test_nonsense_in_the_address_reads_as_the_default_and_is_written_away(address):
    assert read(address) == read("/customers")
    assert view_query(read(address), SIZES) == ""


def test_an_over_long_search_is_cut_and_a_page_past_the_end_is_kept_for_the_list_to_clamp():
    view = read("/customers?q=" + "a" * 500 + "&page=40")
    assert (len(view.search), view.page) == (100, 40)


def test_what_people_type_cannot_break_out_of_its_parameter():
    view = ListView(search="a&tab=trash?#x", tag="b=c")
    query = view_query(view, SIZES)
    assert read(f"/customers{query}") == view.checked(SIZES)
    assert read(f"/customers{query}").tab == "individual"


def test_the_existing_filter_addresses_keep_working():
    assert read("/customers?open_balance=1").flags == ("open_balance",)
    assert (read("/customers?group=3&tag=vip").group, read("/customers?group=3&tag=vip").tag) == ("3", "vip")
