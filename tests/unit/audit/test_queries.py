"""Reading the audit trail: the whole log is for admins, a customer's history for anyone who may see the customer."""

import pytest

from customer_app.audit.queries import customer_history, list_events
from tests.unit.accounts import READER
from tests.unit.refusals import NOT_YOUR_ROLE, SIGN_IN, refusal

READS = {
    "list_events": lambda actor, session: list_events(actor=actor, session=session),
    "customer_history": lambda actor, session: customer_history(1, actor=actor, session=session),
}
ADMIN_ONLY = ("list_events",)


@pytest.mark.parametrize("read", list(READS))
def test_nobody_signed_in_reads_the_audit_trail(read):
    assert refusal(READS[read], None).startswith(SIGN_IN)


@pytest.mark.parametrize("read", ADMIN_ONLY)
def test_read_only_staff_do_not_read_the_whole_log(read):
    assert refusal(READS[read], READER).startswith(NOT_YOUR_ROLE)


def test_admins_read_the_log_and_anyone_signed_in_a_customers_history(session, admin, add):
    ada = add(first_name="Ada")
    rows, total = list_events(actor=admin, session=session, entity_type="customer")
    assert (total, [row.summary for row in rows]) == (1, ["Created Ada"])
    assert [row.action_label for row in customer_history(ada.id, actor=READER, session=session)] == ["Created"]
