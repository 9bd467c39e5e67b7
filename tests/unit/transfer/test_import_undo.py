"""Who may look at an undo before it happens (the undo itself is tested end to end in test_imports)."""

import pytest

from customer_app.errors import PermissionDenied
from customer_app.transfer import import_undo
from tests.unit.transfer.test_imports import commit, csv_bytes, previewed


@pytest.fixture(autouse=True)
def private_folders(tmp_path, monkeypatch):
    monkeypatch.setenv("IMPORT_DIR", str(tmp_path / "imports"))


def test_only_admins_see_which_customers_an_undo_would_leave_alone(session, engine, admin, staff, reader):
    job, _ = previewed(session, admin, csv_bytes([("Ada", "Lovelace", "ada@example.com", "")]))
    commit(session, engine, admin, job)
    assert import_undo.undo_conflicts(job.id, actor=admin, session=session) == []
    for caller in (staff, reader, None):
        with pytest.raises(PermissionDenied):
            import_undo.undo_conflicts(job.id, actor=caller, session=session)
