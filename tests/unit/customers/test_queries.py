"""Listing customers: tabs, counts, search, sorting and paging, on SQLite and PostgreSQL."""

import pytest
from sqlalchemy import text
from sqlmodel import Session

from customer_app.core.permissions import Actor, Role
from customer_app.customers import customers
from customer_app.customers.models import Customer
from customer_app.customers.queries import (
    DEFAULT_SORT,
    SORT_COLUMNS,
    ListQuery,
    count_customers,
    count_tabs,
    list_customers,
    neighbours,
)
from customer_app.customers.validation import validate_customer
from tests.unit.accounts import READER
from tests.unit.refusals import SIGN_IN, refusal

PAGE_SIZES = (25, 50, 100)


def shown(session: Session, tab: str = "individual", search: str = "", **query: object) -> list[str]:
    """Display names on the page the query asks for."""
    checked = ListQuery(tab=tab, search=search, **query).checked(PAGE_SIZES)
    return [c.display_name for c in list_customers(checked, actor=READER, session=session)]


def found(session: Session, search: str, tab: str = "individual") -> list[str]:
    return sorted(shown(session, tab, search, page_size=100))


def add_many(session: Session, actor: Actor, count: int, **raw: object) -> None:
    """Customers "Customer 001", "Customer 002", ... in one transaction."""
    for number in range(1, count + 1):
        data = validate_customer({"first_name": "Customer", "last_name": f"{number:03d}", **raw}, phone_region="US")
        customers.create_customer(data, actor=actor, session=session)
    session.commit()


@pytest.fixture
def people(add):
    """A small address book: two individuals, an institution and "Zoey Gone", who is about to be trashed."""
    add(
        first_name="Zoë",
        last_name="Ångström",
        email="zoe.angstrom@example.com",
        phone="+1 202-555-0143",
        company_name="Büro Nord GmbH",
    )
    add(
        first_name="Bob",
        last_name="Stone",
        email="bob_stone@stonemail.org",
        mobile="+49 30 12345678",
        company_name="100% Natural",
    )
    add(kind="institution", name="Zeal Foundation", email="info@zeal.org", company_name="Zeal Group")
    return add(first_name="Zoey", last_name="Gone", email="zoey@example.com")


@pytest.fixture
def trashed(session, people, admin):
    """The address book with Zoey Gone in Trash; returns her."""
    customers.trash_customers([people.id], actor=admin, session=session)
    session.commit()
    return people


# --- who may read -------------------------------------------------------------------------------------------


def listed() -> Customer:
    """A customer as the list shows it, not stored: neighbours reads only its id and sort values."""
    return Customer(id=1, kind="individual", display_name="Ada Lovelace", sort_name="lovelace ada", search_text="")


READS = {
    "list_customers": lambda actor, session: list_customers(ListQuery(), actor=actor, session=session),
    "neighbours": lambda actor, session: neighbours(ListQuery(), listed(), actor=actor, session=session),
    "count_customers": lambda actor, session: count_customers("individual", "", actor=actor, session=session),
    "count_tabs": lambda actor, session: count_tabs("", actor=actor, session=session),
}


@pytest.mark.parametrize("read", list(READS))
def test_nobody_signed_in_reads_no_customers(read):
    assert refusal(READS[read], None).startswith(SIGN_IN)


@pytest.mark.parametrize("read", list(READS))
def test_read_only_staff_read_the_list(session, trashed, read):
    assert READS[read](READER, session) is not None


# --- tabs and counts ----------------------------------------------------------------------------------------


def test_each_tab_shows_only_its_customers(session, trashed):
    assert found(session, "", "individual") == ["Bob Stone", "Zoë Ångström"]
    assert found(session, "", "institution") == ["Zeal Foundation"]
    assert found(session, "", "trash") == ["Zoey Gone"]


def test_counts_per_tab(session, trashed):
    counts = {
        tab: count_customers(tab, "", actor=READER, session=session) for tab in ("individual", "institution", "trash")
    }
    assert counts == {"individual": 2, "institution": 1, "trash": 1}


