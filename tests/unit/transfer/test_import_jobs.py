"""Imports as durable jobs: a worker killed mid-import leaves work another worker finishes or ends cleanly."""

import os
import signal
import subprocess
import sys
from datetime import timedelta

import pytest
from sqlmodel import Session, col, func, select

from customer_app.core import jobs
from customer_app.core.columns import utcnow
from customer_app.core.models import BackgroundJob
from customer_app.customers.models import Customer
from customer_app.errors import ValidationError
from customer_app.transfer import import_jobs, import_undo, imports
from customer_app.transfer.models import ImportJob
from tests.unit.databases import ROOT
from tests.unit.transfer.test_imports import csv_bytes, names, previewed

ROWS = 9
CHUNK = 3
LEASE_SECONDS = 1.0


@pytest.fixture(autouse=True)
def private_folders(tmp_path, monkeypatch):
    monkeypatch.setenv("IMPORT_DIR", str(tmp_path / "imports"))
    monkeypatch.setenv("EXPORT_DIR", str(tmp_path / "exports"))
    return tmp_path


def started(session, admin) -> ImportJob:
    rows = [(f"P{n}", "Person", f"p{n}@example.com", "") for n in range(ROWS)]
    job, _ = previewed(session, admin, csv_bytes(rows + rows[:1]))  # the last line repeats the first
    import_jobs.start(job.id, actor=admin, session=session)
    session.commit()
    return job


def kill_mid_import(engine) -> None:
    """Run the queued import in a child process and `kill -9` it once its first chunk is committed."""
    url = engine.url.render_as_string(hide_password=False)
    child = subprocess.Popen(
        [sys.executable, "-m", "tests.unit.transfer.doomed_worker", url, str(CHUNK), str(LEASE_SECONDS)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        cwd=ROOT,
        env=os.environ | {"PYTHONPATH": str(ROOT)},
    )
    try:
        assert child.stdout is not None
        assert child.stdout.readline().strip() == import_jobs.TOPIC, "the worker never committed a chunk"
    finally:
        child.send_signal(signal.SIGKILL)
        child.wait()
    assert child.returncode == -signal.SIGKILL


def take_over(engine) -> None:
    """Be the next worker: wait (by the database's clock) for the dead worker's lease to lapse, then run the job."""
    deadline = utcnow() + timedelta(seconds=LEASE_SECONDS * 10)
    while not jobs.work_once("survivor", engine=engine):
        assert utcnow() < deadline, "the dead worker's job was never taken over"


def background_job(session, job: ImportJob) -> BackgroundJob:
    return session.exec(select(BackgroundJob).where(col(BackgroundJob.subject_id) == job.id)).one()


def test_a_killed_import_is_finished_by_the_next_worker_without_losing_or_doubling_a_row(session, engine, admin):
    job = started(session, admin)
    uploaded = imports.upload_path(job)
    kill_mid_import(engine)
    session.expire_all()
    assert session.get(ImportJob, job.id).done_rows == CHUNK  # the committed chunk is kept
    take_over(engine)
    session.expire_all()
    done = session.get(ImportJob, job.id)
    assert (done.status, done.done_rows, done.created_count, done.error_count) == ("done", ROWS + 1, ROWS, 1)
    assert names(session) == sorted(f"P{n} Person" for n in range(ROWS))  # each once: no row lost or doubled
    assert background_job(session, job).attempts == 2
    assert not uploaded.exists()  # the file went once the job ended
    import_undo.undo_import(job.id, actor=admin, session=session)
    session.commit()
    assert names(session) == []


def test_an_import_whose_workers_keep_dying_fails_cleanly_and_what_it_wrote_can_be_undone(session, engine, admin):
    job = started(session, admin)
    kill_mid_import(engine)
    with Session(engine) as other:  # as if it had been killed every time
        queued = background_job(other, job)
        queued.attempts = jobs.MAX_ATTEMPTS
        other.add(queued)
        other.commit()
    take_over(engine)
    session.expire_all()
    failed = session.get(ImportJob, job.id)
    assert failed.status == "failed"
    assert "The import stopped" in failed.message
    assert imports.running_job(actor=admin, session=session) is None  # later imports are not blocked
    assert len(names(session)) == CHUNK
    import_undo.undo_import(job.id, actor=admin, session=session)
    session.commit()
    assert names(session) == []
    in_trash = session.exec(select(func.count()).select_from(Customer).where(col(Customer.deleted_at).is_not(None)))
    assert in_trash.one() == CHUNK  # moved to Trash, not deleted


def test_an_undo_runs_as_a_job_and_a_second_one_is_refused(session, engine, admin):
    job = started(session, admin)
    assert jobs.work_once("w1", engine=engine)
    session.expire_all()
    queued = import_jobs.start_undo(job.id, actor=admin, session=session)
    session.commit()
    assert jobs.work_once("w1", engine=engine)
    session.expire_all()
    assert session.get(BackgroundJob, queued.id).status == "done"
    assert session.get(ImportJob, job.id).status == "undone"
    assert names(session) == []
    with pytest.raises(ValidationError):
        import_jobs.start_undo(job.id, actor=admin, session=session)
