"""Work nobody asks for but somebody must do, on a timer for as long as the backend runs."""

import asyncio
import logging

from customer_app.core import jobs, mail
from customer_app.core.db import session_scope
from customer_app.customers.customers import sweep_pictures
from customer_app.transfer.export import delete_old_exports
from customer_app.transfer.import_uploads import discard_abandoned

EVERY_SECONDS = 3600
log = logging.getLogger(__name__)


def sweep_once() -> None:
    """One round: pictures of pop-ups nobody saved, exports whose download links have expired, uploads nobody
    imported within a day, mail a stopped worker left undelivered, and jobs that ended a month ago."""
    with session_scope() as session:
        pictures = sweep_pictures(session=session)
        uploads = discard_abandoned(session=session)
        resent = mail.resend_stuck(session=session)
        jobs.forget_ended(session=session)
    exports = delete_old_exports()
    if pictures or exports or uploads or resent:
        log.info(
            "Deleted %s unused picture(s), %s old export(s) and %s abandoned upload(s); resent %s e-mail(s)",
            *(pictures, exports, uploads, resent),
        )


async def run() -> None:
    """Sweep now and then every hour, in a thread (the event loop serves the pages meanwhile)."""
    while True:
        try:
            await asyncio.to_thread(sweep_once)
        except Exception:  # a failed round must not end the timer
            log.exception("Housekeeping failed; trying again in an hour")
        await asyncio.sleep(EVERY_SECONDS)
