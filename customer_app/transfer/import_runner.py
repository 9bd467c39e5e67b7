"""Runs a started import on a thread of its own, so that leaving the page does not stop it."""

import asyncio
import threading

from customer_app.core import db
from customer_app.core.db import session_scope
from customer_app.core.live import hub
from customer_app.core.permissions import Actor, require
from customer_app.transfer import imports
from customer_app.transfer.models import ImportJob


def launch(job_id: int, *, actor: Actor) -> None:
    """Run a job `imports.start_import` has started; call from the event loop, which hears of every chunk."""
    require(actor, "customer.import")
    loop = asyncio.get_running_loop()
    threading.Thread(target=_run, args=(job_id, actor, loop), daemon=True, name=f"import-{job_id}").start()


def _run(job_id: int, actor: Actor, loop: asyncio.AbstractEventLoop) -> None:
    """The import itself, a chunk per transaction."""

    def announce(_job: ImportJob) -> None:
        # Every written chunk wakes the open customer lists, whether or not the admin still watches the import.
        asyncio.run_coroutine_threadsafe(hub.announce("import"), loop)

    try:
        imports.run_import(job_id, actor=actor, engine=db.engine(), progress=announce)
    except Exception as exc:  # a crash must still end the job, or it would block every later import
        with session_scope() as session:
            imports.fail_job(job_id, f"The import stopped: {exc}", session=session)
        raise
