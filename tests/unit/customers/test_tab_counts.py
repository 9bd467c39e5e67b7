"""Tab counts kept by the database follow every write, a broad count says "about", and the chosen plans list the
same customers as a plain query, on SQLite and PostgreSQL."""

import re
from dataclasses import replace

import pytest
from sqlalchemy import event, text
from sqlmodel import Session, col, select

from customer_app.core.migrations import migrate
from customer_app.customers import customers, postgres_plans, queries, search_plans, tab_counts, trash_batches
from customer_app.customers.models import Customer
from customer_app.customers.queries import (
    SORT_COLUMNS,
    ListQuery,
    ShownPage,
    count_tabs,
    list_customers,
    shown_page,
)
from customer_app.customers.state.customer_list import CustomerListState
from customer_app.customers.validation import validate_customer
from customer_app.transfer import import_undo
from customer_app.ui.paging import count_text, range_text
from tests.unit.accounts import READER
from tests.unit.databases import postgres_schema, sqlite_engine_at
from tests.unit.reflex_helpers import run
from tests.unit.transfer.test_imports import commit, csv_bytes, in_chunks_of, previewed

BEFORE = "a3b4c5d6e7f8"  # the migration before the kept counts


def counted(session: Session) -> dict[str, int]:
    """Every tab's customers, counted row by row."""
    tab = "CASE WHEN deleted_at IS NULL THEN kind ELSE 'trash' END"
    found = dict(session.execute(text(f"SELECT {tab}, count(*) FROM customer GROUP BY 1")).all())
    return {name: found.get(name, 0) for name in tab_counts.TABS}


def shown(session: Session) -> dict[str, int]:
    """The counts a page load shows, checked against a real count."""
    counts, estimated = count_tabs("", actor=READER, session=session)
    assert not estimated
    assert counts == counted(session)
    return counts


def test_counts_follow_create_kind_change_trash_restore_purge_and_remove_all(session, add, admin):
    assert shown(session) == {"individual": 0, "institution": 0, "trash": 0}
    ann, bob = add(first_name="Ann", last_name="Able"), add(first_name="Bob", last_name="Brown")
    acme = add(kind="institution", name="Acme")
    assert shown(session) == {"individual": 2, "institution": 1, "trash": 0}
    as_firm = validate_customer({"kind": "institution", "name": "Ann Able Ltd"}, phone_region="US")
    customers.update_customer(ann.id, as_firm, actor=admin, session=session, expected_version=ann.version)
    session.commit()
    assert shown(session) == {"individual": 1, "institution": 2, "trash": 0}
    customers.trash_customers([bob.id, acme.id], actor=admin, session=session)
    session.commit()
    assert shown(session) == {"individual": 0, "institution": 1, "trash": 2}
    customers.restore_customers([acme.id], actor=admin, session=session)
    session.commit()
    assert shown(session) == {"individual": 0, "institution": 2, "trash": 1}
    customers.purge_customers([bob.id], actor=admin, session=session)
    session.commit()
    assert shown(session) == {"individual": 0, "institution": 2, "trash": 0}
    removed = customers.trash_matching("institution", "", actor=admin, session=session)  # Remove all
    session.commit()
    assert (removed, shown(session)) == (2, {"individual": 0, "institution": 0, "trash": 2})
    batch = session.exec(select(Customer.trash_batch_id).where(col(Customer.id) == acme.id)).one()
    trash_batches.restore_batch(batch, actor=admin, session=session)  # Restore all of that removal
    session.commit()
    assert shown(session) == {"individual": 0, "institution": 2, "trash": 0}


def test_a_write_rolled_back_leaves_the_counts_as_they_were(session, add, admin):
    ann = add(first_name="Ann", last_name="Able")
    customers.trash_customers([ann.id], actor=admin, session=session)
    add_more = validate_customer({"first_name": "Cy", "last_name": "Cole"}, phone_region="US")
    customers.create_customer(add_more, actor=admin, session=session)
    session.rollback()
    assert shown(session) == {"individual": 1, "institution": 0, "trash": 0}


