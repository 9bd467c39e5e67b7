"""Undo right after a Trash action, and Trash's recent removals with Restore all, driven through the customers
page's handlers by a signed-in staff member."""

import asyncio

import pytest
from sqlalchemy import Engine
from sqlmodel import Session, select

from customer_app.core.live import hub
from customer_app.customers import customers
from customer_app.customers.models import Customer
from customer_app.customers.state.customer_list import CustomerListState
from tests.unit.reflex_helpers import run, toast, toast_undo


@pytest.fixture
def page(new_tab, staff_user) -> CustomerListState:
    return new_tab(staff_user).get_substate(CustomerListState._get_substate_path())


@pytest.fixture
def five(add) -> list[int]:
    """Five individuals, "Pat 1".."Pat 5"."""
    return [add(first_name="Pat", last_name=str(n)).id for n in range(1, 6)]


def undo_of(answer) -> tuple[str, str]:
    """The handler and removal the toast's Undo button sends (it must have one)."""
    undo = toast_undo(answer)
    assert undo is not None, "the toast offers no Undo"
    return undo


def active(engine: Engine) -> set[int]:
    with Session(engine) as session:
        return set(session.exec(select(Customer.id).where(Customer.deleted_at == None)))  # noqa: E711


def test_trashing_selected_rows_offers_undo_of_exactly_that_removal(page, five, session, admin, app_db):
    run(page.on_load())
    page.selected = [str(i) for i in five[:3]]
    answer = run(page.remove_selected())
    assert toast(answer) == ("success", "3 customer(s) moved to Trash.")
    handler, removal = undo_of(answer)
    customers.trash_customers([five[3]], actor=admin, session=session)  # someone else's removal meanwhile
    session.commit()

    undone = run(getattr(page, handler)(removal))
    assert toast(undone) == ("success", "3 customer(s) restored.")
    assert active(app_db) == {*five[:3], five[4]}
    assert sorted(names["name"] for names in page.rows) == ["Pat 1", "Pat 2", "Pat 3", "Pat 5"]


def test_remove_all_and_deleting_one_row_offer_undo_too(page, five, app_db):
    run(page.on_load())
    page.ask_delete(str(five[0]), "Pat 1")
    one = run(page.confirm_delete())
    assert toast(one) == ("success", "Customer moved to Trash.")
    run(page.undo_trash(undo_of(one)[1]))
    assert active(app_db) == set(five)

    everything = run(page.remove_all())
    assert toast(everything) == ("success", "5 customer(s) moved to Trash.")
    run(page.undo_trash(undo_of(everything)[1]))
    assert active(app_db) == set(five)


def test_purging_in_trash_offers_no_undo(new_tab, admin_user, five, session, admin):
    customers.trash_customers(five[:1], actor=admin, session=session)
    session.commit()
    page = new_tab(admin_user).get_substate(CustomerListState._get_substate_path())
    run(page.set_tab("trash"))
    page.ask_delete(str(five[0]), "Pat 1")
    answer = run(page.confirm_delete())
    assert toast(answer) == ("success", "Customer deleted permanently.")
    assert toast_undo(answer) is None


def test_trash_lists_recent_removals_and_restore_all_asks_first(page, five, session, staff, admin, app_db):
    customers.trash_customers(five[:4], actor=staff, session=session)
    session.commit()
    customers.purge_customers([five[0]], actor=admin, session=session)
    session.commit()
    run(page.on_load())
    assert page.removals == []  # shown in Trash only
    run(page.set_tab("trash"))
    [removal] = page.removals
    assert removal["summary"].startswith("4 customers removed on ")
    assert removal["summary"].endswith(" by Sam Staff")
    assert (removal["left"], removal["label"], removal["count"]) == ("3 still in Trash", "", "3")

    page.ask_restore_removal("999999")  # not one the page shows
    assert page.restore_id == ""
    page.ask_restore_removal(removal["id"])
    assert page.restore_removal == removal
    page.set_restore_open(False)
    assert page.restore_id == ""
    assert active(app_db) == {five[4]}  # dismissing restores nothing

    page.ask_restore_removal(removal["id"])
    answer = run(page.restore_removal_confirmed())
    assert toast(answer) == (
        "success",
        "3 customer(s) restored. 1 had already been restored or deleted permanently.",
    )
    assert active(app_db) == set(five[1:])
    assert (page.rows, page.removals, page.restore_id) == ([], [], "")


def test_restore_all_says_which_stay_in_trash_for_a_taken_email(page, session, staff, add, app_db):
    ids = [add(first_name="Em", last_name=str(n), email=f"em{n}@example.com").id for n in range(3)]
    customers.trash_customers(ids, actor=staff, session=session)
    session.commit()
    add(first_name="New", last_name="Owner", email="em0@example.com")
    run(page.set_tab("trash"))
    page.ask_restore_removal(page.removals[0]["id"])
    answer = run(page.restore_removal_confirmed())
    assert toast(answer) == (
        "warning",
        "2 customer(s) restored. 1 stay in Trash: another customer now uses their e-mail address.",
    )
    assert page.removals[0]["left"] == "1 still in Trash"


def test_restore_all_wakes_the_other_open_pages(page, five, session, staff, app_db):
    customers.trash_customers(five, actor=staff, session=session)
    session.commit()
    run(page.set_tab("trash"))
    page.ask_restore_removal(page.removals[0]["id"])

    async def restore_while_another_page_is_open() -> bool:
        async with hub.subscribe("another-browser-tab") as other:
            await page.restore_removal_confirmed()
            return other.wake.is_set()

    assert asyncio.run(restore_while_another_page_is_open())
    assert active(app_db) == set(five)
