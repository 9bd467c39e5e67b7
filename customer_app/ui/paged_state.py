"""Paging for the admin tables: the page shown, its size, the total, and jumping to a page."""

from typing import TYPE_CHECKING, Any

import reflex as rx

from customer_app.settings import settings
from customer_app.ui.paging import page_count, page_number, range_text


class PagedMixin(rx.State, mixin=True):
    """A table shown a page at a time; the state using it reads the page in `_load`."""

    page: int = 1
    page_size: int = settings.page_sizes[0]
    total: int = 0

    if TYPE_CHECKING:  # declared for the type checker only: a stub here would hide the page state's own

        async def _load(self) -> Any:
            """Read what the page shows again; the page state defines it."""

    @rx.var
    def page_count(self) -> int:
        """Number of pages (at least one)."""
        return page_count(self.total, self.page_size)

    @rx.var
    def range_label(self) -> str:
        """Which rows are shown, e.g. "26–50 of 1,204"."""
        return range_text(self.page, self.page_size, self.total)

    @rx.event
    async def go_to_page(self, page: int):
        """Jump to a page, clamped to the pages that exist."""
        self.page = page_number(page, self.page_count)
        return await self._load()

    def _checked_size(self) -> int:
        """The page size, put back to the first allowed one when a client set another (clients can set any var)."""
        if self.page_size not in settings.page_sizes:
            self.page_size = settings.page_sizes[0]
        return self.page_size
