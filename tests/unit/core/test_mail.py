"""Outgoing mail through a real SMTP server on localhost (aiosmtpd), the outbox, and failures."""

import dataclasses
import re
import socket
import ssl
from collections.abc import Iterator
from email import message_from_bytes, policy
from email.message import EmailMessage

import pytest
import trustme
from aiosmtpd.controller import Controller
from sqlmodel import Session, col, select

from customer_app.access import staff_accounts
from customer_app.core import mail
from customer_app.core.mail import send_mail
from customer_app.core.models import OutboxMessage
from customer_app.core.passwords import verify_password
from customer_app.settings import settings


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Mailbox:
    """An aiosmtpd handler keeping every delivered message; refuses recipients at `refuse_domain`."""

    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []
        self.envelopes: list[tuple[str, list[str]]] = []
        self.refuse_domain = "refused.example"

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):  # noqa: N802 (aiosmtpd's name)
        if address.endswith("@" + self.refuse_domain):
            return "550 No such user here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):  # noqa: N802
        self.envelopes.append((envelope.mail_from, list(envelope.rcpt_tos)))
        self.messages.append(message_from_bytes(envelope.original_content or envelope.content, policy=policy.default))
        return "250 Message accepted for delivery"


@pytest.fixture(scope="module")
def smtp_server() -> Iterator[tuple[Mailbox, str]]:
    """A local SMTP server for the module; yields its mailbox and its smtp:// URL."""
    mailbox, port = Mailbox(), free_port()
    controller = Controller(mailbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield mailbox, f"smtp://127.0.0.1:{port}"
    finally:
        controller.stop()


@pytest.fixture
def mailbox(smtp_server) -> Mailbox:
    """The local server's mailbox, emptied for the test."""
    box, _ = smtp_server
    box.messages.clear()
    box.envelopes.clear()
    return box


@pytest.fixture
def smtp_url(smtp_server, mailbox) -> str:
    return smtp_server[1]


def outbox(session: Session) -> list[OutboxMessage]:
    session.expire_all()
    return list(session.exec(select(OutboxMessage).order_by(col(OutboxMessage.id))))


def test_message_is_delivered_through_smtp_and_recorded_as_sent(session, mailbox, smtp_url):
    record = send_mail(
        "zoe@example.com",
        "Grüße from the workspace",
        "Hello Zoë,\n\nA line with ümlauts.\n",
        session=session,
        smtp_url=smtp_url,
    )
    session.commit()
    mail.wait_for_deliveries()  # delivery runs after the commit, on a thread of its own
    [message] = mailbox.messages
    assert message["To"] == "zoe@example.com"
    assert message["From"] == settings.mail_from
    assert message["Subject"] == "Grüße from the workspace"
    assert message.get_content().replace("\r\n", "\n") == "Hello Zoë,\n\nA line with ümlauts.\n"  # CRLF on the wire
    assert mailbox.envelopes == [("noreply@localhost", ["zoe@example.com"])]
    [stored] = outbox(session)
    assert stored.id == record.id
    assert (stored.to, stored.subject, stored.status, stored.error) == (
        "zoe@example.com",
        "Grüße from the workspace",
        "sent",
        "",
    )
    assert stored.body == "Hello Zoë,\n\nA line with ümlauts.\n"


def test_an_attached_file_arrives_with_its_name_and_type(session, mailbox, smtp_url):
    send_mail(
        "zoe@example.com",
        "Your invoice",
        "Attached.\n",
        session=session,
        smtp_url=smtp_url,
        attachment=("INV-2026-00001.pdf", b"%PDF-1.7 not really"),
    )
    session.commit()
    mail.wait_for_deliveries()
    [message] = mailbox.messages
    [part] = list(message.iter_attachments())
    assert (part.get_filename(), part.get_content_type()) == ("INV-2026-00001.pdf", "application/pdf")
    assert part.get_payload(decode=True) == b"%PDF-1.7 not really"


def test_a_message_waits_for_the_commit_and_a_rolled_back_change_sends_nothing(session, mailbox, smtp_url):
    record = send_mail("zoe@example.com", "Hello", "Body\n", session=session, smtp_url=smtp_url)
    assert record.status == "queued"  # the caller never waits for the mail server
    session.rollback()
    mail.wait_for_deliveries()
    assert mailbox.messages == []
    assert outbox(session) == []


def test_without_an_smtp_server_the_message_stays_in_the_outbox(session, mailbox):
    assert settings.smtp_url is None
    send_mail("zoe@example.com", "Hello", "Body text\n", session=session)
    session.commit()
    [stored] = outbox(session)
    assert (stored.to, stored.subject, stored.body, stored.status, stored.error) == (
        "zoe@example.com",
        "Hello",
        "Body text\n",
        "outbox",
        "",
    )
    assert mailbox.messages == []


def test_unreachable_smtp_server_marks_the_message_failed_without_raising(session):
    record = send_mail(
        "zoe@example.com", "Hello", "Body\n", session=session, smtp_url=f"smtp://127.0.0.1:{free_port()}"
    )  # nothing listens there
    session.commit()
    mail.wait_for_deliveries()  # delivery runs after the commit, on a thread of its own
    [stored] = outbox(session)
    assert stored.id == record.id
    assert stored.status == "failed"
    assert stored.error  # says why, for the admin reading the outbox
    assert stored.body == "Body\n"  # kept, so it can be read or sent again


def test_recipient_refused_by_the_server_marks_the_message_failed(session, mailbox, smtp_url):
    send_mail("nobody@refused.example", "Hello", "Body\n", session=session, smtp_url=smtp_url)
    session.commit()
    mail.wait_for_deliveries()  # delivery runs after the commit, on a thread of its own
    [stored] = outbox(session)
    assert stored.status == "failed"
    assert "No such user" in stored.error
    assert mailbox.messages == []


def test_password_reset_flow_through_smtp(session, staff_user, mailbox, smtp_url, monkeypatch):
    monkeypatch.setattr(mail, "settings", dataclasses.replace(settings, smtp_url=smtp_url))
    staff_accounts.request_password_reset("sam@example.com", session=session)
    session.commit()
    mail.wait_for_deliveries()  # delivery runs after the commit, on a thread of its own
    [message] = mailbox.messages
    assert (message["To"], message["Subject"]) == ("sam@example.com", "Reset your password")
    [token] = re.findall(rf"{re.escape(settings.public_url)}/reset/(\S+)", message.get_content())
    assert outbox(session)[0].status == "sent"
    user = staff_accounts.set_password_with_token(token, "reset", "quartz meadow lantern 2451", session=session)
    session.commit()
    assert user.id == staff_user.id
    session.refresh(user)
    assert verify_password(user.password_hash, "quartz meadow lantern 2451")


def test_a_delivered_reset_link_is_not_kept_in_the_database(session, staff_user, mailbox, smtp_url, monkeypatch):
    monkeypatch.setattr(mail, "settings", dataclasses.replace(settings, smtp_url=smtp_url))
    staff_accounts.request_password_reset("sam@example.com", session=session)
    session.commit()
    mail.wait_for_deliveries()  # delivery runs after the commit, on a thread of its own
    [token] = re.findall(r"/reset/(\S+)", mailbox.messages[0].get_content())
    [stored] = outbox(session)
    assert stored.status == "sent"
    assert token not in stored.body


# --- TLS: certificates and host names are checked -------------------------------------------------------------


@pytest.fixture(scope="module")
def authority() -> trustme.CA:
    """A private certificate authority nobody's system trusts."""
    return trustme.CA()


def _tls_server(authority: trustme.CA, name: str, *, implicit: bool) -> tuple[Controller, Mailbox]:
    served = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    authority.issue_cert(name).configure_cert(served)
    box = Mailbox()
    port = free_port()
    if implicit:
        controller = Controller(box, hostname="127.0.0.1", port=port, ssl_context=served)
    else:
        controller = Controller(box, hostname="127.0.0.1", port=port, tls_context=served, require_starttls=True)
    controller.start()
    return controller, box


@pytest.fixture(params=["smtps", "smtp+starttls"])
def tls_server(request, authority) -> Iterator[tuple[str, Mailbox]]:
    """A local server with a certificate for 127.0.0.1 from the private authority; yields its URL and mailbox."""
    controller, box = _tls_server(authority, "127.0.0.1", implicit=request.param == "smtps")
    try:
        yield f"{request.param}://127.0.0.1:{controller.port}", box
    finally:
        controller.stop()


def delivered(session: Session, body: str, url: str) -> OutboxMessage:
    """Send a message, commit, wait for the delivery and return the message as stored afterwards."""
    send_mail("zoe@example.com", "Hello", body, session=session, smtp_url=url)
    session.commit()
    mail.wait_for_deliveries()
    return outbox(session)[-1]


def _trusting(monkeypatch, ca_file: str | None) -> None:
    monkeypatch.setattr(mail, "settings", dataclasses.replace(settings, smtp_ca_file=ca_file))


def test_a_server_whose_certificate_nobody_trusts_gets_no_mail(session, tls_server, monkeypatch):
    url, box = tls_server
    _trusting(monkeypatch, None)
    record = delivered(session, "Secret link", url)
    assert record.status == "failed"
    assert "certificate verify failed" in record.error
    assert box.messages == []


def test_a_server_signed_by_an_authority_the_admin_trusts_gets_the_mail(
    session, tls_server, authority, tmp_path, monkeypatch
):
    url, box = tls_server
    ca_file = tmp_path / "company-ca.pem"
    authority.cert_pem.write_to_path(str(ca_file))
    _trusting(monkeypatch, str(ca_file))
    record = delivered(session, "Welcome", url)
    assert record.status == "sent"
    assert [m["Subject"] for m in box.messages] == ["Hello"]


def test_a_trusted_certificate_for_another_host_is_refused(session, authority, tmp_path, monkeypatch):
    controller, box = _tls_server(authority, "mail.example.org", implicit=True)
    ca_file = tmp_path / "company-ca.pem"
    authority.cert_pem.write_to_path(str(ca_file))
    _trusting(monkeypatch, str(ca_file))
    try:
        record = delivered(session, "Secret link", f"smtps://127.0.0.1:{controller.port}")
    finally:
        controller.stop()
    assert record.status == "failed"
    assert "certificate verify failed" in record.error
    assert box.messages == []


def test_a_message_a_stopped_worker_left_queued_is_sent_by_the_next_round(session, mailbox, smtp_url):
    stuck = OutboxMessage(to="zoe@example.com", subject="Welcome", body="Hello\n", status="queued")
    stuck.created_at -= mail.STUCK_AFTER * 2  # committed long ago; its worker stopped before delivering
    recent = OutboxMessage(to="sam@example.com", subject="Just now", body="Hello\n", status="queued")
    session.add_all([stuck, recent])
    session.commit()
    assert mail.resend_stuck(session=session, smtp_url=smtp_url) == 1
    mail.wait_for_deliveries()
    assert [m["Subject"] for m in mailbox.messages] == ["Welcome"]
    assert [m.status for m in outbox(session)] == ["sent", "queued"]  # the recent one is still on its way
