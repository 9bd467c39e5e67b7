"""Outgoing e-mail: through SMTP when SMTP_URL is set, otherwise into the outbox table admins can read."""

import mimetypes
import smtplib
import ssl
from concurrent.futures import Future, ThreadPoolExecutor, wait
from datetime import timedelta
from email.message import EmailMessage
from urllib.parse import unquote, urlparse

from sqlmodel import Session, col, select

from customer_app.core.columns import utcnow
from customer_app.core.db import after_commit
from customer_app.core.models import OutboxMessage
from customer_app.settings import settings


def send_mail(
    to: str,
    subject: str,
    body: str,
    *,
    session: Session,
    smtp_url: str | None = None,
    redact: tuple[str, ...] = (),
    attachment: tuple[str, bytes] | None = None,
) -> OutboxMessage:
    """Record a plain-text message; with SMTP it is delivered once the transaction commits, without it it stays in
    the outbox. Either way the caller never waits for a mail server.

    Delivery runs on a thread of its own after the commit: a slow or unreachable server holds up neither the event
    loop nor the transaction, and a rolled-back change sends nothing. Secrets in `redact` (sign-in links) are
    removed from the stored copy once delivered; without SMTP the outbox is the only way to the recipient, so
    there they stay for an admin to pass on.
    """
    url = smtp_url if smtp_url is not None else settings.smtp_url
    name, data = attachment or ("", None)
    record = OutboxMessage(
        to=to, subject=subject, body=body, status="queued" if url else "outbox", attachment_name=name, attachment=data
    )
    session.add(record)
    session.flush()
    if url:
        message_id, engine = record.id, session.get_bind()
        after_commit(session, lambda: _hand_over(engine, message_id, url, redact))
    return record


STUCK_AFTER = timedelta(minutes=10)  # a delivery takes seconds; a message queued this long lost its worker


def resend_stuck(*, session: Session, smtp_url: str | None = None) -> int:
    """Hand over again messages still queued long after their commit (the worker that held them stopped).

    Returns how many. What was to be removed from the stored copy is not known any more: those links stay in
    the outbox, where they are single-use and expire anyway.
    """
    url = smtp_url if smtp_url is not None else settings.smtp_url
    if not url:
        return 0
    stuck = session.exec(
        select(OutboxMessage.id).where(
            col(OutboxMessage.status) == "queued", col(OutboxMessage.created_at) < utcnow() - STUCK_AFTER
        )
    ).all()
    for message_id in stuck:
        _hand_over(session.get_bind(), message_id, url, ())
    return len(stuck)


def wait_for_deliveries(timeout: float = 30) -> None:
    """Return once every delivery handed over so far has finished (for tests, and before a worker stops)."""
    wait(list(_pending), timeout=timeout)


_pending: set[Future] = set()  # deliveries under way; each leaves the set when it is done
_threads: ThreadPoolExecutor | None = None


def _sender() -> ThreadPoolExecutor:
    global _threads  # noqa: PLW0603  (made on first use, so each forked worker has its own)
    if _threads is None:
        _threads = ThreadPoolExecutor(max_workers=2, thread_name_prefix="mail")
    return _threads


def _hand_over(engine, message_id: int, url: str, redact: tuple[str, ...]) -> None:
    """Give one recorded message to the sending threads."""
    future = _sender().submit(_deliver_stored, engine, message_id, url, redact)
    _pending.add(future)
    future.add_done_callback(_pending.discard)


def _deliver_stored(engine, message_id: int, url: str, redact: tuple[str, ...]) -> None:
    """Send one recorded message and record how it went."""
    with Session(engine) as session:
        record = session.get(OutboxMessage, message_id)
        if record is None or record.status != "queued":
            return
        try:
            _deliver(url, record.to, record.subject, record.body, (record.attachment_name, record.attachment))
            record.status = "sent"
            for secret in redact:
                record.body = record.body.replace(secret, "[link removed after delivery]")
        except (OSError, smtplib.SMTPException) as exc:
            record.status, record.error = "failed", str(exc)[:500]
        session.add(record)
        session.commit()


def _tls_context() -> ssl.SSLContext:
    """Certificates and host names are checked (Python's SMTP classes check neither unless given a context);
    SMTP_CA_FILE adds a private certificate authority to the system's ones."""
    return ssl.create_default_context(cafile=settings.smtp_ca_file)


def _deliver(url: str, to: str, subject: str, body: str, attachment: tuple[str, bytes | None] = ("", None)) -> None:
    """Send through an SMTP server given as smtp://user:pass@host:port (smtps:// for TLS from the start)."""
    parts = urlparse(url)
    message = EmailMessage()
    message["From"], message["To"], message["Subject"] = settings.mail_from, to, subject
    message.set_content(body)
    name, data = attachment
    if data is not None:
        kind = (mimetypes.guess_type(name)[0] or "application/octet-stream").split("/")
        message.add_attachment(data, maintype=kind[0], subtype=kind[1], filename=name)
    host, tls = parts.hostname or "localhost", _tls_context()
    if parts.scheme == "smtps":
        client = smtplib.SMTP_SSL(host, parts.port or 465, timeout=10, context=tls)
    else:
        client = smtplib.SMTP(host, parts.port or 25, timeout=10)
    with client as smtp:
        if parts.scheme == "smtp+starttls":  # give the port explicitly (usually 587)
            smtp.starttls(context=tls)
        if parts.username:
            smtp.login(unquote(parts.username), unquote(parts.password or ""))
        smtp.send_message(message)
