"""The chosen plans for filtered lists and broad searches list and count what a plain query does, on both databases,
and on PostgreSQL read the customers through the indexes they were chosen for."""

import pytest
from sqlalchemy import text
from sqlmodel import Session, col, func, select

from customer_app.customers import customers, postgres_plans, queries, search_plans
from customer_app.customers.models import Customer, CustomerGroup, CustomerGroupMember, CustomerTag
from customer_app.customers.queries import SORT_COLUMNS, ListQuery, count_tabs, list_customers
from tests.unit.accounts import READER
from tests.unit.databases import statements_sent

TABS = ("individual", "institution", "trash")
SORTS = [("name", "asc"), ("email", "desc"), ("created", "desc"), ("company", "asc"), ("deleted", "desc")]


@pytest.fixture
def dock(session, add, admin):
    """Sixty customers named Harbor or Bay, some tagged "dock", some in the Pier group, a few in Trash, some sharing
    a name, some without e-mail or company."""
    pier = CustomerGroup(name="Pier")
    session.add(pier)
    session.commit()
    made = []
    for n in range(45):
        person = add(
            first_name=("Abe", "Zoë", "Mia")[n % 3],
            last_name="Harbor" if n % 5 else "Bay",  # several customers share "abe bay" and the like
            email=f"h{n}@example.com" if n % 4 else None,
            company_name=f"Firm {n % 6}" if n % 3 else None,
        )
        made.append(person)
    made += [add(kind="institution", name=f"Harbor Works {n:02d}") for n in range(15)]
    for n, customer in enumerate(made):
        if n % 2 == 0:
            session.add(CustomerTag(customer_id=customer.id, tag="Dock" if n % 4 else "dock"))
        if n % 3 == 0:
            session.add(CustomerGroupMember(customer_id=customer.id, group_id=pier.id))
    session.commit()
    customers.trash_customers([c.id for c in made[:8]], actor=admin, session=session)
    session.commit()
    return pier


def plain_page(session: Session, query: ListQuery) -> list[int]:
    """The page as one plain statement lists it, the plans' reference."""
    key = col(SORT_COLUMNS[query.sort])
    order = (key.desc(), col(Customer.id).desc()) if query.direction == "desc" else (key.asc(), col(Customer.id).asc())
    where = queries.tab_filter(query.tab, query.search, session, group_id=query.group_id, tag=query.tag)
    offset = (query.page - 1) * query.page_size
    return list(session.exec(select(Customer.id).where(*where).order_by(*order).offset(offset).limit(10)).all())


def plain_counts(session: Session, **filters) -> dict[str, int]:
    counted = {}
    for tab in TABS:
        where = queries.tab_filter(tab, filters.get("search", ""), session, group_id=filters.get("group_id"),
                                   tag=filters.get("tag", ""))  # fmt: skip
        counted[tab] = session.exec(select(func.count()).select_from(Customer).where(*where)).one()
    return counted


def filters_of(pier: CustomerGroup) -> list[dict]:
    return [
        {"tag": "DOCK"},
        {"group_id": pier.id},
        {"group_id": pier.id, "tag": "dock"},
        {"group_id": pier.id, "tag": "dock", "search": "z"},  # a short search: a name prefix
        {"tag": "dock", "search": "harbor"},
        {"tag": "no such tag"},
    ]


@pytest.mark.parametrize("small", [5000, 3], ids=["filter-drives", "sort-index-drives"])
def test_filtered_pages_and_counts_match_the_plain_query(session, dock, monkeypatch, small):
    monkeypatch.setattr(search_plans, "CANDIDATE_LIMIT", small)  # the bound under which a filter drives
    monkeypatch.setattr(postgres_plans, "CANDIDATE_LIMIT", 3)  # a search is broad...
    monkeypatch.setattr(postgres_plans, "WALK_LIMIT", 1)  # ...and its candidates are all read
    for filters in filters_of(dock):
        for tab in TABS:
            for sort, direction in SORTS:
                for page in (1, 2, 3):
                    query = ListQuery(tab=tab, sort=sort, direction=direction, page=page, page_size=10, **filters)
                    query = query.checked((10,))
                    listed = [c.id for c in list_customers(query, actor=READER, session=session)]
                    assert listed == plain_page(session, query), (filters, tab, sort, direction, page)
        counts, estimated = count_tabs(actor=READER, session=session, **{"search": "", **filters})
        if small == 5000 and len(filters.get("search", "")) < 3:  # a driving filter's tabs are counted exactly
            assert (counts, estimated) == (plain_counts(session, **filters), frozenset()), filters


def plans_of(session: Session, sent: list[tuple[str, object]]) -> list[tuple[str, str]]:
    """Each statement read from `customer` with its plan, explained under the planner settings it was sent with (the
    plans' own set_config statements are sent again in order)."""
    connection = session.connection()
    explained = []
    for statement, parameters in sent:
        if "set_config(" in statement:
            connection.exec_driver_sql(statement, parameters)
        elif "FROM customer " in statement or "FROM customer\n" in statement:
            plan = connection.exec_driver_sql(f"EXPLAIN {statement}", parameters).scalars().all()
            explained.append((statement, "\n".join(plan)))
    session.rollback()
    return explained


@pytest.fixture
def postgres_dock(dock, backend):
    if backend != "postgresql":
        pytest.skip("PostgreSQL's plans")
    return dock


def test_a_tag_filters_page_and_counts_read_its_customers_once_by_primary_key(session, postgres_dock):
    query = ListQuery(tag="dock", group_id=postgres_dock.id).checked((25,))

    def page_load() -> None:
        list_customers(query, actor=READER, session=session)
        count_tabs("", tag="dock", group_id=postgres_dock.id, actor=READER, session=session)

    plans = plans_of(session, statements_sent(session, page_load))
    listing, _rows = plans  # the tagged customers listed once (the counts come from the same read), then the page
    assert "array_agg" in listing[0]
    assert "Index Scan using customer_pkey on customer" in listing[1], listing[1]
    assert "ix_customer_active_" not in listing[1]  # no walk of a sort index
    assert "Seq Scan on customer" not in listing[1]


def test_a_broad_search_whose_walk_fails_reads_its_candidates_through_the_trigram_index(
    session, postgres_dock, monkeypatch
):
    session.execute(  # thousands of others, so that the trigram index is the selective way in, as at scale
        text(
            "INSERT INTO customer (kind, display_name, sort_name, search_text, created_at, updated_at, version) "
            "SELECT 'individual', 'Other ' || n, 'other ' || n, 'other ' || n, now(), now(), 1 "
            "FROM generate_series(1, 3000) AS n"
        )
    )
    session.execute(text("ANALYZE customer"))
    session.commit()
    monkeypatch.setattr(postgres_plans, "CANDIDATE_LIMIT", 3)  # "harbor" is now broad...
    monkeypatch.setattr(postgres_plans, "WALK_LIMIT", 1)  # ...and its walk never fills a page
    query = ListQuery(search="harbor").checked((25,))
    sent = statements_sent(session, lambda: list_customers(query, actor=READER, session=session))
    read_all = [plan for statement, plan in plans_of(session, sent) if "MATERIALIZED" in statement]
    assert len(read_all) == 1
    assert "Bitmap Index Scan on ix_customer_search_trgm" in read_all[0], read_all[0]
    assert "ix_customer_active_" not in read_all[0]
