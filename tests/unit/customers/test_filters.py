"""The customers list filtered by group and by tag: pages, counts, previous/next, export and "Remove all" agree."""

import pytest
from sqlmodel import Session, select

from customer_app.customers import customers, postgres_plans, search_plans
from customer_app.customers.models import Customer, CustomerGroup, CustomerGroupMember, CustomerTag
from customer_app.customers.queries import ListQuery, count_customers, count_tabs, list_customers, neighbours
from customer_app.transfer.columns import checked_columns
from customer_app.transfer.export import ExportScope, count_rows, export_rows
from tests.unit.accounts import READER

SIZES = (25, 50, 100)


def tag(session: Session, customer: Customer, *tags: str) -> None:
    session.add_all(CustomerTag(customer_id=customer.id, tag=t) for t in tags)
    session.commit()


def join(session: Session, customer: Customer, group: CustomerGroup) -> None:
    session.add(CustomerGroupMember(customer_id=customer.id, group_id=group.id))
    session.commit()


@pytest.fixture
def book(session, add, admin):
    """Four individuals, an institution and a trashed individual, in groups and tagged (tags stored as typed)."""
    vip, export_group = CustomerGroup(name="VIP"), CustomerGroup(name="Export")
    session.add_all([vip, export_group])
    session.commit()
    people = {
        "ann": add(first_name="Ann", last_name="Able", email="ann@example.com"),
        "bob": add(first_name="Bob", last_name="Brown", email="bob@example.com"),
        "cyd": add(first_name="Cyd", last_name="Cole", email="cyd@example.com"),
        "dee": add(first_name="Dee", last_name="Dunn", email="dee@example.com"),
        "acme": add(kind="institution", name="Acme Annex"),
        "eve": add(first_name="Eve", last_name="Ebb", email="eve@example.com"),
    }
    for name in ("ann", "bob", "acme", "eve"):
        join(session, people[name], vip)
    join(session, people["dee"], export_group)
    tag(session, people["ann"], "Wholesale", "north")
    tag(session, people["bob"], "retail")
    tag(session, people["cyd"], "WHOLESALE", "vip")
    tag(session, people["acme"], "wholesale")
    tag(session, people["eve"], "wholesale")
    customers.trash_customers([people["eve"].id], actor=admin, session=session)
    session.commit()
    return people | {"vip": vip, "export": export_group}


def names(session, **query) -> list[str]:
    return [c.display_name for c in list_customers(ListQuery(**query).checked(SIZES), actor=READER, session=session)]


def test_a_group_filter_lists_and_counts_only_its_members(session, book):
    vip = book["vip"].id
    assert names(session, group_id=vip) == ["Ann Able", "Bob Brown"]
    assert names(session, tab="institution", group_id=vip) == ["Acme Annex"]
    assert names(session, tab="trash", group_id=vip) == ["Eve Ebb"]
    assert count_tabs("", group_id=vip, actor=READER, session=session) == (
        {"individual": 2, "institution": 1, "trash": 1},
        frozenset(),
    )
    assert count_customers("individual", "", group_id=book["export"].id, actor=READER, session=session) == 1


@pytest.mark.parametrize("typed", ["wholesale", "WholeSale", "  WHOLESALE "])
def test_a_tag_filter_ignores_case_and_stray_spaces(session, book, typed):
    assert names(session, tag=typed) == ["Ann Able", "Cyd Cole"]
    assert names(session, tab="institution", tag=typed) == ["Acme Annex"]
    assert count_tabs("", tag=typed, actor=READER, session=session) == (
        {"individual": 2, "institution": 1, "trash": 1},
        frozenset(),
    )


def test_a_tag_matches_whole_tags_only(session, book):
    assert names(session, tag="whole") == []
    assert names(session, tag="vip") == ["Cyd Cole"]  # the tag "vip", not the group VIP
    assert count_tabs("", tag="nobody has this", actor=READER, session=session) == (
        {"individual": 0, "institution": 0, "trash": 0},
        frozenset(),
    )