def test_counts_per_tab_follow_the_search(session, trashed):
    counts = {
        tab: count_customers(tab, "zoe", actor=READER, session=session)
        for tab in ("individual", "institution", "trash")
    }
    assert counts == {"individual": 1, "institution": 0, "trash": 1}


def test_empty_database_shows_nothing(session):
    assert shown(session) == []
    assert count_customers("individual", "", actor=READER, session=session) == 0


# --- search -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("typed", ["zoe", "ZOË", "Zoë", "angstrom", "ÅNGSTRÖM", "ngstr", "oë Å"])
def test_search_finds_a_name_substring_ignoring_case_and_accents(session, trashed, typed):
    assert found(session, typed) == ["Zoë Ångström"]


@pytest.mark.parametrize(
    ("typed", "name"),
    [
        ("zoe.angstrom@example.com", "Zoë Ångström"),
        ("ANGSTROM@EXAMPLE", "Zoë Ångström"),
        ("stonemail.org", "Bob Stone"),
        ("bob_stone", "Bob Stone"),
    ],
)
def test_search_finds_email(session, trashed, typed, name):
    assert found(session, typed) == [name]


@pytest.mark.parametrize("typed", ["202-555-0143", "202 555 0143", "+1 202 555 0143", "5550143", "555-01-43"])
def test_search_finds_a_phone_typed_with_spaces_or_dashes(session, trashed, typed):
    assert found(session, typed) == ["Zoë Ångström"]


def test_search_finds_a_mobile_number_with_its_country_code(session, trashed):
    assert found(session, "+49 30 1234 5678") == ["Bob Stone"]


def test_search_finds_a_phone_typed_with_parentheses(session, trashed):
    assert found(session, "(202) 555-0143") == ["Zoë Ångström"]


@pytest.mark.parametrize(
    ("typed", "name"), [("büro nord", "Zoë Ångström"), ("BURO", "Zoë Ångström"), ("natural", "Bob Stone")]
)
def test_search_finds_company(session, trashed, typed, name):
    assert found(session, typed) == [name]


def test_search_in_institutions_finds_by_name_and_company(session, trashed):
    assert found(session, "zeal group", "institution") == ["Zeal Foundation"]
    assert found(session, "foundation", "institution") == ["Zeal Foundation"]


def test_search_in_trash_finds_trashed_customers(session, trashed):
    assert found(session, "zoey", "trash") == ["Zoey Gone"]
    assert found(session, "zoey", "individual") == []


def test_search_that_matches_nothing_shows_nothing(session, trashed):
    assert found(session, "nobody-by-this-name") == []


@pytest.mark.parametrize(("typed", "names"), [("zo", ["Zoë Ångström"]), ("B", ["Bob Stone"]), ("Zö", ["Zoë Ångström"])])
def test_short_search_matches_the_start_of_the_name(session, trashed, typed, names):
    assert found(session, typed) == names


@pytest.mark.parametrize("typed", ["ne", "om", "10", "in"])  # inside or at the end of a name, company, e-mail
def test_short_search_does_not_match_inside_values(session, trashed, typed):
    assert found(session, typed) == []


def test_search_follows_edits(session, people, admin):
    [zoe] = list_customers(ListQuery(search="angstrom").checked(PAGE_SIZES), actor=READER, session=session)
    customers.update_customer(
        zoe.id,
        validate_customer({"first_name": "Chloé", "last_name": "Marsh"}, phone_region="US"),
        actor=admin,
        session=session,
        expected_version=1,
    )
    session.commit()
    assert found(session, "angstrom") == []
    assert found(session, "chloe") == ["Chloé Marsh"]


def test_search_forgets_purged_customers(session, trashed, admin):
    customers.purge_customers([trashed.id], actor=admin, session=session)
    session.commit()
    assert found(session, "zoey", "trash") == []


SPECIAL_SEARCHES = (
    '"',
    "%",
    "_",
    "*",
    "'",
    "\\",
    '"""',
    "%%%",
    "___",
    "***",
    "'''",
    '"zoe',
    "zo%",
    "z_e",
    "zo*",
    "%_%",
    "a*",
    "' OR '1'='1",
    '" OR "',
    "NEAR(zoe bob)",
    "zoe AND bob",
    "zoe OR bob",
    "-zoe",
    "^zoe",
    "zoe:",
    "(zoe)",
    "{zoe}",
)


