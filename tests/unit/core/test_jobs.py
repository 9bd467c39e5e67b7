"""The durable job runner: one worker per job, leases kept alive while the work runs and taken over once they lapse."""

import threading
from datetime import timedelta

import pytest
from sqlmodel import Session

from customer_app.core import jobs
from customer_app.core.columns import utcnow
from customer_app.core.models import BackgroundJob
from customer_app.core.permissions import Actor, Role

ASKER = Actor(7, "ada@example.com", "Ada Admin", Role.ADMIN, "10.0.0.1")
SHORT = timedelta(seconds=1)
ran: list[tuple[str, int]] = []
given_up: list[tuple[int | None, str]] = []


def _record(context: jobs.Context) -> dict:
    ran.append((context.params["note"], context.attempt))
    return {"note": context.params["note"], "asked_by": context.actor.name}


def _fail(_context: jobs.Context) -> dict:
    raise RuntimeError("disk full")


def _give_up(context: jobs.Context, message: str) -> None:
    given_up.append((context.subject_id, message))


jobs.register("test_record", run=_record, give_up=_give_up)
jobs.register("test_fail", run=_fail, give_up=_give_up)


@pytest.fixture(autouse=True)
def fresh_lists():
    ran.clear()
    given_up.clear()


def queue(engine, kind="test_record", subject_id=None, **params) -> int:
    with Session(engine) as session:
        job = jobs.enqueue(kind, actor=ASKER, session=session, subject_id=subject_id, **params)
        session.commit()
        return job.id


def row(engine, job_id) -> BackgroundJob:
    with Session(engine) as session:
        job = jobs.get(job_id, session=session)
        assert job is not None
        return job


def test_a_queued_job_runs_once_as_the_person_who_asked(engine):
    job_id = queue(engine, note="first")
    assert jobs.work_once("w1", engine=engine)
    assert not jobs.work_once("w2", engine=engine)  # nothing left for anyone else
    assert ran == [("first", 1)]
    job = row(engine, job_id)
    assert (job.status, job.attempts, job.lease_owner) == ("done", 1, "w1")
    assert '"asked_by": "Ada Admin"' in job.result
    assert job.finished_at is not None


def test_jobs_run_oldest_first(engine):
    for note in ("a", "b", "c"):
        queue(engine, note=note)
    while jobs.work_once("w1", engine=engine):
        pass
    assert [note for note, _ in ran] == ["a", "b", "c"]


def test_two_workers_asking_at_the_same_moment_never_both_get_a_job(engine):
    job_id = queue(engine, note="contested")
    start, won = threading.Barrier(4), []

    def ask(owner: str) -> None:
        start.wait()
        job = jobs.claim(owner, engine=engine)
        if job is not None:
            won.append(owner)

    workers = [threading.Thread(target=ask, args=(f"w{n}",)) for n in range(4)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    assert len(won) == 1
    assert row(engine, job_id).lease_owner == won[0]


def test_a_job_whose_worker_stopped_renewing_is_taken_over_and_the_old_worker_writes_nothing(engine):
    job_id = queue(engine, note="orphan")
    assert jobs.claim("dead", engine=engine, lease=SHORT) is not None
    assert jobs.claim("alive", engine=engine) is None  # the lease still holds
    with Session(engine) as session:  # the lease lapses: its worker stopped renewing it
        job = jobs.get(job_id, session=session)
        assert job is not None
        job.lease_until = utcnow() - timedelta(seconds=1)
        session.add(job)
        session.commit()
    assert jobs.work_once("alive", engine=engine)
    assert ran == [("orphan", 2)]  # a second attempt: the work finds how far the first got
    assert not jobs.renew(job_id, "dead", engine=engine)
    stale = jobs.Context(job_id, None, {}, ASKER, 1, engine, "dead")
    with Session(engine) as session, pytest.raises(jobs.LeaseLost):
        stale.fence(session)  # a chunk the dead worker was about to commit is refused


def test_the_heartbeat_keeps_a_job_that_outlives_its_lease(engine):
    seen: dict[str, object] = {}

    def slow(context: jobs.Context) -> dict:
        first_end = row(engine, job_id).lease_until
        assert first_end is not None
        while (lease := row(engine, job_id).lease_until) is not None and lease <= first_end + SHORT:
            # Wait, by the database's clock, until the lease has been renewed past twice its first end.
            if utcnow() > first_end + 3 * SHORT:
                raise AssertionError("the lease was not renewed")
            threading.Event().wait(0.05)
        seen["taken"] = jobs.claim("thief", engine=engine, lease=SHORT)
        return {}

    jobs.register("test_slow", run=slow, give_up=_give_up)
    job_id = queue(engine, kind="test_slow")
    assert jobs.work_once("w1", engine=engine, lease=SHORT)
    assert seen["taken"] is None
    assert row(engine, job_id).status == "done"


def test_a_job_that_raises_fails_with_a_reason_and_its_subject_is_ended(engine):
    job_id = queue(engine, kind="test_fail", subject_id=42)
    assert jobs.work_once("w1", engine=engine)
    job = row(engine, job_id)
    assert (job.status, job.message) == ("failed", "Stopped by an error: disk full")
    assert given_up == [(42, "Stopped by an error: disk full")]
    assert not jobs.work_once("w1", engine=engine)  # not retried: the same error would come again


def test_a_job_whose_workers_keep_dying_is_failed_instead_of_tried_forever(engine):
    job_id = queue(engine, subject_id=5, note="cursed")
    for attempt in range(jobs.MAX_ATTEMPTS):
        assert jobs.claim(f"dying-{attempt}", engine=engine, lease=timedelta(0)) is not None
    assert jobs.work_once("w1", engine=engine)
    assert ran == []
    job = row(engine, job_id)
    assert job.status == "failed"
    assert f"Stopped {jobs.MAX_ATTEMPTS} times" in job.message
    assert given_up
    assert given_up[0][0] == 5


def test_unknown_kinds_are_refused_when_queued(engine):
    with Session(engine) as session, pytest.raises(ValueError, match="no_such_work"):
        jobs.enqueue("no_such_work", actor=ASKER, session=session)
