"""A real SMTP server on 127.0.0.1 that keeps what it receives, for tests that follow e-mailed links."""

import re
import socket
import threading
from dataclasses import dataclass, field
from email import message_from_bytes
from email.message import Message

from aiosmtpd.controller import Controller


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Mailbox:
    """Messages delivered to the local SMTP server, newest last."""

    port: int = 0
    messages: list[Message] = field(default_factory=list)
    arrived: threading.Condition = field(default_factory=threading.Condition)

    async def handle_DATA(self, server, session, envelope):  # noqa: N802  (aiosmtpd's hook name)
        with self.arrived:
            self.messages.append(message_from_bytes(envelope.content))
            self.arrived.notify_all()
        return "250 OK"

    @classmethod
    def start(cls) -> "Mailbox":
        """Listen on a free port until the process ends."""
        mailbox = cls(port=_free_port())
        Controller(mailbox, hostname="127.0.0.1", port=mailbox.port).start()
        return mailbox

    def wait_for(self, to: str, subject: str, timeout: float = 15) -> Message:
        """The newest message to `to` with `subject`, waiting for it to arrive."""

        def find():
            return next((m for m in reversed(self.messages) if m["To"] == to and m["Subject"] == subject), None)

        with self.arrived:
            self.arrived.wait_for(find, timeout=timeout)
            found = find()
        assert found is not None, f"no e-mail '{subject}' to {to} arrived"
        return found

    @staticmethod
    def link(message: Message, path: str) -> str:
        """The path of the first link in the message that goes to `path` (e.g. "/reset/")."""
        payload = message.get_payload(decode=True)
        assert isinstance(payload, bytes), "a single-part message"
        body = payload.decode()
        match = re.search(rf"https?://[^\s/]+({re.escape(path)}[\w-]+)", body)
        assert match, f"no {path} link in: {body}"
        return match.group(1)
