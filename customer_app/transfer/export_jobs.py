"""Exports run as durable jobs: the file is written by whichever worker is free, with progress kept in the job row."""

from dataclasses import asdict
from pathlib import Path

from sqlmodel import Session

from customer_app.core import jobs
from customer_app.core.db import after_commit
from customer_app.core.models import BackgroundJob
from customer_app.core.permissions import Actor, require
from customer_app.errors import ValidationError
from customer_app.settings import settings
from customer_app.transfer import export
from customer_app.transfer.export import ExportScope

EXPORT = "export"


def start(scope: ExportScope, keys: list[str], file_format: str, *, actor: Actor, session: Session) -> BackgroundJob:
    """Queue an export of `scope` with the columns `keys`; a worker starts it once the transaction commits."""
    require(actor, "customer.export")
    if file_format not in export.FORMATS:
        raise ValidationError({"format": "Choose xlsx or CSV."})
    queued = jobs.enqueue(EXPORT, actor=actor, session=session, scope=asdict(scope), keys=keys, format=file_format)
    after_commit(session, jobs.wake)
    return queued


def written_file(job: BackgroundJob, *, actor: Actor) -> tuple[Path, int] | None:
    """The file a finished export job wrote and its row count, for the person who asked for it; None otherwise."""
    result = jobs.result_of(job)
    if job.status != "done" or jobs.actor_of(job).id != actor.id or "file" not in result:
        return None
    return settings.export_dir / Path(result["file"]).name, int(result["rows"])


def _run(context: jobs.Context) -> dict:
    params = context.params
    raw = params["scope"]
    scope = ExportScope(**(raw | {"ids": tuple(raw["ids"]), "flags": tuple(raw.get("flags", ()))}))
    with Session(context.engine) as session:
        total = export.count_rows(scope, actor=context.actor, session=session)
        context.progress(0, total)
        # Started again from the top after a crash: a half-written file is swept with the old exports.
        path, count = export.write_export(
            scope,
            params["keys"],
            params["format"],
            actor=context.actor,
            session=session,
            progress=lambda rows: context.progress(rows, total),
        )
    context.progress(count, count)
    return {"file": path.name, "rows": count}


jobs.register(EXPORT, run=_run, give_up=lambda _context, _message: None)  # nothing to end: no file, no link
