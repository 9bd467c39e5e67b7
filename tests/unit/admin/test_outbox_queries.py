"""Reading the mail outbox: admins only (it holds invitation and password reset links)."""

import pytest

from customer_app.admin.outbox_queries import list_outbox
from customer_app.core import mail
from tests.unit.accounts import READER
from tests.unit.refusals import NOT_YOUR_ROLE, SIGN_IN, refusal


@pytest.mark.parametrize(("caller", "message"), [(None, SIGN_IN), (READER, NOT_YOUR_ROLE)], ids=["nobody", "reader"])
def test_only_admins_read_the_outbox(caller, message):
    assert refusal(lambda actor, session: list_outbox(actor=actor, session=session), caller).startswith(message)


def test_admins_read_the_newest_message_first(session, admin):
    for subject in ("First", "Second"):
        mail.send_mail("ann@example.com", subject, "Hello", session=session)
    session.commit()
    rows, total = list_outbox(actor=admin, session=session)
    assert (total, [row.subject for row in rows]) == (2, ["Second", "First"])