def test_group_and_tag_together_and_with_a_search(session, book):
    vip = book["vip"].id
    assert names(session, group_id=vip, tag="wholesale") == ["Ann Able"]
    assert names(session, group_id=vip, tag="wholesale", search="ann") == ["Ann Able"]
    assert names(session, group_id=vip, tag="wholesale", search="bob") == []
    assert names(session, group_id=vip, search="b") == ["Bob Brown"]  # a short search: a name prefix
    assert names(session, tag="wholesale", search="annex", tab="institution") == ["Acme Annex"]
    counts, _ = count_tabs("ann", group_id=vip, tag="wholesale", actor=READER, session=session)
    assert counts == {"individual": 1, "institution": 1, "trash": 0}  # "ann" also finds Acme Annex


def test_an_unknown_or_empty_group_shows_nobody(session, book):
    assert names(session, group_id=book["export"].id + 100) == []
    assert count_customers("individual", "", group_id=book["export"].id + 100, actor=READER, session=session) == 0


@pytest.mark.parametrize("sort", ["name", "email", "created"])
def test_filtered_pages_keep_the_sort_and_page(session, book, add, sort):
    vip = book["vip"]
    for n in range(30):
        join(session, add(first_name=f"Vip{n:02d}", last_name="Member", email=f"v{n:02d}@example.com"), vip)
    everyone = [
        c.id for c in list_customers(ListQuery(sort=sort, page_size=100).checked(SIZES), actor=READER, session=session)
    ]
    members = set(session.exec(select(CustomerGroupMember.customer_id).where(CustomerGroupMember.group_id == vip.id)))
    expected = [i for i in everyone if i in members]
    pages = [
        c.id
        for page in (1, 2)
        for c in list_customers(
            ListQuery(sort=sort, page=page, group_id=vip.id).checked(SIZES), actor=READER, session=session
        )
    ]
    assert pages == expected
    assert len(pages) == 32


def test_previous_and_next_walk_only_the_filtered_customers(session, book):
    by_group = ListQuery(group_id=book["vip"].id).checked(SIZES)
    assert neighbours(by_group, book["ann"], actor=READER, session=session) == (None, book["bob"].id)
    assert neighbours(by_group, book["bob"], actor=READER, session=session) == (book["ann"].id, None)
    by_tag = ListQuery(tag="Wholesale").checked(SIZES)
    assert neighbours(by_tag, book["ann"], actor=READER, session=session) == (None, book["cyd"].id)  # Bob is skipped
    assert neighbours(by_tag, book["cyd"], actor=READER, session=session) == (book["ann"].id, None)


def test_the_export_of_the_current_view_holds_only_filtered_customers(session, admin, book):
    scope = ExportScope(tab="individual", group_id=book["vip"].id, tag="wholesale")
    assert count_rows(scope, actor=admin, session=session) == 1
    exported = export_rows(scope, checked_columns(["email"]), actor=admin, session=session)
    assert list(exported) == [(book["ann"].id, "ann@example.com")]
    everyone = ExportScope(group_id=book["vip"].id)  # "Everything (not in Trash)" ignores the list's filters
    assert count_rows(everyone, actor=admin, session=session) == 5


def test_remove_all_trashes_exactly_the_filtered_customers(session, admin, book):
    moved = customers.trash_matching("individual", "", group_id=book["vip"].id, actor=admin, session=session)
    session.commit()
    assert moved == 2
    assert names(session) == ["Cyd Cole", "Dee Dunn"]
    assert names(session, tab="institution") == ["Acme Annex"]  # another tab: untouched
    moved = customers.trash_matching("individual", "", tag="wholesale", actor=admin, session=session)
    assert moved == 1
    assert names(session) == ["Dee Dunn"]


def test_counts_follow_tag_changes(session, book):
    assert count_customers("individual", "", tag="retail", actor=READER, session=session) == 1
    tag(session, book["dee"], "Retail")
    assert count_customers("individual", "", tag="retail", actor=READER, session=session) == 2
    assert count_tabs("", tag="RETAIL", actor=READER, session=session)[0]["individual"] == 2


# --- matching a tag ignoring case ----------------------------------------------------------------------------------


