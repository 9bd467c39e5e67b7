"""Outgoing e-mail: through SMTP when SMTP_URL is set, otherwise into the outbox table admins can read."""

import smtplib
import ssl
from email.message import EmailMessage
from urllib.parse import unquote, urlparse

from sqlmodel import Session

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
) -> OutboxMessage:
    """Deliver a plain-text message (or keep it in the outbox); every message is recorded with its status.

    Secrets in `redact` (sign-in links) are removed from the stored copy once delivered; without SMTP the
    outbox is the only way to the recipient, so there they stay for an admin to pass on.
    """
    record = OutboxMessage(to=to, subject=subject, body=body)
    url = smtp_url if smtp_url is not None else settings.smtp_url
    if url:
        try:
            _deliver(url, to, subject, body)
            record.status = "sent"
            for secret in redact:
                record.body = record.body.replace(secret, "[link removed after delivery]")
        except (OSError, smtplib.SMTPException) as exc:
            record.status, record.error = "failed", str(exc)[:500]
    session.add(record)
    session.flush()
    return record


def _tls_context() -> ssl.SSLContext:
    """Certificates and host names are checked (Python's SMTP classes check neither unless given a context);
    SMTP_CA_FILE adds a private certificate authority to the system's ones."""
    return ssl.create_default_context(cafile=settings.smtp_ca_file)


def _deliver(url: str, to: str, subject: str, body: str) -> None:
    """Send through an SMTP server given as smtp://user:pass@host:port (smtps:// for TLS from the start)."""
    parts = urlparse(url)
    message = EmailMessage()
    message["From"], message["To"], message["Subject"] = settings.mail_from, to, subject
    message.set_content(body)
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