def test_counts_follow_an_import_and_its_undo(session, engine, admin, add, tmp_path, monkeypatch):
    monkeypatch.setenv("IMPORT_DIR", str(tmp_path / "imports"))
    add(first_name="Ann", last_name="Able", email="ann@example.com")
    rows = [(f"P{n}", "Person", f"p{n}@example.com", "") for n in range(5)]
    job, _ = previewed(session, admin, csv_bytes(rows))
    done, _ = commit(session, engine, admin, job)
    assert done.created_count == 5
    assert shown(session) == {"individual": 6, "institution": 0, "trash": 0}
    import_undo.undo_import(job.id, actor=admin, session=session)
    session.commit()
    assert shown(session) == {"individual": 1, "institution": 0, "trash": 5}


def test_a_bulk_import_of_both_kinds_counts_each_tab_and_later_saves_still_count(
    session, engine, admin, add, tmp_path, monkeypatch
):
    monkeypatch.setenv("IMPORT_DIR", str(tmp_path / "imports"))
    in_chunks_of(monkeypatch, 3)  # several bulk writes, each counted once
    kinds = ["Individual" if n % 3 else "Institution" for n in range(8)]
    rows = [(kind, f"P{n}", "Person", f"Firm {n}", f"p{n}@example.com") for n, kind in enumerate(kinds)]
    job, _ = previewed(session, admin, csv_bytes(rows, ["Kind", "First name", "Last name", "Name", "Email"]))
    done, _ = commit(session, engine, admin, job)
    assert (done.created_count, done.error_count) == (8, 0)
    assert shown(session) == {"individual": 5, "institution": 3, "trash": 0}
    add(first_name="Ann", last_name="Able")  # the per-row trigger is back for everyone else's saves
    assert shown(session) == {"individual": 6, "institution": 3, "trash": 0}


def test_a_page_load_reads_the_kept_counts_and_counts_no_customer(session, add):
    add(first_name="Ann", last_name="Able")
    # Were the page counting rows, this change to the kept numbers alone would not show.
    session.execute(text("INSERT INTO customer_tab_count (tab, customers) VALUES ('trash', 41)"))
    assert count_tabs("", actor=READER, session=session)[0] == {"individual": 1, "institution": 0, "trash": 41}


@pytest.mark.parametrize("backend_name", ["sqlite", "postgresql"])
def test_the_migration_counts_the_customers_already_there(tmp_path, backend_name):
    def check(engine) -> None:
        migrate(engine, BEFORE, down=True)
        with engine.begin() as connection:
            for n, (kind, deleted) in enumerate(
                [("individual", None), ("individual", "2026-01-01"), ("institution", None)]
            ):
                connection.execute(
                    text(
                        "INSERT INTO customer (kind, display_name, sort_name, search_text, created_at, updated_at, "
                        "deleted_at, version) VALUES (:kind, :name, :sort, :search, '2026-01-01', '2026-01-01', "
                        ":deleted, 1)"
                    ),
                    {"kind": kind, "name": f"c{n}", "sort": f"c{n}", "search": f"c{n}", "deleted": deleted},
                )
        migrate(engine)
        with Session(engine) as session:
            assert shown(session) == {"individual": 1, "institution": 1, "trash": 1}

    if backend_name == "sqlite":
        engine = sqlite_engine_at(tmp_path / "counts.db")
        try:
            check(engine)
        finally:
            engine.dispose()
    else:
        with postgres_schema() as engine:
            check(engine)


# --- "about" ----------------------------------------------------------------------------------------------------


def test_an_estimate_is_shown_as_about_with_two_significant_figures():
    assert count_text(49_312, exact=False) == "about 49,000"
    assert count_text(1_204) == "1,204"
    assert count_text(87, exact=False) == "about 87"
    assert range_text(2, 25, 49_312, about=True) == "26–50 of about 49,000"
    assert range_text(2, 25, 30) == "26–30 of 30"


@pytest.fixture
def page(new_tab, staff_user) -> CustomerListState:
    return new_tab(staff_user).get_substate(CustomerListState._get_substate_path())


