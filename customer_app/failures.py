"""What a person sees when an event fails in a way no handler expected: a plain message, never the exception."""

import logging

import reflex as rx
from sqlalchemy.exc import InterfaceError, OperationalError

from customer_app import request_log
from customer_app.errors import DATABASE_UNREACHABLE, UNEXPECTED

log = logging.getLogger(__name__)


def tell_the_user(exception: Exception):
    """Log the failure for admins; show the person what happened to their work (each event is one transaction, rolled
    back whole) without the exception's text, which may carry SQL, paths or other customers' data."""
    log.error("An event failed", exc_info=exception, extra=request_log.failure_fields())
    unreachable = isinstance(exception, (OperationalError, InterfaceError))
    return rx.toast.error(DATABASE_UNREACHABLE if unreachable else UNEXPECTED)
