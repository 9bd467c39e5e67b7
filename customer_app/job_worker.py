"""The durable job runner's worker in this backend process: a thread that runs queued jobs for as long as it lives."""

import asyncio
import threading

from customer_app.commerce import open_balances  # noqa: F401  (its list filter, which exports of the list may use)
from customer_app.core import db, jobs
from customer_app.core.live import hub
from customer_app.transfer import export_jobs, import_jobs  # noqa: F401  (they register their kinds of work)


async def run() -> None:
    """Run jobs on a thread of their own until the backend stops; what they write is announced to open pages."""
    loop, stop = asyncio.get_running_loop(), threading.Event()
    hub.listen()  # other workers' notices reach this worker's pages from its first page on

    def announce(topic: str) -> None:
        asyncio.run_coroutine_threadsafe(hub.announce(topic), loop)

    worker = threading.Thread(
        target=jobs.serve, args=(stop,), kwargs={"engine": db.engine, "announce": announce}, daemon=True, name="jobs"
    )
    worker.start()
    try:
        await asyncio.Event().wait()  # until the lifespan is cancelled at shutdown
    finally:
        stop.set()
        jobs.wake()