def test_a_broad_search_shows_about_on_its_tabs_and_a_narrow_one_exact_counts(page, add, monkeypatch, app_db):
    for n in range(30):
        add(first_name="Hana", last_name=f"Harbor{n:02d}")
    add(kind="institution", name="Dock Works")
    monkeypatch.setattr(postgres_plans, "CANDIDATE_LIMIT", 10)  # PostgreSQL counts 10 exactly, then estimates
    monkeypatch.setattr(search_plans, "CANDIDATE_LIMIT", 10)  # SQLite counts the first 10, then scales up
    run(page.on_load())
    assert page.count_labels == {"individual": "30", "institution": "1", "trash": "0"}
    run(page.set_search("harbor"))
    assert page.count_labels["individual"] == "about 30"
    assert page.range_label == "1–25 of about 30"
    run(page.set_search("dock"))
    assert page.count_labels == {"individual": "0", "institution": "1", "trash": "0"}


# --- the plans list what a plain query lists ------------------------------------------------------------------


def plain(session: Session, query: ListQuery) -> list[int]:
    """The page as one plain statement would list it (the plans' reference)."""
    key = col(SORT_COLUMNS[query.sort])
    desc = query.direction == "desc"
    order = (key.desc(), col(Customer.id).desc()) if desc else (key.asc(), col(Customer.id).asc())
    where = queries.tab_filter(query.tab, query.search, session)
    offset = (query.page - 1) * query.page_size
    statement = select(Customer.id).where(*where).order_by(*order).offset(offset).limit(query.page_size)
    return list(session.exec(statement).all())


@pytest.fixture
def harbour(session, add, admin):
    """Sixty customers sharing "harbor", some sorting early and some late, a few in Trash, some without e-mail."""
    made = []
    for n in range(45):
        email = f"h{n}@example.com" if n % 4 else None
        made.append(add(first_name=("Abe", "Zoë", "Mia")[n % 3], last_name=f"Harbor {n:02d}", email=email))
    for n in range(15):
        made.append(add(kind="institution", name=f"Harbor Works {n:02d}"))
    for n in range(40):
        add(first_name="Bea", last_name=f"Other {n:02d}")
    customers.trash_customers([c.id for c in made[:6]], actor=admin, session=session)
    session.commit()
    return session


@pytest.mark.parametrize("limits", [(1000, 1000, 1000), (3, 5, 1), (3, 1000, 1)], ids=["few", "walk-fails", "walks"])
@pytest.mark.parametrize("term", ["", "harbor", "zoe", "ha", "z", "works", "example", "nothing here"])
def test_every_plan_lists_what_a_plain_query_lists(harbour, monkeypatch, limits, term):
    candidates, walk, deep = limits
    for plans in (search_plans, postgres_plans):
        monkeypatch.setattr(plans, "CANDIDATE_LIMIT", candidates)
        monkeypatch.setattr(plans, "WALK_LIMIT", walk)
    monkeypatch.setattr(postgres_plans, "DEEP_OFFSET", deep)
    for tab in ("individual", "institution", "trash"):
        for sort, direction in [("name", "asc"), ("email", "desc"), ("created", "desc"), ("company", "asc")]:
            for page in (1, 2):
                query = ListQuery(tab=tab, search=term, sort=sort, direction=direction, page=page)
                listed = [c.id for c in list_customers(query.checked((25,)), actor=READER, session=harbour)]
                assert listed == plain(harbour, query.checked((25,))), (tab, sort, direction, page)