def test_every_spelling_of_a_tag_is_found_and_nothing_else(session, book, add):
    tag(session, book["dee"], "Vip", "viper", "vi")
    assert names(session, tag="VIP") == names(session, tag="vip") == ["Cyd Cole", "Dee Dunn"]
    assert names(session, tag="VI") == names(session, tag="Viper") == ["Dee Dunn"]
    long = "Wholesale Partners North"
    tag(session, add(first_name="Long", last_name="Tag"), long.lower())
    tag(session, add(first_name="Other", last_name="Case"), long.upper())
    assert names(session, tag="wholesale partners NORTH") == ["Long Tag", "Other Case"]


def test_case_folds_beyond_ascii(session, book):
    tag(session, book["dee"], "STRASSE", "Ärzte")
    assert names(session, tag="straße") == names(session, tag="ÄRZTE") == ["Dee Dunn"]


def test_a_query_keeps_only_well_formed_filters():
    assert ListQuery(group_id=0).checked(SIZES).group_id is None
    assert ListQuery(group_id="3; DROP TABLE customer").checked(SIZES).group_id is None  # type: ignore[arg-type]
    assert ListQuery(tag="  two   words ").checked(SIZES).tag == "two words"
    assert len(ListQuery(tag="x" * 500).checked(SIZES).tag) == 50


# --- SQLite's chosen plans ------------------------------------------------------------------------------------------


@pytest.fixture
def crowd(session, add, backend):
    """Forty individuals and ten institutions; every second in a group, every third tagged, all named Harbor."""
    if backend != "sqlite":
        pytest.skip("the bounded plans are SQLite's")
    group = CustomerGroup(name="Harbor club")
    session.add(group)
    session.commit()
    people = [add(first_name=f"Hana{n:02d}", last_name="Harbor", company_name=f"Firm {n % 7}") for n in range(40)]
    people += [add(kind="institution", name=f"Harbor Works {n}") for n in range(10)]
    for n, person in enumerate(people):
        if n % 2 == 0:
            join(session, person, group)
        if n % 3 == 0:
            tag(session, person, "Dock" if n % 2 else "dock")
    return group


@pytest.mark.parametrize("walk", [5, 1000], ids=["walk-falls-back", "walk-fills-page"])
@pytest.mark.parametrize("search", ["", "harbor"])
@pytest.mark.parametrize("sort", ["name", "company", "created"])
def test_filtered_pages_match_the_plain_plan(session, crowd, monkeypatch, sort, walk, search):
    filters = [{"group_id": crowd.id}, {"tag": "DOCK"}, {"group_id": crowd.id, "tag": "dock"}]
    query = {"search": search, "sort": sort, "page_size": 25}
    plain = [[names(session, page=page, **query, **f) for page in (1, 2)] for f in filters]
    monkeypatch.setattr(search_plans, "CANDIDATE_LIMIT", 3)  # every source now counts as "many"
    monkeypatch.setattr(search_plans, "WALK_LIMIT", walk)
    assert [[names(session, page=page, **query, **f) for page in (1, 2)] for f in filters] == plain
    assert all(pages[0] for pages in plain)


def test_a_broad_filter_is_estimated_beyond_a_bound_and_says_so(session, crowd, monkeypatch, backend):
    exact_counts, estimated = count_tabs("", group_id=crowd.id, actor=READER, session=session)
    assert not estimated
    assert exact_counts == {"individual": 20, "institution": 5, "trash": 0}
    monkeypatch.setattr(search_plans, "CANDIDATE_LIMIT", 10)
    monkeypatch.setattr(postgres_plans, "CANDIDATE_LIMIT", 10)
    about, estimated = count_tabs("", group_id=crowd.id, actor=READER, session=session)
    if backend == "sqlite":  # the first 10 members counted, scaled up to all 25
        assert estimated == {"individual", "institution", "trash"}
        assert abs(sum(about.values()) - 25) <= 2
    else:  # Individuals (20) estimated by the planner; the others are exact
        assert estimated == {"individual"}
        assert about["individual"] > 10
        assert (about["institution"], about["trash"]) == (5, 0)


def test_a_short_search_is_counted_apart_with_and_without_a_filter(session, book):
    everyone = count_customers("individual", "a", actor=READER, session=session)  # "Ann Able" only
    in_export = count_customers("individual", "a", group_id=book["export"].id, actor=READER, session=session)
    assert (everyone, in_export) == (1, 0)
