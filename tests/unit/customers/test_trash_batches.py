"""Every Trash action is one removal, and a removal comes back in one action: exactly its customers, minus those
restored or deleted for good since, with nothing lost and only for people who may restore."""

import pytest
from sqlalchemy import event, text
from sqlmodel import Session, col, select

from customer_app.core.models import AuditEvent
from customer_app.customers import customers, trash_batches
from customer_app.customers.models import Customer, CustomerTag, TrashBatch
from customer_app.customers.validation import validate_customer
from customer_app.errors import NotFoundError, PermissionDenied


def people(add, prefix: str, n: int) -> list[int]:
    return [add(first_name=f"{prefix}{i}", last_name="Person", email=f"{prefix}{i}@example.com").id for i in range(n)]


def in_trash(session: Session, ids: list[int]) -> list[bool]:
    session.expire_all()
    return [session.get(Customer, i).deleted_at is not None for i in ids]


def test_each_trash_action_is_one_removal_saying_who_when_and_how_many(session, add, staff):
    picked, matched = people(add, "pick", 3), people(add, "zed", 2)
    assert customers.trash_customers(picked, actor=staff, session=session) == 3
    assert customers.trash_matching("individual", "zed", actor=staff, session=session) == 2
    session.commit()
    batches = session.exec(select(TrashBatch).order_by(col(TrashBatch.id))).all()
    assert [(b.moved, b.actor_name, b.actor_id) for b in batches] == [
        (3, "Sam Staff", staff.id),
        (2, "Sam Staff", staff.id),
    ]
    assert {session.get(Customer, i).trash_batch_id for i in picked} == {batches[0].id}
    assert {session.get(Customer, i).trash_batch_id for i in matched} == {batches[1].id}
    assert batches[0].at.tzinfo is not None


def test_restore_all_brings_back_exactly_that_removal_and_is_audited(session, add, staff, admin):
    first, second = people(add, "first", 3), people(add, "second", 2)
    customers.trash_customers(first, actor=staff, session=session)
    customers.trash_customers(second, actor=staff, session=session)
    session.commit()
    batch = session.get(Customer, first[0]).trash_batch_id
    result = trash_batches.restore_batch(batch, actor=admin, session=session)
    session.commit()
    assert (result.restored, result.gone, result.kept) == (3, 0, 0)
    assert in_trash(session, first) == [False] * 3
    assert in_trash(session, second) == [True] * 2
    assert {session.get(Customer, i).trash_batch_id for i in first} == {None}
    restores = session.exec(select(AuditEvent).where(AuditEvent.action == "restore")).all()
    assert sorted(e.entity_id for e in restores) == sorted(first)
    summary = session.exec(select(AuditEvent).where(AuditEvent.action == "restore_batch")).one()
    assert (summary.entity_id, summary.actor_email) == (batch, admin.email)
    assert summary.summary.startswith("Restored 3 of 3 customers removed on ")
    assert summary.summary.endswith(" by Sam Staff")


def test_restore_all_skips_customers_restored_or_purged_since(session, add, staff, admin):
    ids = people(add, "part", 5)
    customers.trash_customers(ids, actor=staff, session=session)
    session.commit()
    batch = session.get(Customer, ids[0]).trash_batch_id
    customers.restore_customers([ids[0]], actor=staff, session=session)
    customers.purge_customers([ids[1]], actor=admin, session=session)
    session.commit()
    [removal] = trash_batches.recent_removals(actor=staff, session=session)
    assert (removal.id, removal.moved, removal.in_trash) == (batch, 5, 3)

    result = trash_batches.restore_batch(batch, actor=staff, session=session)
    session.commit()
    assert (result.restored, result.gone, result.kept) == (3, 2, 0)
    assert in_trash(session, [ids[0], *ids[2:]]) == [False] * 4
    assert session.get(Customer, ids[1]) is None
    assert trash_batches.recent_removals(actor=staff, session=session) == []  # nothing of it left in Trash
    again = trash_batches.restore_batch(batch, actor=staff, session=session)
    assert (again.restored, again.gone) == (0, 5)


def test_a_customer_trashed_again_belongs_to_its_new_removal_only(session, add, staff):
    a, b, c = people(add, "again", 3)
    customers.trash_customers([a, b], actor=staff, session=session)
    customers.restore_customers([a], actor=staff, session=session)
    customers.trash_customers([a, c], actor=staff, session=session)
    session.commit()
    old = session.get(Customer, b).trash_batch_id
    assert session.get(Customer, a).trash_batch_id == session.get(Customer, c).trash_batch_id != old
    result = trash_batches.restore_batch(old, actor=staff, session=session)
    session.commit()
    assert (result.restored, result.gone) == (1, 1)
    assert in_trash(session, [a, b, c]) == [True, False, True]