def test_search_with_special_characters_neither_fails_nor_matches_everything(session, trashed):
    assert {typed: found(session, typed) for typed in SPECIAL_SEARCHES} == {typed: [] for typed in SPECIAL_SEARCHES}


def test_percent_is_searched_literally(session, trashed):
    assert found(session, "100%") == ["Bob Stone"]
    assert found(session, "10%") == []


def test_underscore_is_searched_literally(session, trashed, add):
    add(first_name="Axe", email="bobxstone@stonemail.org")
    assert found(session, "bob_st") == ["Bob Stone"]


def test_apostrophe_in_a_name_is_searchable(session, add):
    add(first_name="Seán", last_name="O'Brien")
    add(first_name="Sean", last_name="Obrien")
    assert found(session, "o'brien") == ["Seán O'Brien"]


# --- sorting ------------------------------------------------------------------------------------------------


@pytest.fixture
def sortable(session, add):
    """Three customers in a different order for every sort key; returns their ids in creation order."""
    made = [
        add(first_name="Ann", last_name="Able", email="zed@x.com", phone="202-555-0102", company_name="Zeta"),
        add(first_name="bob", last_name="Brown", email="amy@x.com", phone="202-555-0103", company_name="Mango"),
        add(first_name="Cleo", last_name="Crane", email="mia@x.com", phone="202-555-0101", company_name="Apple"),
    ]
    return [c.id for c in made]


EXPECTED_ASCENDING = {
    "name": ["Ann Able", "bob Brown", "Cleo Crane"],
    "email": ["bob Brown", "Cleo Crane", "Ann Able"],
    "phone": ["Cleo Crane", "Ann Able", "bob Brown"],
    "company": ["Cleo Crane", "bob Brown", "Ann Able"],
    "created": ["Ann Able", "bob Brown", "Cleo Crane"],
}


def test_every_sort_key_is_tested():
    assert set(EXPECTED_ASCENDING) | {"deleted"} == set(SORT_COLUMNS)


@pytest.mark.parametrize("key", sorted(EXPECTED_ASCENDING))
def test_sorting_by_each_column_ascending_and_descending(session, sortable, key):
    assert shown(session, sort=key, direction="asc") == EXPECTED_ASCENDING[key]
    assert shown(session, sort=key, direction="desc") == EXPECTED_ASCENDING[key][::-1]


@pytest.mark.parametrize("key", sorted(EXPECTED_ASCENDING))
def test_trash_can_be_sorted_by_each_column_too(session, sortable, key, admin):
    customers.trash_customers(sortable, actor=admin, session=session)
    session.commit()
    assert shown(session, "trash", sort=key, direction="asc") == EXPECTED_ASCENDING[key]


def test_trash_sorts_by_deletion_time(session, sortable, admin):
    for customer_id in (sortable[1], sortable[2], sortable[0]):
        customers.trash_customers([customer_id], actor=admin, session=session)
        session.commit()
    assert shown(session, "trash", sort="deleted", direction="desc") == ["Ann Able", "Cleo Crane", "bob Brown"]
    assert shown(session, "trash", sort="unknown") == ["Ann Able", "Cleo Crane", "bob Brown"]  # the default
    assert shown(session, "trash", sort="deleted", direction="asc") == ["bob Brown", "Cleo Crane", "Ann Able"]


def test_name_sort_ignores_case_and_accents(session, add):
    for first in ("émile", "Eve", "ada", "Zed", "Ümit", "bea"):
        add(first_name=first)
    assert shown(session) == ["ada", "bea", "émile", "Eve", "Ümit", "Zed"]


def test_company_sort_ignores_case(session, add):
    for company in ("apple", "Banana", "cherry"):
        add(last_name=company.upper(), company_name=company)
    assert shown(session, sort="company") == ["APPLE", "BANANA", "CHERRY"]


