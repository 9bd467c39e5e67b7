"""The durable job runner: long work is a row any worker can run, kept alive by a lease its runner renews.

A worker claims the oldest queued job (or a running one whose lease ran out: its worker died) with one conditional
UPDATE, so two workers never both win. While the work runs, a heartbeat thread renews the lease; a worker killed
mid-job simply stops renewing it, and the next worker to look takes the job over. Kinds of work register a
`run` (which must be safe to run again: it finds in the database how far an earlier run got) and a `give_up`
(which ends the job's subject cleanly once the job has failed for good).
"""

import json
import logging
import os
import socket
import threading
import uuid
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import timedelta
from typing import Any

from sqlalchemy import Engine, and_, delete, or_, update
from sqlmodel import Session, col, select

from customer_app.core.columns import utcnow
from customer_app.core.db import session_scope
from customer_app.core.models import BackgroundJob
from customer_app.core.permissions import Actor, Role

LEASE = timedelta(seconds=30)
KEPT = timedelta(days=30)  # ended jobs are kept this long, for whoever asks what happened to one
MAX_ATTEMPTS = 3  # runs a job may start; a job whose worker died this often is failed, not tried forever
IDLE_SECONDS = 2.0  # how often an idle worker looks for work other processes queued (its own wake it at once)
ENDED = ("done", "failed")
log = logging.getLogger(__name__)


def _nobody(_topic: str) -> None:
    """Announce to nobody: where no page listens (tests, a worker outside the app)."""


class LeaseLost(Exception):
    """Another worker took the job over (this one stalled past its lease): stop without writing more."""


@dataclass
class Context:
    """What a running job sees: its row's fields, who asked, and calls to report progress or learn it must stop."""

    job_id: int
    subject_id: int | None
    params: dict[str, Any]
    actor: Actor
    attempt: int
    engine: Engine
    owner: str
    announce: Callable[[str], None] = _nobody
    _lost: threading.Event = field(default_factory=threading.Event)

    def check(self) -> None:
        """Raise LeaseLost when the job is no longer this worker's; call between units of work."""
        if self._lost.is_set():
            raise LeaseLost(f"job {self.job_id} was taken over")

    def fence(self, session: Session) -> None:
        """In a transaction about to commit: raise LeaseLost unless the job is still this run's. The row it writes
        stays locked until the commit, so a worker taking the job over sees all of this transaction or none of it."""
        held = session.connection().execute(
            update(BackgroundJob).where(*_held_by(self.job_id, self.owner)).values(heartbeat_at=utcnow())
        )
        if held.rowcount != 1:
            self._lost.set()
            raise LeaseLost(f"job {self.job_id} was taken over")

    def progress(self, done: int, total: int) -> None:
        """Keep how far the job got, for whoever watches it."""
        self.check()
        with Session(self.engine) as session:
            session.execute(
                update(BackgroundJob).where(col(BackgroundJob.id) == self.job_id).values(done=done, total=total)
            )
            session.commit()


@dataclass(frozen=True)
class Kind:
    """A kind of work: how to run it and how to end its subject when the job fails for good."""

    run: Callable[[Context], dict[str, Any] | None]
    give_up: Callable[[Context, str], None]


_KINDS: dict[str, Kind] = {}


def register(name: str, *, run: Callable[[Context], dict[str, Any] | None], give_up: Callable[[Context, str], None]):
    """Make a kind of work known to every worker of this process."""
    _KINDS[name] = Kind(run, give_up)


def enqueue(
    kind: str, *, actor: Actor, session: Session, subject_id: int | None = None, **params: Any
) -> BackgroundJob:
    """Queue work; it starts once the transaction commits and a worker looks (`wake` makes this process's look now)."""
    if kind not in _KINDS:
        raise ValueError(f"No kind of work is called {kind!r}.")
    job = BackgroundJob(
        kind=kind, subject_id=subject_id, params=json.dumps(params, default=str), actor=_actor_json(actor)
    )
    session.add(job)
    session.flush()
    return job


def get(job_id: int, *, session: Session) -> BackgroundJob | None:
    """The job as it is now."""
    return session.get(BackgroundJob, job_id, populate_existing=True)


def result_of(job: BackgroundJob) -> dict[str, Any]:
    """What a finished job handed back."""
    return json.loads(job.result or "{}")


def actor_of(job: BackgroundJob) -> Actor:
    """Who asked for the job, as they were when they asked."""
    fields = json.loads(job.actor)
    return Actor(**(fields | {"role": Role(fields["role"])}))


def current(job_id: int) -> BackgroundJob | None:
    """The job as it is now, read in a session of its own (for pages that follow one)."""
    with session_scope() as session:
        return get(job_id, session=session)


def forget_ended(*, session: Session, kept: timedelta = KEPT) -> int:
    """Delete jobs that ended longer than `kept` ago (their outcome lives on where it matters: the import's row, the
    audit trail); returns how many."""
    ended = delete(BackgroundJob).where(
        col(BackgroundJob.status).in_(ENDED), col(BackgroundJob.finished_at) < utcnow() - kept
    )
    return session.connection().execute(ended).rowcount


def owner_name() -> str:
    """A name for this worker no other worker has, saying where it runs."""
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


