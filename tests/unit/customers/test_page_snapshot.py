"""A page's rows and its tab counts are read from one moment, even while another worker saves between the reads."""

from sqlmodel import Session

from customer_app.customers import customers, queries
from customer_app.customers.queries import ListQuery
from customer_app.customers.state import customer_list
from customer_app.customers.validation import validate_customer


def add(session: Session, actor, last_name: str) -> None:
    data = validate_customer({"first_name": "Ada", "last_name": last_name}, phone_region="US")
    customers.create_customer(data, actor=actor, session=session)


def test_a_save_between_the_rows_and_the_counts_shows_in_neither(app_db, admin, monkeypatch):
    with Session(app_db) as session:
        add(session, admin, "First")
        session.commit()
    count_tabs = queries.count_tabs

    def another_worker_saves_first(*args, **kwargs):
        with Session(app_db) as other:  # commits while the page is being read
            add(other, admin, "Second")
            other.commit()
        return count_tabs(*args, **kwargs)

    monkeypatch.setattr(customer_list, "count_tabs", another_worker_saves_first)
    page = customer_list.fetch_page(ListQuery(), admin)
    assert [row["name"] for row in page.rows] == ["Ada First"]
    assert page.counts["individual"] == 1  # a count of 2 beside one row would be a page that contradicts itself
    monkeypatch.setattr(customer_list, "count_tabs", count_tabs)
    page = customer_list.fetch_page(ListQuery(), admin)  # the next read sees the save
    assert (len(page.rows), page.counts["individual"]) == (2, 2)


def test_a_refresh_that_changes_nothing_on_the_page_sends_nothing(app_db, admin, new_tab, staff_user):
    with Session(app_db) as session:
        add(session, admin, "Shown")
        session.commit()
    page = new_tab(staff_user).get_substate(customer_list.CustomerListState._get_substate_path())
    page._show(customer_list.fetch_page(ListQuery(), admin))
    page._clean()  # what the browser holds now
    page._was_touched = False  # what Redis holds now
    page._show(customer_list.fetch_page(ListQuery(), admin), refresh=True)  # after a save it does not show
    assert page.get_delta() == {}
    assert not page._was_touched  # nothing to write back either
    with Session(app_db) as session:
        add(session, admin, "Added")
        session.commit()
    page._show(customer_list.fetch_page(ListQuery(), admin), refresh=True)
    sent = next(iter(page.get_delta().values()))
    assert {key.split("_rx_state_")[0] for key in sent} >= {"rows", "counts"}
    assert [row["name"] for row in page.rows] == ["Ada Added", "Ada Shown"]