def test_customers_with_the_same_sort_value_keep_a_stable_order(session, add):
    ids = [add(first_name="Same", last_name="Name", email=f"same{i}@x.com").id for i in range(4)]
    ascending = [c.id for c in list_customers(ListQuery().checked(PAGE_SIZES), actor=READER, session=session)]
    descending = [
        c.id for c in list_customers(ListQuery(direction="desc").checked(PAGE_SIZES), actor=READER, session=session)
    ]
    assert ascending == ids
    assert descending == ids[::-1]


# --- the query's allow-lists --------------------------------------------------------------------------------


def test_unknown_sort_key_falls_back_to_the_tabs_default():
    assert ListQuery(sort="password; DROP TABLE customer").checked(PAGE_SIZES).sort == "name"
    trash = ListQuery(tab="trash", sort="secret", direction="asc").checked(PAGE_SIZES)
    assert (trash.sort, trash.direction) == DEFAULT_SORT["trash"] == ("deleted", "desc")


def test_deletion_time_sort_outside_trash_falls_back_to_name():
    checked = ListQuery(tab="individual", sort="deleted", direction="desc").checked(PAGE_SIZES)
    assert (checked.sort, checked.direction) == ("name", "asc")


def test_unknown_direction_falls_back_to_ascending():
    assert ListQuery(sort="email", direction="sideways").checked(PAGE_SIZES).direction == "asc"


def test_unknown_tab_falls_back_to_individuals():
    assert ListQuery(tab="admins").checked(PAGE_SIZES).tab == "individual"


@pytest.mark.parametrize("size", [0, 10, 26, 1000, -25])
def test_unknown_page_size_falls_back_to_the_smallest(size):
    assert ListQuery(page_size=size).checked(PAGE_SIZES).page_size == 25


@pytest.mark.parametrize("page", [0, -3])
def test_page_before_the_first_becomes_the_first(page):
    assert ListQuery(page=page).checked(PAGE_SIZES).page == 1


def test_overlong_search_is_cut_to_100_characters():
    assert ListQuery(search="x" * 500).checked(PAGE_SIZES).search == "x" * 100


def test_unknown_sort_key_lists_by_name(session, sortable):
    assert shown(session, sort="version") == EXPECTED_ASCENDING["name"]


# --- paging -------------------------------------------------------------------------------------------------


