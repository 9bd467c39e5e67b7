"""A run that takes over a dead one goes on from the rows done, still flagging later rows that repeat earlier ones."""

import pytest

from customer_app.transfer import import_reuse, imports
from customer_app.transfer.models import ImportJob
from tests.unit.transfer.test_imports import csv_bytes, in_chunks_of, names, previewed

HEADERS = ["First name", "Last name", "E-mail", "VAT number"]


@pytest.fixture(autouse=True)
def private_folders(tmp_path, monkeypatch):
    monkeypatch.setenv("IMPORT_DIR", str(tmp_path / "imports"))
    monkeypatch.setenv("EXPORT_DIR", str(tmp_path / "exports"))


class Died(Exception):
    """The worker running the import stopped after a chunk was committed."""


def died_after_first_chunk(session, engine, admin, rows, **plan) -> ImportJob:
    job, _ = previewed(session, admin, csv_bytes(rows, HEADERS), **plan)
    imports.start_import(job.id, actor=admin, session=session)
    session.commit()
    import_reuse.discard(imports.outcomes_path(job))

    def die(_job):
        raise Died

    with pytest.raises(Died):
        imports.run_import(job.id, actor=admin, engine=engine, progress=die)
    session.expire_all()
    return session.get(ImportJob, job.id)


ROWS = [
    ("Ada", "Lovelace", "ada@example.com", "DE136695976"),
    ("Grace", "Hopper", "grace@example.com", ""),
    ("Alan", "Turing", "alan@example.com", ""),
    ("Ada", "Again", "ada@example.com", ""),  # repeats line 2, done before the worker died
]


def test_a_run_matching_on_email_goes_on_without_checking_the_rows_done_again(
    session, engine, admin, classified, monkeypatch
):
    in_chunks_of(monkeypatch, 2)
    job = died_after_first_chunk(session, engine, admin, ROWS)
    assert (job.status, job.done_rows) == ("running", 2)
    classified.clear()
    done = imports.run_import(job.id, actor=admin, engine=engine)
    assert classified == [2]  # only the rows after those done
    assert (done.status, done.created_count, done.error_count) == ("done", 3, 1)  # the repeat is still caught
    session.expire_all()
    assert names(session) == ["Ada Lovelace", "Alan Turing", "Grace Hopper"]


def test_a_run_matching_on_vat_checks_the_rows_done_again_for_the_emails_they_hold(
    session, engine, admin, classified, monkeypatch
):
    in_chunks_of(monkeypatch, 2)
    rows = [*ROWS[:3], ("Ada", "Again", "ada@example.com", "FR40303265045")]
    job = died_after_first_chunk(session, engine, admin, rows, match_on="vat_number")
    classified.clear()
    done = imports.run_import(job.id, actor=admin, engine=engine)
    assert classified == [2, 2]  # the rows done (to learn their e-mails), then the rest
    assert (done.status, done.created_count, done.error_count) == ("done", 3, 1)
