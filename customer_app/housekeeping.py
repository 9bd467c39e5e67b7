"""Work nobody asks for but somebody must do, on a timer for as long as the backend runs."""

import asyncio
import logging

from customer_app.core.db import session_scope
from customer_app.customers.customers import sweep_pictures

EVERY_SECONDS = 3600
log = logging.getLogger(__name__)


def sweep_once() -> None:
    """One round: pictures of pop-ups nobody saved."""
    with session_scope() as session:
        gone = sweep_pictures(session=session)
    if gone:
        log.info("Deleted %s unused picture(s)", gone)


async def run() -> None:
    """Sweep now and then every hour, in a thread (the event loop serves the pages meanwhile)."""
    while True:
        try:
            await asyncio.to_thread(sweep_once)
        except Exception:  # a failed round must not end the timer
            log.exception("Housekeeping failed; trying again in an hour")
        await asyncio.sleep(EVERY_SECONDS)
