"""The outbox page: e-mails the app sent or kept, newest first, a page at a time."""

from dataclasses import dataclass

import reflex as rx

from customer_app.access.state.auth import actor_or_refusal
from customer_app.admin.outbox_queries import list_outbox
from customer_app.audit.rows import ALLOWED, DENIED
from customer_app.core.db import session_scope
from customer_app.core.models import OutboxMessage
from customer_app.ui.formatting import when
from customer_app.ui.paged_state import PagedMixin
from customer_app.ui.paging import page_count

STATUS_LABELS = {"outbox": "Not sent (no mail server)", "queued": "Sending", "sent": "Sent", "failed": "Failed"}


@dataclass
class OutboxRow:
    """One message as the page shows it."""

    id: str = ""
    recipient: str = ""
    subject: str = ""
    when: str = ""
    status: str = ""
    status_label: str = ""
    error: str = ""
    body: str = ""


def outbox_row(message: OutboxMessage) -> OutboxRow:
    """A message as text."""
    return OutboxRow(
        id=str(message.id),
        recipient=message.to,
        subject=message.subject,
        when=when(message.created_at),
        status=message.status,
        status_label=STATUS_LABELS.get(message.status, message.status),
        error=message.error,
        body=message.body,
    )


class OutboxState(PagedMixin, rx.State):
    """What one admin viewing the outbox sees; only the visible page is held."""

    access: str = ""  # "" while checking, "ok", or "denied"
    rows: list[OutboxRow] = []

    async def _load(self):
        actor, refused = await actor_or_refusal(self, "outbox.view")
        if actor is None:
            self.rows, self.total, self.access = [], 0, DENIED
            return refused
        self._checked_size()
        with session_scope() as session:
            messages, total = list_outbox(actor=actor, session=session, page=self.page, page_size=self.page_size)
            if not messages and total and self.page > 1:  # the page asked for is past the end
                self.page = page_count(total, self.page_size)
                messages, total = list_outbox(actor=actor, session=session, page=self.page, page_size=self.page_size)
            self.rows = [outbox_row(m) for m in messages]
        self.total, self.access = total, ALLOWED
        return None

    @rx.event
    async def on_load(self):
        """Show the newest messages."""
        self.page = 1
        return await self._load()
