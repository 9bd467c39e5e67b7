"""Creating, editing, trashing, restoring and purging customers, on SQLite and PostgreSQL."""

from datetime import UTC, datetime, timedelta

import pytest
from sqlmodel import Session, select

from customer_app.core.columns import utcnow
from customer_app.customers import customers
from customer_app.customers.models import Customer
from customer_app.customers.queries import ListQuery, count_customers, list_customers
from customer_app.customers.validation import validate_customer
from customer_app.errors import ConflictError, NotFoundError, ValidationError
from tests.unit.accounts import READER
from tests.unit.refusals import SIGN_IN, refusal


def data(**raw: object):
    return validate_customer(raw, phone_region="US")


def stored(session: Session, customer_id: int) -> Customer:
    """The row as the database has it now (not the session's cached copy)."""
    session.expire_all()
    return session.exec(select(Customer).where(Customer.id == customer_id)).one()


def as_utc(moment: datetime) -> datetime:
    """A stored timestamp as aware UTC."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def names(session: Session, tab: str) -> list[str]:
    return [c.display_name for c in list_customers(ListQuery(tab=tab).checked((25,)), actor=READER, session=session)]


# --- create -------------------------------------------------------------------------------------------------


def test_created_individual_is_stored_with_display_sort_and_search_forms(session, add):
    customer = add(
        first_name="Zoë",
        last_name="Ångström",
        email="Zoe@Example.COM",
        phone="202-555-0143",
        mobile="+49 30 12345678",
        company_name="Büro GmbH",
    )
    row = stored(session, customer.id)
    assert row.kind == "individual"
    assert row.display_name == "Zoë Ångström"
    assert row.sort_name == "zoe angstrom"
    assert row.email == "Zoe@example.com"
    assert row.email_key == "zoe@example.com"
    assert row.search_text == "zoe angstrom zoe@example.com buro gmbh 12025550143 493012345678"
    assert row.version == 1
    assert row.deleted_at is None
    assert abs(as_utc(row.created_at) - utcnow()) < timedelta(minutes=1)
    assert row.updated_at == row.created_at or as_utc(row.updated_at) >= as_utc(row.created_at)


def test_stored_timestamps_come_back_as_utc_aware_datetimes(session, add, backend, request, admin):
    customer = add(last_name="Lee")
    customers.trash_customers([customer.id], actor=admin, session=session)
    session.commit()
    row = stored(session, customer.id)
    assert [t.utcoffset() for t in (row.created_at, row.updated_at, row.deleted_at)] == [timedelta(0)] * 3


def test_created_institution_is_named_by_its_name(session, add):
    customer = add(kind="institution", name="ACME Corp", ownership_type="corporation", company_name="ACME Group")
    row = stored(session, customer.id)
    assert (row.kind, row.display_name, row.sort_name, row.ownership_type) == (
        "institution",
        "ACME Corp",
        "acme corp",
        "Corporation",
    )
    assert row.first_name is None
    assert row.email_key is None


def test_individual_with_only_a_last_name_is_displayed_by_it(session, add):
    assert stored(session, add(last_name="Lee").id).display_name == "Lee"


def test_new_customer_appears_in_its_tab_only(session, add):
    add(first_name="Ann", last_name="Lee")
    add(kind="institution", name="Acme")
    assert names(session, "individual") == ["Ann Lee"]
    assert names(session, "institution") == ["Acme"]
    assert names(session, "trash") == []


# --- e-mail uniqueness --------------------------------------------------------------------------------------


def test_second_customer_with_the_same_email_in_other_case_is_refused(session, add, admin):
    add(last_name="First", email="A@x.com")
    with pytest.raises(ValidationError) as caught:
        customers.create_customer(data(last_name="Second", email="a@X.COM"), actor=admin, session=session)
    assert caught.value.errors == {"email": customers.EMAIL_TAKEN}
    session.rollback()
    assert names(session, "individual") == ["First"]


def test_email_taken_by_an_institution_is_refused_for_an_individual(session, add, admin):
    add(kind="institution", name="Acme", email="info@acme.com")
    with pytest.raises(ValidationError):
        customers.create_customer(data(last_name="Lee", email="INFO@acme.com"), actor=admin, session=session)


def test_customers_without_email_do_not_clash(session, add):
    add(last_name="One")
    add(last_name="Two")
    assert count_customers("individual", "", actor=READER, session=session) == 2


def test_editing_a_customer_may_keep_its_own_email(session, add, admin):
    customer = add(last_name="Lee", email="ann@x.com")
    updated = customers.update_customer(
        customer.id, data(last_name="Lee", email="ANN@x.com"), actor=admin, session=session, expected_version=1
    )
    assert updated.email == "ANN@x.com"


def test_editing_a_customer_to_another_customers_email_is_refused(session, add, admin):
    add(last_name="Lee", email="ann@x.com")
    other = add(last_name="Roe", email="bob@x.com")
    with pytest.raises(ValidationError) as caught:
        customers.update_customer(
            other.id, data(last_name="Roe", email="Ann@X.com"), actor=admin, session=session, expected_version=1
        )
    assert set(caught.value.errors) == {"email"}
    session.rollback()
    assert stored(session, other.id).email == "bob@x.com"


def test_customer_in_trash_does_not_block_its_email(session, add, admin):
    old = add(last_name="Old", email="ann@x.com")
    customers.trash_customers([old.id], actor=admin, session=session)
    session.commit()
    new = customers.create_customer(data(last_name="New", email="Ann@x.com"), actor=admin, session=session)
    session.commit()
    assert stored(session, new.id).email_key == "ann@x.com"


# --- restore ------------------------------------------------------------------------------------------------


def test_restore_brings_a_customer_back_to_its_tab(session, add, admin):
    customer = add(last_name="Lee", email="ann@x.com")
    customers.trash_customers([customer.id], actor=admin, session=session)
    session.commit()
    assert customers.restore_customers([customer.id], actor=admin, session=session) == 1
    session.commit()
    row = stored(session, customer.id)
    assert row.deleted_at is None
    assert row.version == 3
    assert names(session, "individual") == ["Lee"]
    assert names(session, "trash") == []


def test_restore_is_refused_when_the_email_was_taken_meanwhile(session, add, admin):
    old = add(last_name="Old", email="ann@x.com")
    customers.trash_customers([old.id], actor=admin, session=session)
    session.commit()
    new = add(last_name="New", email="ANN@x.com")
    with pytest.raises(ValidationError) as caught:
        customers.restore_customers([old.id], actor=admin, session=session)
    assert set(caught.value.errors) == {"email"}
    assert "Old cannot be restored" in caught.value.errors["email"]
    session.rollback()
    assert stored(session, old.id).deleted_at is not None
    assert stored(session, old.id).version == 2
    assert stored(session, new.id).deleted_at is None
    assert names(session, "trash") == ["Old"]


def test_restore_of_several_changes_nothing_when_one_is_refused(session, add, admin):
    free = add(last_name="Free", email="free@x.com")
    taken = add(last_name="Taken", email="ann@x.com")
    customers.trash_customers([free.id, taken.id], actor=admin, session=session)
    session.commit()
    add(last_name="Newcomer", email="ann@x.com")
    with pytest.raises(ValidationError):
        customers.restore_customers([free.id, taken.id], actor=admin, session=session)
    session.rollback()  # what db.session_scope does with an error
    assert sorted(names(session, "trash")) == ["Free", "Taken"]


def test_restore_skips_customers_that_are_not_in_trash(session, add, admin):
    customer = add(last_name="Lee")
    assert customers.restore_customers([customer.id], actor=admin, session=session) == 0
    assert stored(session, customer.id).version == 1


# --- soft delete and purge ----------------------------------------------------------------------------------


def test_trashed_customer_leaves_lists_and_counts_and_shows_in_trash(session, add, admin):
    keep = add(last_name="Keep")
    gone = add(last_name="Gone")
    add(kind="institution", name="Acme")
    assert customers.trash_customers([gone.id], actor=admin, session=session) == 1
    session.commit()
    assert names(session, "individual") == ["Keep"]
    assert count_customers("individual", "", actor=READER, session=session) == 1
    assert count_customers("trash", "", actor=READER, session=session) == 1
    assert names(session, "trash") == ["Gone"]
    assert stored(session, keep.id).deleted_at is None
    row = stored(session, gone.id)
    assert row.deleted_at is not None
    assert row.version == 2


def test_trashing_a_customer_twice_counts_once(session, add, admin):
    customer = add(last_name="Lee")
    customers.trash_customers([customer.id], actor=admin, session=session)
    assert customers.trash_customers([customer.id], actor=admin, session=session) == 0


def test_trashed_customer_cannot_be_opened_for_editing(session, add, admin):
    customer = add(last_name="Lee")
    customers.trash_customers([customer.id], actor=admin, session=session)
    session.commit()
    with pytest.raises(NotFoundError):
        customers.get_customer(customer.id, actor=READER, session=session)
    assert customers.get_customer(customer.id, actor=READER, session=session, in_trash=True).display_name == "Lee"


@pytest.mark.parametrize("in_trash", [False, True], ids=["active", "in trash"])
def test_nobody_signed_in_opens_no_customer(in_trash):
    def read(actor, session):
        return customers.get_customer(1, actor=actor, session=session, in_trash=in_trash)

    assert refusal(read, None).startswith(SIGN_IN)


def test_read_only_staff_open_a_customer(session, add):
    assert customers.get_customer(add(last_name="Lee").id, actor=READER, session=session).display_name == "Lee"


def test_purge_deletes_a_trashed_customer_for_good(session, add, admin):
    customer = add(last_name="Lee")
    customers.trash_customers([customer.id], actor=admin, session=session)
    session.commit()
    assert customers.purge_customers([customer.id], actor=admin, session=session) == 1
    session.commit()
    session.expire_all()
    assert session.get(Customer, customer.id) is None
    assert count_customers("trash", "", actor=READER, session=session) == 0


def test_a_purged_customers_id_is_never_given_to_a_newcomer(session, add, admin):
    newest = add(last_name="Newest")
    customers.trash_customers([newest.id], actor=admin, session=session)
    customers.purge_customers([newest.id], actor=admin, session=session)
    session.commit()
    newcomer = add(last_name="Newcomer")
    session.commit()
    assert newcomer.id > newest.id


def test_purge_never_deletes_an_active_customer(session, add, admin):
    active = add(last_name="Active")
    trashed = add(last_name="Trashed")
    customers.trash_customers([trashed.id], actor=admin, session=session)
    session.commit()
    assert customers.purge_customers([active.id, trashed.id], actor=admin, session=session) == 1
    session.commit()
    assert names(session, "individual") == ["Active"]
    assert names(session, "trash") == []


# --- editing and optimistic concurrency ---------------------------------------------------------------------


def test_update_saves_new_values_and_bumps_the_version(session, add, admin):
    customer = add(first_name="Ann", last_name="Lee", email="ann@x.com")
    updated = customers.update_customer(
        customer.id,
        data(first_name="Anna", last_name="Lee-Roe", phone="2025550143"),
        actor=admin,
        session=session,
        expected_version=1,
    )
    session.commit()
    row = stored(session, customer.id)
    assert updated.version == row.version == 2
    assert (row.display_name, row.sort_name, row.email, row.email_key, row.phone) == (
        "Anna Lee-Roe",
        "anna lee-roe",
        None,
        None,
        "+12025550143",
    )
    assert "12025550143" in row.search_text
    assert row.updated_at >= row.created_at


def test_update_with_a_stale_version_is_refused_and_changes_nothing(session, add, admin):
    customer = add(first_name="Ann", last_name="Lee", email="ann@x.com")
    customers.update_customer(
        customer.id,
        data(first_name="Anna", last_name="Lee", email="ann@x.com"),
        actor=admin,
        session=session,
        expected_version=1,
    )
    session.commit()
    with pytest.raises(ConflictError):
        customers.update_customer(
            customer.id, data(first_name="Stale", last_name="Edit"), actor=admin, session=session, expected_version=1
        )
    session.rollback()
    row = stored(session, customer.id)
    assert (row.display_name, row.email, row.version) == ("Anna Lee", "ann@x.com", 2)


def test_update_of_a_trashed_customer_is_refused(session, add, admin):
    customer = add(last_name="Lee")
    customers.trash_customers([customer.id], actor=admin, session=session)
    session.commit()
    with pytest.raises(NotFoundError):
        customers.update_customer(customer.id, data(last_name="Roe"), actor=admin, session=session, expected_version=2)


def test_second_session_saving_with_the_version_it_read_loses_to_the_first(engine, add, admin):
    customer = add(last_name="Lee")
    with Session(engine, expire_on_commit=False) as first, Session(engine, expire_on_commit=False) as second:
        customers.update_customer(customer.id, data(last_name="First"), actor=admin, session=first, expected_version=1)
        first.commit()
        with pytest.raises(ConflictError):
            customers.update_customer(
                customer.id, data(last_name="Second"), actor=admin, session=second, expected_version=1
            )
    with Session(engine) as check:
        assert check.get(Customer, customer.id).display_name == "First"


# --- two saves racing for one e-mail ----------------------------------------------------------------------------


@pytest.fixture
def rival_takes_the_email_after_the_check(engine, monkeypatch, admin):
    """Let the app's e-mail check pass, then have another user commit a customer with that e-mail (once)."""
    check = customers._ensure_email_free

    def check_then_lose_the_race(session, key, *, exclude_id):
        check(session, key, exclude_id=exclude_id)
        monkeypatch.setattr(customers, "_ensure_email_free", check)  # the rival's own save checks normally
        with Session(engine) as rival:
            customers.create_customer(data(last_name="Rival", email=key), actor=admin, session=rival)
            rival.commit()

    monkeypatch.setattr(customers, "_ensure_email_free", check_then_lose_the_race)


def test_create_losing_a_race_for_an_email_reports_the_email_field(
    session, admin, rival_takes_the_email_after_the_check
):
    with pytest.raises(ValidationError) as caught:
        customers.create_customer(data(last_name="Lee", email="ann@x.com"), actor=admin, session=session)
    assert caught.value.errors == {"email": customers.EMAIL_TAKEN}
    assert names(session, "individual") == ["Rival"]


def test_update_losing_a_race_for_an_email_reports_the_email_field(session, add, request, admin):
    customer = add(last_name="Lee")
    request.getfixturevalue("rival_takes_the_email_after_the_check")
    with pytest.raises(ValidationError) as caught:
        customers.update_customer(
            customer.id, data(last_name="Lee", email="ann@x.com"), actor=admin, session=session, expected_version=1
        )
    assert caught.value.errors == {"email": customers.EMAIL_TAKEN}
