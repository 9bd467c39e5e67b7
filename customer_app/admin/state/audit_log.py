"""The audit log page: filters (who, action, dates), one page of events, and paging."""

import reflex as rx

from customer_app.access.state.auth import actor_or_refusal
from customer_app.audit.queries import list_events
from customer_app.audit.rows import ALLOWED, DENIED, AuditRow, audit_row
from customer_app.core.db import session_scope
from customer_app.errors import CustomerAppError, ValidationError
from customer_app.settings import settings
from customer_app.ui.paged_state import PagedMixin
from customer_app.ui.paging import page_count
from customer_app.ui.parsing import day, parse_ids


class AuditLogState(PagedMixin, rx.State):
    """What one admin viewing the audit log sees; only the visible page is held."""

    access: str = ""  # "" while checking, "ok", or "denied"
    who: str = ""
    action: str = ""
    since: str = ""
    until: str = ""
    rows: list[AuditRow] = []

    @rx.var
    def filtered(self) -> bool:
        """Whether any filter is set."""
        return bool(self.who or self.action or self.since or self.until)

    async def _load(self):
        """Fetch the current page as the signed-in admin; anyone else is refused and sees no data."""
        actor, refused = await actor_or_refusal(self, "audit.view")
        if actor is None:
            self.rows, self.total, self.access = [], 0, DENIED
            return refused
        self._checked_size()
        filters = {"who": self.who, "action": self.action, "since": day(self.since), "until": day(self.until)}
        try:
            with session_scope() as session:
                rows, total = list_events(
                    actor=actor, session=session, page=self.page, page_size=self.page_size, **filters
                )
                if not rows and total and self.page > 1:  # the page asked for is past the end
                    self.page = page_count(total, self.page_size)
                    rows, total = list_events(
                        actor=actor, session=session, page=self.page, page_size=self.page_size, **filters
                    )
        except CustomerAppError as exc:  # only a tampered client sends an unknown action
            self.action = ""
            return rx.toast.error("; ".join(exc.errors.values()) if isinstance(exc, ValidationError) else str(exc))
        self.rows, self.total, self.access = [audit_row(r) for r in rows], total, ALLOWED
        return None

    @rx.event
    async def on_load(self):
        """Show the newest events."""
        self.page = 1
        return await self._load()

    @rx.event
    async def set_who(self, value: str):
        """Filter by the actor's e-mail (part of it is enough)."""
        self.who, self.page = str(value)[:100], 1
        return await self._load()

    @rx.event
    async def set_action(self, value: str):
        """Filter by one kind of action, or all."""
        self.action, self.page = str(value)[:32], 1
        return await self._load()

    @rx.event
    async def set_since(self, value: str):
        """Show events from this day (UTC) on."""
        self.since, self.page = str(value)[:10], 1
        return await self._load()

    @rx.event
    async def set_until(self, value: str):
        """Show events up to the end of this day (UTC)."""
        self.until, self.page = str(value)[:10], 1
        return await self._load()

    @rx.event
    async def clear_filters(self):
        """Show every event again."""
        self.who, self.action, self.since, self.until, self.page = "", "", "", "", 1
        return await self._load()

    @rx.event
    async def set_page_size(self, size: str):
        """Show 25, 50 or 100 events per page."""
        self.page_size, self.page = (parse_ids(size) or [settings.page_sizes[0]])[0], 1
        return await self._load()