def claim(owner: str, *, engine: Engine, lease: timedelta = LEASE) -> BackgroundJob | None:
    """Take the oldest job that is queued or whose runner stopped renewing its lease; None when there is none."""
    now = utcnow()
    claimable = or_(
        col(BackgroundJob.status) == "queued",
        and_(col(BackgroundJob.status) == "running", col(BackgroundJob.lease_until) < now),
    )
    with Session(engine, expire_on_commit=False) as session:
        candidates = select(BackgroundJob.id).where(claimable).order_by(col(BackgroundJob.id)).limit(1)
        if engine.dialect.name == "postgresql":
            candidates = candidates.with_for_update(skip_locked=True)
        job_id = session.exec(candidates).first()
        if job_id is None:
            return None
        # Conditional: if another worker took the job since it was read, no row matches and this one backs off.
        taken = session.connection().execute(
            update(BackgroundJob)
            .where(col(BackgroundJob.id) == job_id, claimable)
            .values(
                status="running",
                lease_owner=owner,
                lease_until=now + lease,
                heartbeat_at=now,
                attempts=BackgroundJob.attempts + 1,
            )
        )
        session.commit()
        return session.get(BackgroundJob, job_id) if taken.rowcount == 1 else None


def renew(job_id: int, owner: str, *, engine: Engine, lease: timedelta = LEASE) -> bool:
    """Extend the lease of a job this worker runs; False when it is not this worker's any more."""
    now = utcnow()
    with Session(engine) as session:
        renewed = session.connection().execute(
            update(BackgroundJob).where(*_held_by(job_id, owner)).values(lease_until=now + lease, heartbeat_at=now)
        )
        session.commit()
        return renewed.rowcount == 1


def work_once(
    owner: str,
    *,
    engine: Engine,
    lease: timedelta = LEASE,
    announce: Callable[[str], None] = _nobody,
) -> bool:
    """Claim one job and run it to its end; False when there was nothing to do."""
    job = claim(owner, engine=engine, lease=lease)
    if job is None:
        return False
    kind = _KINDS.get(job.kind)
    context = Context(
        job.id, job.subject_id, json.loads(job.params), actor_of(job), job.attempts, engine, owner, announce
    )
    if kind is None:
        _end(job.id, owner, "failed", {}, f"No worker knows how to run {job.kind!r} work.", engine=engine)
        return True
    if job.attempts > MAX_ATTEMPTS:
        _give_up(kind, context, owner, f"Stopped {MAX_ATTEMPTS} times before it could finish; nothing more was tried.")
        return True
    beat = threading.Thread(target=_heartbeat, args=(context, lease), daemon=True, name=f"lease-{job.id}")
    beat.start()
    try:
        result = kind.run(context) or {}
    except LeaseLost:
        log.warning("Job %s was taken over by another worker", job.id)
    except Exception as exc:  # a failed job must end cleanly, with a reason a person can read
        log.exception("Job %s (%s) failed", job.id, job.kind)
        _give_up(kind, context, owner, f"Stopped by an error: {exc}")
    else:
        _end(job.id, owner, "done", result, "", engine=engine)
    finally:
        context._lost.set()  # ends the heartbeat
        beat.join()
    return True


def wake() -> None:
    """Have this process's worker look for work now (call once the transaction that queued it has committed)."""
    _WAKE.set()


def serve(
    stop: threading.Event, *, engine: Callable[[], Engine], announce: Callable[[str], None] | None = None
) -> None:
    """Run jobs until `stop` is set; between jobs, wait for `wake` or IDLE_SECONDS. One per process is enough."""
    owner = owner_name()
    while not stop.is_set():
        try:
            busy = work_once(owner, engine=engine(), announce=announce or _nobody)
        except Exception:  # the database went away for a moment: look again later
            log.exception("The job worker could not look for work")
            busy = False
        if not busy:
            _WAKE.wait(IDLE_SECONDS)
            _WAKE.clear()


_WAKE = threading.Event()


def _held_by(job_id: int, owner: str) -> tuple:
    """The conditions under which a job is still `owner`'s to run."""
    return (
        col(BackgroundJob.id) == job_id,
        col(BackgroundJob.lease_owner) == owner,
        col(BackgroundJob.status) == "running",
    )


def _heartbeat(context: Context, lease: timedelta) -> None:
    """Renew the lease a third of the way through each period, until the job ends or is taken over."""
    while not context._lost.wait(lease.total_seconds() / 3):
        try:
            if not renew(context.job_id, context.owner, engine=context.engine, lease=lease):
                context._lost.set()
        except Exception:  # a missed renewal is survivable: the lease lasts three periods
            log.exception("Could not renew the lease of job %s", context.job_id)


def _give_up(kind: Kind, context: Context, owner: str, message: str) -> None:
    try:
        kind.give_up(context, message)
    finally:
        _end(context.job_id, owner, "failed", {}, message, engine=context.engine)


def _end(job_id: int, owner: str, status: str, result: dict, message: str, *, engine: Engine) -> None:
    with Session(engine) as session:
        session.execute(
            update(BackgroundJob)
            .where(col(BackgroundJob.id) == job_id, col(BackgroundJob.lease_owner) == owner)
            .values(
                status=status,
                result=json.dumps(result, default=str),
                message=message[:500],
                finished_at=utcnow(),
                lease_until=None,
            )
        )
        session.commit()


def _actor_json(actor: Actor) -> str:
    return json.dumps(asdict(actor) | {"role": actor.role.value})
