"""Imports and their undo run as durable jobs: if the worker running one dies, another takes it over."""

from sqlmodel import Session

from customer_app.core import jobs
from customer_app.core.db import after_commit
from customer_app.core.models import BackgroundJob
from customer_app.core.permissions import Actor
from customer_app.transfer import import_undo, imports
from customer_app.transfer.models import ImportJob

IMPORT, UNDO = "import", "import_undo"
TOPIC = "import"  # what open customer lists hear when an import writes


def start(job_id: int, *, actor: Actor, session: Session) -> ImportJob:
    """Mark a previewed import as running and queue it; a worker starts it once the transaction commits."""
    job = imports.start_import(job_id, actor=actor, session=session)
    jobs.enqueue(IMPORT, subject_id=job.id, actor=actor, session=session)
    after_commit(session, jobs.wake)
    return job


def start_undo(job_id: int, *, actor: Actor, session: Session, overwrite: bool = False) -> BackgroundJob:
    """Queue the undo of a finished import (checked now, so a refusal is shown at once rather than by the worker)."""
    import_undo.check_undoable(job_id, actor=actor, session=session)
    queued = jobs.enqueue(UNDO, subject_id=job_id, actor=actor, session=session, overwrite=overwrite)
    after_commit(session, jobs.wake)
    return queued


def _run_import(context: jobs.Context) -> dict:
    def written(_job: ImportJob) -> None:
        # Every chunk wakes the open customer lists, whether or not the admin still watches the import.
        context.announce(TOPIC)

    job = imports.run_import(
        _subject(context), actor=context.actor, engine=context.engine, progress=written, fence=context.fence
    )
    return {"status": job.status}


def _give_up_import(context: jobs.Context, message: str) -> None:
    with Session(context.engine, expire_on_commit=False) as session:
        imports.fail_job(_subject(context), f"The import stopped: {message}", session=session)


def _run_undo(context: jobs.Context) -> dict:
    with Session(context.engine, expire_on_commit=False) as session:
        # One transaction: a worker dying mid-way leaves the import as it was, and the next run undoes it whole.
        result = import_undo.undo_import(
            _subject(context), actor=context.actor, session=session, overwrite=bool(context.params.get("overwrite"))
        )
        context.fence(session)
        session.commit()
    context.announce(TOPIC)
    return {"removed": result.removed, "restored": result.restored, "left_alone": result.left_alone}


def _subject(context: jobs.Context) -> int:
    if context.subject_id is None:
        raise ValueError("This job names no import.")
    return context.subject_id


jobs.register(IMPORT, run=_run_import, give_up=_give_up_import)
jobs.register(UNDO, run=_run_undo, give_up=lambda _context, _message: None)  # the import stays as it was: undoable