def test_a_customer_whose_email_is_now_taken_stays_in_trash_and_the_rest_come_back(session, add, staff):
    ids = people(add, "mail", 3)
    customers.trash_customers(ids, actor=staff, session=session)
    session.commit()
    add(first_name="New", last_name="Owner", email="mail1@example.com")
    batch = session.get(Customer, ids[0]).trash_batch_id
    result = trash_batches.restore_batch(batch, actor=staff, session=session)
    session.commit()
    assert (result.restored, result.gone, result.kept) == (2, 0, 1)
    assert in_trash(session, ids) == [False, True, False]
    assert session.get(Customer, ids[1]).trash_batch_id == batch  # still restorable once the e-mail is free
    [removal] = trash_batches.recent_removals(actor=staff, session=session)
    assert removal.in_trash == 1


def test_read_only_staff_see_removals_but_cannot_restore_them(session, add, staff, reader):
    ids = people(add, "ro", 2)
    customers.trash_customers(ids, actor=staff, session=session)
    session.commit()
    batch = session.get(Customer, ids[0]).trash_batch_id
    assert [r.id for r in trash_batches.recent_removals(actor=reader, session=session)] == [batch]
    audit_before = len(session.exec(select(AuditEvent)).all())
    for caller in (reader, None):
        with pytest.raises(PermissionDenied):
            trash_batches.restore_batch(batch, actor=caller, session=session)
        session.rollback()
    with pytest.raises(PermissionDenied):
        trash_batches.recent_removals(actor=None, session=session)
    assert in_trash(session, ids) == [True, True]
    assert len(session.exec(select(AuditEvent)).all()) == audit_before


def test_restoring_a_removal_that_never_existed_says_so(session, staff):
    with pytest.raises(NotFoundError):
        trash_batches.restore_batch(999_999, actor=staff, session=session)


def test_recent_removals_are_newest_first_and_only_those_of_several_customers(session, add, staff):
    single = people(add, "one", 1)
    groups = [people(add, f"g{n}x", 2) for n in range(7)]
    for group in groups:
        customers.trash_customers(group, actor=staff, session=session)
    customers.trash_customers(single, actor=staff, session=session)
    session.commit()
    listed = trash_batches.recent_removals(actor=staff, session=session)
    expected = [session.get(Customer, g[0]).trash_batch_id for g in reversed(groups)][: trash_batches.RECENT]
    assert [r.id for r in listed] == expected
    assert all((r.moved, r.in_trash, r.actor_name) == (2, 2, "Sam Staff") for r in listed)


def test_restore_all_of_thousands_is_one_update_and_loses_nothing(session, engine, staff, admin, backend):
    rows = [
        validate_customer(
            {"first_name": f"Bulk{i}", "last_name": "Ø Ünïcode", "email": f"b{i}@example.com"}, phone_region="US"
        )
        for i in range(1500)
    ]
    made = [customers.create_customer(r, actor=admin, session=session) for r in rows]
    session.add(CustomerTag(customer_id=made[0].id, tag="vip"))
    session.commit()
    before = {c.id: c.model_dump(exclude={"version", "updated_at"}) for c in made}
    assert customers.trash_matching("individual", "", actor=staff, session=session) == 1500
    session.commit()
    batch = session.get(Customer, made[0].id).trash_batch_id

    updates: list[str] = []

    def count_updates(conn, cursor, statement, *args):
        if statement.lstrip().upper().startswith("UPDATE CUSTOMER"):
            updates.append(statement)

    event.listen(engine, "before_cursor_execute", count_updates)
    try:
        result = trash_batches.restore_batch(batch, actor=staff, session=session)
    finally:
        event.remove(engine, "before_cursor_execute", count_updates)
    session.commit()
    assert result.restored == 1500
    assert len(updates) == 1
    session.expire_all()
    after = {c.id: c.model_dump(exclude={"version", "updated_at"}) for c in session.exec(select(Customer))}
    assert after == before
    assert session.exec(select(CustomerTag.customer_id)).all() == [made[0].id]
    found = session.execute(text("SELECT count(*) FROM customer WHERE deleted_at IS NULL")).scalar_one()
    assert found == 1500
