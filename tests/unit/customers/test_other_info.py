"""Other info: business number, tags with suggestions, admin-kept groups and a sales rep."""

import pytest

from customer_app.customers.models import Customer
from customer_app.customers.other_info import (
    add_group,
    group_sizes,
    list_groups,
    other_info,
    parse_tags,
    remove_group,
    rename_group,
    sales_reps,
    save_other_info,
    tag_suggestions,
)
from customer_app.errors import NotFoundError, PermissionDenied, ValidationError
from tests.unit.accounts import READER
from tests.unit.refusals import NOT_YOUR_ROLE, SIGN_IN, refusal

READS = {
    "other_info": lambda actor, session: other_info(1, actor=actor, session=session),
    "tag_suggestions": lambda actor, session: tag_suggestions(actor=actor, session=session),
    "list_groups": lambda actor, session: list_groups(actor=actor, session=session),
    "sales_reps": lambda actor, session: sales_reps(actor=actor, session=session),
    "group_sizes": lambda actor, session: group_sizes(actor=actor, session=session),
}
ADMIN_ONLY = ("group_sizes",)  # the admins' groups list


@pytest.mark.parametrize("read", list(READS))
def test_nobody_signed_in_reads_other_info(read):
    assert refusal(READS[read], None).startswith(SIGN_IN)


@pytest.mark.parametrize("read", ADMIN_ONLY)
def test_read_only_staff_do_not_read_the_admins_lists(read):
    assert refusal(READS[read], READER).startswith(NOT_YOUR_ROLE)


def test_read_only_staff_see_the_groups_and_sales_reps_they_can_pick(session, admin, staff_user):
    add_group("Retail", actor=admin, session=session)
    assert [g.name for g in list_groups(actor=READER, session=session)] == ["Retail"]
    assert [u.name for u in sales_reps(actor=READER, session=session)] == ["Ada Admin", staff_user.name]


def test_tags_are_typed_as_a_list_without_repeats():
    assert parse_tags(" VIP, wholesale ,vip,, Night\u00a0owl ") == ["VIP", "wholesale", "Night owl"]


def test_other_info_is_saved_and_read_back(session, admin, staff, staff_user, add):
    ada = add(first_name="Ada")
    wholesale = add_group("Wholesale", actor=admin, session=session)
    saved = save_other_info(
        ada.id,
        business_number=" HRB 12345 ",
        tags=["vip", "berlin"],
        group_ids=[wholesale.id],
        sales_rep_id=staff_user.id,
        actor=staff,
        session=session,
    )
    session.commit()
    assert saved == other_info(ada.id, actor=staff, session=session)
    assert (saved.business_number, saved.tags, saved.group_ids, saved.sales_rep_id) == (
        "HRB 12345",
        ["berlin", "vip"],
        [wholesale.id],
        staff_user.id,
    )


def test_suggestions_list_the_most_used_tags_first(session, staff, add):
    for n, tags in enumerate((["vip", "berlin"], ["vip"], ["paris"])):
        customer = add(first_name=f"C{n}")
        save_other_info(
            customer.id, business_number="", tags=tags, group_ids=[], sales_rep_id=None, actor=staff, session=session
        )
    assert tag_suggestions(actor=staff, session=session) == ["vip", "berlin", "paris"]


def test_groups_are_kept_by_admins_and_must_exist(session, admin, staff, add):
    with pytest.raises(PermissionDenied):
        add_group("Retail", actor=staff, session=session)
    add_group("Retail", actor=admin, session=session)
    with pytest.raises(ValidationError, match="already a group"):
        add_group("retail", actor=admin, session=session)
    ada = add(first_name="Ada")
    with pytest.raises(ValidationError, match="no longer exists"):
        save_other_info(
            ada.id, business_number="", tags=[], group_ids=[424242], sales_rep_id=None, actor=staff, session=session
        )


def test_read_only_staff_cannot_change_other_info(session, reader, add):
    ada = add(first_name="Ada")
    with pytest.raises(PermissionDenied):
        save_other_info(
            ada.id, business_number="x", tags=[], group_ids=[], sales_rep_id=None, actor=reader, session=session
        )


def test_a_renamed_group_keeps_its_customers_and_a_removed_one_lets_them_go(session, admin, staff, add):
    vip, retail = add_group("VIP", actor=admin, session=session), add_group("Retail", actor=admin, session=session)
    ada = add(first_name="Ada")
    save_other_info(
        ada.id, business_number="", tags=[], group_ids=[vip.id], sales_rep_id=None, actor=staff, session=session
    )
    with pytest.raises(ValidationError, match="already a group"):
        rename_group(vip.id, "retail", actor=admin, session=session)
    with pytest.raises(PermissionDenied):
        rename_group(vip.id, "Gold", actor=staff, session=session)
    rename_group(vip.id, "Gold", actor=admin, session=session)
    assert [g.name for g in list_groups(actor=staff, session=session)] == ["Gold", "Retail"]
    assert group_sizes(actor=admin, session=session) == {vip.id: 1}
    assert remove_group(vip.id, actor=admin, session=session) == 1
    session.commit()
    assert other_info(ada.id, actor=staff, session=session).group_ids == []
    assert [g.id for g in list_groups(actor=staff, session=session)] == [retail.id]
    with pytest.raises(NotFoundError):
        remove_group(vip.id, actor=admin, session=session)


def test_the_language_is_kept_on_the_customer_and_a_stale_pop_up_cannot_put_the_old_one_back(session, staff, add):
    ada = add(first_name="Ada", language="de")
    version = ada.version
    saved = save_other_info(
        ada.id,
        business_number="",
        tags=[],
        group_ids=[],
        sales_rep_id=None,
        language="fr",
        actor=staff,
        session=session,
    )
    session.commit()
    session.expire_all()
    stored = session.get(Customer, ada.id)
    assert (saved.language, stored.language, stored.version) == ("fr", "fr", version + 1)
    with pytest.raises(ValidationError, match="language"):
        save_other_info(
            ada.id,
            business_number="",
            tags=[],
            group_ids=[],
            sales_rep_id=None,
            language="xx",
            actor=staff,
            session=session,
        )