@pytest.mark.parametrize("sort", ["name asc", "name desc", "created asc", "created desc", "deleted desc"])
def test_next_and_previous_from_a_shown_page_read_from_its_edge_and_list_what_a_plain_query_lists(
    harbour, monkeypatch, sort
):
    monkeypatch.setattr(postgres_plans, "DEEP_OFFSET", 1)  # every page past the first is deep
    key, direction = sort.split()
    tab = "trash" if key == "deleted" else "individual"
    last = -(-counted(harbour)[tab] // 10)
    sent: list[str] = []
    listen = lambda *args: sent.append(args[2])  # noqa: E731 (the statement of before_cursor_execute)
    event.listen(harbour.get_bind(), "before_cursor_execute", listen)
    try:

        def step(page: int, shown: ShownPage | None) -> ShownPage | None:
            query = ListQuery(tab=tab, sort=key, direction=direction, page=page, page_size=10).checked((10,))
            sent.clear()
            found = list_customers(query, actor=READER, session=harbour, shown=shown)
            if shown is not None and page > 1:  # read from the edge row, not by skipping rows
                assert any(re.search(r"\(customer\.\w+, customer\.id\) [<>] ", text) for text in sent), sent
            assert [c.id for c in found] == plain(harbour, query), (page, shown and shown.query.page)
            return shown_page(query, found)

        shown = step(1, None)
        for page in range(2, last + 1):  # Next to the end
            shown = step(page, shown)
        for page in range(last - 1, 0, -1):  # then Previous back to the start
            shown = step(page, shown)
    finally:
        event.remove(harbour.get_bind(), "before_cursor_execute", listen)


def test_a_page_beside_one_of_another_view_is_read_by_its_offset(harbour, monkeypatch):
    monkeypatch.setattr(postgres_plans, "DEEP_OFFSET", 1)
    by_name = ListQuery(tab="individual", page=2, page_size=10).checked((10,))
    shown = shown_page(by_name, list_customers(by_name, actor=READER, session=harbour))
    for other in (
        ListQuery(tab="individual", page=3, page_size=10, direction="desc").checked((10,)),
        ListQuery(tab="individual", page=3, page_size=10, search="harbor").checked((10,)),
        ListQuery(tab="institution", page=3, page_size=10).checked((10,)),
        ListQuery(tab="individual", page=4, page_size=10).checked((10,)),  # not next to it
    ):
        listed = [c.id for c in list_customers(other, actor=READER, session=harbour, shown=shown)]
        assert listed == plain(harbour, other), other


def test_next_after_a_customer_was_added_above_continues_after_the_last_row_seen(harbour, monkeypatch, add):
    monkeypatch.setattr(postgres_plans, "DEEP_OFFSET", 1)
    page_two = ListQuery(tab="individual", page=2, page_size=10).checked((10,))
    seen = list_customers(page_two, actor=READER, session=harbour)
    add(first_name="Aaron", last_name="Early")  # sorts first: by offset, page 3 would repeat page 2's last row
    harbour.commit()
    page_three = ListQuery(tab="individual", page=3, page_size=10).checked((10,))
    listed = list_customers(page_three, actor=READER, session=harbour, shown=shown_page(page_two, seen))
    assert plain(harbour, page_three)[0] == seen[-1].id  # what the offset would show again
    assert [c.id for c in listed] == (plain(harbour, page_three) + plain(harbour, replace(page_three, page=4)))[1:11]


def test_the_lists_next_and_previous_read_from_the_shown_pages_edge_and_show_what_a_jump_shows(
    page, add, monkeypatch, app_db
):
    for n in range(60):
        add(first_name="Ines", last_name=f"Deep {n:02d}")
    monkeypatch.setattr(postgres_plans, "DEEP_OFFSET", 1)
    run(page.on_load())
    jumped = {}
    for number in (3, 1, 2):  # each page opened afresh (from its address): read by its offset
        page._shown = None
        run(page.go_to_page(number))
        jumped[number] = [row["id"] for row in page.rows]
    assert len({i for ids in jumped.values() for i in ids}) == 60  # three pages, no row twice
    beside = []
    monkeypatch.setattr(queries, "_beside", lambda q, s, real=queries._beside: beside.append(real(q, s)) or real(q, s))
    run(page.go_to_page(1))
    for number in (2, 3, 2, 1):  # Next, Next, Previous, Previous
        run(page.go_to_page(number))
        assert [row["id"] for row in page.rows] == jumped[number], number
    assert all(found is not None for found in beside[1:]), "every step but the first read from the shown edge"


@pytest.mark.parametrize("deep", [1, 1000])
def test_deep_pages_read_from_the_nearer_end_list_what_a_plain_query_lists(harbour, monkeypatch, deep):
    monkeypatch.setattr(postgres_plans, "DEEP_OFFSET", deep)  # 1: every page past the first is deep
    sizes = counted(harbour)
    for tab in ("individual", "institution", "trash"):
        last = -(-sizes[tab] // 10)
        for sort, direction in [("name", "asc"), ("name", "desc"), ("email", "asc"), ("email", "desc")]:
            for page in range(1, last + 2):  # every page, the last one short, then one past the end
                query = ListQuery(tab=tab, sort=sort, direction=direction, page=page, page_size=10).checked((10,))
                listed = [c.id for c in list_customers(query, actor=READER, session=harbour)]
                assert listed == plain(harbour, query), (tab, sort, direction, page)
                assert len(listed) == (min(10, sizes[tab] - (page - 1) * 10) if page <= last else 0)