def test_pages_of_25_50_and_100_show_consecutive_slices_of_that_size(session, admin):
    add_many(session, admin, 120)
    everyone = [f"Customer {n:03d}" for n in range(1, 121)]
    for size in PAGE_SIZES:
        pages = [shown(session, page_size=size, page=page) for page in range(1, 120 // size + 2)]
        assert [len(page) for page in pages] == [size] * (120 // size) + [120 % size], f"page size {size}"
        assert [name for page in pages for name in page] == everyone, f"page size {size}"


def test_page_after_the_last_is_empty(session, admin):
    add_many(session, admin, 30)
    assert shown(session, page=3) == []


def test_pages_of_a_search_page_through_the_matches_only(session, admin):
    add_many(session, admin, 30, company_name="Acme")
    add_many(session, admin, 3, company_name="Other")
    assert len(shown(session, search="acme", page=2)) == 5  # 30 of the 33 match: 25 on page 1, 5 on page 2
    assert count_customers("individual", "acme", actor=READER, session=session) == 30


# --- "Remove all" ----------------------------------------------------------------------------------------------


def test_remove_all_trashes_every_match_beyond_the_page(session, trashed, add, admin):
    expected = {add(first_name="Zoe", last_name=f"Match {i}").id for i in range(30)}
    zoe = {
        c.id for c in list_customers(ListQuery(search="ångström").checked(PAGE_SIZES), actor=READER, session=session)
    }
    others = count_customers("individual", "", actor=READER, session=session) - len(expected | zoe)
    assert customers.trash_matching("individual", "zoe", actor=admin, session=session) == len(expected | zoe)
    assert count_customers("individual", "zoe", actor=READER, session=session) == 0
    assert count_customers("individual", "", actor=READER, session=session) == others


def test_remove_all_never_touches_other_tabs(session, trashed, admin):
    institutions = count_customers("institution", "", actor=READER, session=session)
    customers.trash_matching("individual", "", actor=admin, session=session)
    assert count_customers("individual", "", actor=READER, session=session) == 0
    assert count_customers("institution", "", actor=READER, session=session) == institutions
    assert customers.trash_matching("trash", "", actor=admin, session=session) == 0


def test_removing_all_of_a_tab_with_more_than_65535_customers_works_on_postgresql(postgresql_engine):
    with Session(postgresql_engine) as session:  # one transaction, rolled back: the shared schema stays as it was
        session.execute(text("DELETE FROM customer"))
        # The limit is about bound parameters, not indexes: dropping them (until the rollback) makes the
        # 65,533-row insert ~6x faster.
        indexes = (
            session.execute(
                text(
                    "SELECT indexname FROM pg_indexes WHERE schemaname = current_schema() AND tablename = 'customer' "
                    "AND indexname <> 'customer_pkey'"
                )
            )
            .scalars()
            .all()
        )
        for index in indexes:
            session.execute(text(f'DROP INDEX "{index}"'))
        session.execute(
            text(
                "INSERT INTO customer (kind, display_name, sort_name, search_text, created_at, updated_at, version) "
                "SELECT 'individual', 'C', 'c', '', now(), now(), 1 FROM generate_series(1, 65533)"
            )
        )
        try:
            # The audit trail has no foreign key to accounts: an actor without a row is enough here.
            admin = Actor(id=1, email="ada@example.com", name="Ada Admin", role=Role.ADMIN)
            assert customers.trash_matching("individual", "", actor=admin, session=session) == 65533
        finally:
            session.rollback()


def test_previous_and_next_follow_the_lists_tab_search_and_sort(session, add):
    ann = add(first_name="Ann", last_name="Able", email="zed@example.com")
    bob = add(first_name="Bob", last_name="Baker", email="amy@example.com")
    cyd = add(first_name="Cyd", last_name="Cole")
    add(kind="institution", name="Acme")
    session.commit()
    by_name = ListQuery("individual", "", "name", "asc")
    assert neighbours(by_name, ann, actor=READER, session=session) == (None, bob.id)
    assert neighbours(by_name, bob, actor=READER, session=session) == (ann.id, cyd.id)
    assert neighbours(by_name, cyd, actor=READER, session=session) == (bob.id, None)
    by_name_desc = ListQuery("individual", "", "name", "desc")
    assert neighbours(by_name_desc, bob, actor=READER, session=session) == (cyd.id, ann.id)
    searching = ListQuery("individual", "a", "name", "asc")  # Ann Able and... only names starting with "a"
    assert neighbours(searching, ann, actor=READER, session=session) == (None, None)
    by_email = ListQuery("individual", "", "email", "asc")
    _, after_bob = neighbours(by_email, bob, actor=READER, session=session)
    assert after_bob == ann.id


@pytest.mark.parametrize("sort", ["name", "email", "phone", "company", "created"])
@pytest.mark.parametrize("direction", ["asc", "desc"])
def test_stepping_with_previous_and_next_visits_the_list_in_its_order(session, add, sort, direction):
    for n, (email, phone, company) in enumerate(
        [
            ("b@example.com", "", "Zeta"),
            ("", "+14155550101", ""),
            ("a@example.com", "+14155550100", "Alpha"),
            ("", "", "Alpha"),
            ("c@example.com", "", ""),
        ]
    ):
        add(first_name="Same", last_name=f"Name{n % 2}", email=email, phone=phone, company_name=company)
    query = ListQuery("individual", "", sort, direction, page_size=100).checked((25, 50, 100))
    listed = [c.id for c in list_customers(query, actor=READER, session=session)]
    by_id = {c.id: c for c in list_customers(query, actor=READER, session=session)}
    walked, current = [listed[0]], listed[0]
    while (current := neighbours(query, by_id[current], actor=READER, session=session)[1]) is not None:
        walked.append(current)
    back, current = [listed[-1]], listed[-1]
    while (current := neighbours(query, by_id[current], actor=READER, session=session)[0]) is not None:
        back.append(current)
    assert walked == listed
    assert back == listed[::-1]
