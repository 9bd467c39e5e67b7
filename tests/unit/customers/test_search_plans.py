"""The SQLite search plans chosen by match count give the same answers as the plain query, and broad counts say so."""

import itertools

import pytest

from customer_app.core.db import read_scope
from customer_app.customers import search_plans
from customer_app.customers.queries import ListQuery, count_tabs, list_customers
from tests.unit.accounts import READER


@pytest.fixture
def many(session, add, backend):
    """Forty individuals and ten institutions sharing the word "harbor"."""
    if backend != "sqlite":
        pytest.skip("the bounded plans are SQLite's")
    for n in range(40):
        add(first_name=f"Hana{n:02d}", last_name="Harbor", company_name=f"Firm {n % 7}")
    for n in range(10):
        add(kind="institution", name=f"Harbor Works {n}")
    session.commit()
    return session


def names(session, **query):
    return [
        c.display_name for c in list_customers(ListQuery(**query).checked((25, 50, 100)), actor=READER, session=session)
    ]


@pytest.mark.parametrize("walk", [5, 1000], ids=["walk-falls-back", "walk-fills-page"])
@pytest.mark.parametrize("sort", ["name", "company", "created", "email"])
def test_broad_search_pages_match_the_plain_plan(many, monkeypatch, sort, walk):
    plain = [names(many, search="harbor", sort=sort, page=page) for page in (1, 2)]
    monkeypatch.setattr(search_plans, "CANDIDATE_LIMIT", 3)  # every search now counts as "broad"
    monkeypatch.setattr(search_plans, "WALK_LIMIT", walk)
    assert [names(many, search="harbor", sort=sort, page=page) for page in (1, 2)] == plain


def test_a_broad_search_is_estimated_beyond_a_bound_and_says_so(many, monkeypatch):
    exact_counts, estimated = count_tabs("harbor", actor=READER, session=many)
    assert not estimated
    assert exact_counts == {"individual": 40, "institution": 10, "trash": 0}
    monkeypatch.setattr(search_plans, "CANDIDATE_LIMIT", 20)
    about, estimated = count_tabs("harbor", actor=READER, session=many)
    assert estimated == {"individual", "institution", "trash"}
    assert sum(about.values()) == 50  # the first 20 candidates, scaled up to all 50


def test_remembered_counts_follow_every_change(many, add):
    before, _ = count_tabs("", actor=READER, session=many)
    add(first_name="New", last_name="Person")
    many.commit()
    after, _ = count_tabs("", actor=READER, session=many)
    assert after["individual"] == before["individual"] + 1


def test_a_read_only_transaction_remembers_what_it_read_until_it_ends(many, add, app_db):
    compute = itertools.count(1).__next__  # the n-th computation answers n
    with read_scope() as scope:
        first = search_plans.remembered(scope, ("probe",), compute)
        add(first_name="New", last_name="Person")
        many.commit()  # another connection commits meanwhile: this transaction still sees the database as it was
        assert search_plans.remembered(scope, ("probe",), compute) == first
    with read_scope() as scope:
        assert search_plans.remembered(scope, ("probe",), compute) == first + 1  # the next one sees the change
