"""Income accounts: the seeded chart, admins adding, renaming and retiring accounts (one in use is never deleted), a
customer's default, and new documents taking it."""

import pytest
from sqlmodel import Session, col, select

from customer_app.commerce import documents, income_accounts
from customer_app.commerce.models import IncomeAccount
from customer_app.core.models import AuditEvent
from customer_app.errors import CustomerAppError, PermissionDenied, ValidationError
from tests.unit.commerce.sales_lists import restore_seeds


@pytest.fixture(autouse=True)
def seeded_chart(session: Session):
    """Each test starts from the seeded chart and leaves it so."""
    yield
    restore_seeds(session)


def codes(session: Session, admin) -> list[str]:
    return [a.code for a in income_accounts.accounts(actor=admin, session=session)]


def test_the_migration_seeds_three_accounts(session, admin):
    labels = [income_accounts.label(a) for a in income_accounts.accounts(actor=admin, session=session)]
    assert labels == ["4000 Sales of goods", "4400 Services", "4900 Other income"]


def test_an_admin_adds_and_renames_an_account_and_each_change_is_audited(session, admin):
    added = income_accounts.add_account(" 4100 ", "Sales of spare parts", actor=admin, session=session)
    income_accounts.rename_account(added.id, "4150", "Spare parts", actor=admin, session=session)
    session.commit()
    assert income_accounts.label(session.get(IncomeAccount, added.id)) == "4150 Spare parts"
    summaries = session.exec(select(AuditEvent.summary).where(col(AuditEvent.action) == "income_accounts")).all()
    assert summaries == [
        "Income account 4100 Sales of spare parts added",
        "Income account 4100 Sales of spare parts is now 4150 Spare parts",
    ]


def test_a_taken_code_or_an_empty_name_is_refused_field_by_field(session, admin):
    with pytest.raises(ValidationError) as refused:
        income_accounts.add_account("4000", "", actor=admin, session=session)
    assert refused.value.errors == {
        "code": "4000 is already Sales of goods.",
        "name": "Name the account in up to 80 characters.",
    }
    with pytest.raises(ValidationError, match="without spaces"):
        income_accounts.add_account("40 00", "Odd", actor=admin, session=session)
    assert codes(session, admin) == ["4000", "4400", "4900"]


def test_staff_may_not_change_the_chart(session, staff):
    with pytest.raises(PermissionDenied):
        income_accounts.add_account("4100", "Parts", actor=staff, session=session)


def test_an_account_nobody_uses_is_deleted_and_one_in_use_only_retired(session, admin, staff, add):
    spare = income_accounts.add_account("4100", "Spare", actor=admin, session=session)
    income_accounts.delete_account(spare.id, actor=admin, session=session)
    ada = add(first_name="Ada", email="ada@example.com")
    income_accounts.set_customer_account(ada.id, 2, actor=staff, session=session)
    session.commit()
    with pytest.raises(CustomerAppError, match="retire it instead"):
        income_accounts.delete_account(2, actor=admin, session=session)
    income_accounts.set_retired(2, True, actor=admin, session=session)
    session.commit()
    offered = income_accounts.accounts(actor=admin, session=session, include_retired=False)
    assert [a.code for a in offered] == ["4000", "4900"]
    assert income_accounts.customer_account(ada.id, actor=staff, session=session).code == "4400"  # kept


def test_new_documents_take_the_customers_default_account_unless_it_was_retired(session, admin, staff, add):
    ada = add(first_name="Ada", email="ada@example.com")
    income_accounts.set_customer_account(ada.id, 2, actor=staff, session=session)
    session.commit()
    assert documents.new_draft(ada.id, "invoice", actor=staff, session=session).income_account_id == 2
    income_accounts.set_retired(2, True, actor=admin, session=session)
    session.commit()
    assert documents.new_draft(ada.id, "invoice", actor=staff, session=session).income_account_id is None
    event = session.exec(select(AuditEvent).where(col(AuditEvent.action) == "income_account")).one()
    assert event.summary == "Default income account of Ada: 4400 Services"


def test_a_retired_or_unknown_account_is_not_chosen_and_readers_cannot_choose(session, admin, staff, reader, add):
    ada = add(first_name="Ada", email="ada@example.com")
    income_accounts.set_retired(3, True, actor=admin, session=session)
    for account_id in (3, 999):
        with pytest.raises(ValidationError, match="Choose an account"):
            income_accounts.set_customer_account(ada.id, account_id, actor=staff, session=session)
    with pytest.raises(PermissionDenied):
        income_accounts.set_customer_account(ada.id, 1, actor=reader, session=session)
    assert income_accounts.customer_account(ada.id, actor=reader, session=session) is None
