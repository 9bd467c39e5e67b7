"""The database connection dropped mid-save: a clear message, nothing half-written, and the next save works."""

import pytest
from sqlalchemy import event, text
from sqlmodel import Session, func, select

from customer_app import failures
from customer_app.core.db import make_engine
from customer_app.core.models import AuditEvent
from customer_app.customers.models import Customer
from customer_app.customers.state.customer_form import CustomerFormState
from customer_app.errors import DATABASE_UNREACHABLE, UNEXPECTED
from tests.unit.databases import PG_URL
from tests.unit.reflex_helpers import run, toast

ANN = {"first_name": "Ann", "last_name": "Lee", "email": "ann@example.com"}


@pytest.fixture
def form(new_tab, staff_user) -> CustomerFormState:
    return new_tab(staff_user).get_substate(CustomerFormState._get_substate_path())


def counts(engine) -> tuple[int, int]:
    with Session(engine) as session:
        customers = session.exec(select(func.count()).select_from(Customer)).one()
        audited = session.exec(select(func.count()).select_from(AuditEvent)).one()
    return customers, audited


@pytest.mark.parametrize("backend", ["postgresql"], indirect=True)
def test_a_connection_killed_mid_save_loses_the_save_whole_and_says_so(form, app_db, backend):
    """The customer row is written, then the server ends the connection before the audit entry: nothing stays."""
    killer = make_engine(PG_URL)
    killed = []

    def kill_before_the_audit_entry(connection, _cursor, statement, *_args):
        if statement.lstrip().upper().startswith("INSERT INTO AUDIT_EVENT") and not killed:
            pid = connection.connection.dbapi_connection.info.backend_pid
            with killer.begin() as other:
                other.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
            killed.append(pid)

    event.listen(app_db, "before_cursor_execute", kill_before_the_audit_entry)
    try:
        run(form.open_new())
        before = counts(app_db)
        result = run(form.save(ANN))
    finally:
        event.remove(app_db, "before_cursor_execute", kill_before_the_audit_entry)
        killer.dispose()
    assert killed, "the save never reached its audit entry"
    assert toast(result) == ("error", DATABASE_UNREACHABLE)
    assert form.open
    assert form.values["email"] == ANN["email"]
    assert counts(app_db) == before  # neither the customer nor its audit entry
    assert toast(run(form.save(ANN))) == ("success", "Customer created.")  # a fresh connection: saving works again
    assert counts(app_db)[0] == before[0] + 1


def test_an_unexpected_failure_is_told_without_its_text():
    assert toast(failures.tell_the_user(RuntimeError("SELECT secret FROM customer"))) == ("error", UNEXPECTED)
