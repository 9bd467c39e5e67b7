"""The customers page: tab, search, group and tag filters, sort, page, selection and delete/restore dialogs."""

import asyncio
import time
from collections.abc import Callable
from functools import partial
from typing import Any, NamedTuple

import reflex as rx

from customer_app import routes
from customer_app.access.state.auth import LiveViewer, act_as, actor_or_refusal, live_viewer, viewer_gone
from customer_app.core.db import read_scope
from customer_app.core.live import hub
from customer_app.core.permissions import Actor
from customer_app.customers import customers, list_extras, trash_batches
from customer_app.customers.list_address import ListView, read_view, view_query
from customer_app.customers.queries import (
    SORT_COLUMNS,
    TABS,
    ListQuery,
    ShownPage,
    count_tabs,
    list_customers,
    shown_page,
)
from customer_app.customers.rows import customer_row, removal_row
from customer_app.customers.state.list_filters import ListFiltersMixin, group_id, write_address
from customer_app.customers.state.removals import RemovalsMixin
from customer_app.settings import settings
from customer_app.ui.paging import count_text, page_count, page_number, range_text
from customer_app.ui.parsing import ID_CHARS, parse_ids

NAME_CHARS = 300  # a customer's display name is at most this long

Rows = list[dict[str, str]]


class PageRead(NamedTuple):
    """One read of the page: its rows (with the added columns' cells), the count of every tab for the query's search
    and filters, the tabs whose count is an estimate, (in Trash) the recent removals, and when the read began."""

    rows: Rows
    counts: dict[str, int]
    estimated: list[str]
    removals: Rows
    begun: float  # time.monotonic()
    shown: ShownPage | None  # the page's edges, from which the next or previous page is read


def fetch_page(query: ListQuery, actor: Actor, beside: ShownPage | None = None) -> PageRead:
    """Read one page of the list and its tab counts, from one moment of the database (a page next to `beside`, the
    one shown, from its edge)."""
    begun = time.monotonic()
    with read_scope() as session:
        found = list_customers(query, actor=actor, session=session, shown=beside)
        shown = shown_page(query, found)
        cells = list_extras.page_cells([c.id for c in found], actor=actor, session=session)
        rows = [customer_row(c) | cells[c.id] for c in found]
        counts, estimated = count_tabs(
            query.search, group_id=query.group_id, tag=query.tag, flags=query.flags, actor=actor, session=session
        )
        in_trash = query.tab == "trash"
        removals = trash_batches.recent_removals(actor=actor, session=session) if in_trash else []
    return PageRead(rows, counts, sorted(estimated), [removal_row(r) for r in removals], begun, shown)


class CustomerListState(ListFiltersMixin, RemovalsMixin, rx.State):
    """What one viewer of the customers page sees; only the visible page is held."""

    tab: str = "individual"
    search: str = ""
    search_box: int = 0  # bumped when the search is set other than by typing: the box then shows it afresh
    sort: str = "name"
    direction: str = "asc"
    page: int = 1
    page_size: int = 25
    rows: list[dict[str, str]] = []
    counts: dict[str, int] = {"individual": 0, "institution": 0, "trash": 0}
    counts_estimated: list[str] = []  # tabs whose count for a broad search or filter is an estimate ("about 49,000")
    selected: list[str] = []
    loaded: bool = False
    confirm_id: str = ""
    confirm_name: str = ""
    # When the read this page shows began (time.monotonic()): a shared refresh read begun earlier is not shown.
    _read_at: float = 0.0
    _shown: ShownPage | None = None  # the page on screen, from whose edge Next and Previous read on deep pages
    purge_confirm: bool = False
    bulk_open: bool = False

    # The computed vars below read each list or dict var once: every read of one wraps it in a change-tracking proxy,
    # and a live refresh recomputes them all for each open page.
    @rx.var
    def total(self) -> int:
        """Customers in the current tab matching the search."""
        return self.counts.get(self.tab, 0)

    @rx.var
    def page_count(self) -> int:
        """Number of pages (at least one)."""
        return page_count(self.total, self.page_size)

    @rx.var
    def count_labels(self) -> dict[str, str]:
        """Tab counts written with thousands separators, estimates as "about 49,000"."""
        counts, estimated = dict(self.counts), set(self.counts_estimated)
        return {tab: count_text(counts.get(tab, 0), tab not in estimated) for tab in TABS}

    @rx.var
    def range_total_label(self) -> str:
        """The current tab's matching count, with thousands separators."""
        return count_text(self.total, self.tab not in self.counts_estimated)

    @rx.var
    def range_label(self) -> str:
        """Which rows are shown, e.g. "26–50 of 1,204"."""
        return range_text(self.page, self.page_size, self.total, about=self.tab in self.counts_estimated)

    @rx.var
    def all_on_page_selected(self) -> bool:
        """Whether every visible row is selected."""
        selected = set(self.selected)
        shown = [row["id"] for row in self.rows] if selected else []  # nothing selected: no row to look at
        return bool(shown) and selected.issuperset(shown)

    def _view(self) -> ListView:
        """What the list shows, as its address names it."""
        return ListView(
            self.tab,
            self.search,
            self.sort,
            self.direction,
            self.page,
            self.page_size,
            self.group,
            self.tag,
            tuple(self.flags_on),
        )

    def _address(self) -> str:
        """The address of the list as shown, e.g. `/customers?tab=trash&q=ada` (plain `/customers` by default)."""
        return routes.CUSTOMERS + view_query(self._view(), settings.page_sizes)

    def _show_address(self, *, push: bool, opened: bool = False) -> rx.event.EventSpec:
        """Write the view in the address bar: a new step in the history, or (while typing) in place of this one; for
        a page just `opened`, only while the browser still shows the address it was opened with."""
        query = self.router.url.query
        read_from = (f"?{query}" if query else "") if opened else None
        return write_address(view_query(self._view(), settings.page_sizes), push=push, read_from=read_from)

    def _view_from_address(self) -> None:
        """Show what the page's address names (plain `/customers`: the default view); nothing stays selected."""
        view = read_view(self.router.url.query_parameters, settings.page_sizes)
        if view.search != self.search:  # else keep the box as it is: someone may be typing into it already
            self.search_box += 1
        self.tab, self.search, self.sort, self.direction = view.tab, view.search, view.sort, view.direction
        self.page, self.page_size, self.group, self.tag = view.page, view.page_size, view.group, view.tag
        self.flags_on, self.tag_text, self.selected = list(view.flags), view.tag, []

    def _query(self) -> ListQuery:
        return ListQuery(
            self.tab,
            self.search,
            self.sort,
            self.direction,
            self.page,
            self.page_size,
            group_id(self.group),
            self.tag,
            tuple(self.flags_on),
        ).checked(settings.page_sizes)

    def _show(self, page: PageRead, *, refresh: bool = False) -> None:
        """Show a read, assigning only what differs: a page a change did not touch then sends nothing on its `refresh`
        and, with Redis, is not written back (most saves change what few of the open pages show; each assignment is a
        delta encoded and sent to the browser, and any marks the tab's state for writing)."""
        changed = not refresh  # the page's own read, of a query that may be new: always its latest
        for name, value in zip(("rows", "counts", "counts_estimated", "removals"), page[:4], strict=True):
            if getattr(self, name) != value:
                setattr(self, name, value)
                changed = True
        if changed:  # a refresh that found the same may keep the older read time: the page is the same at both
            self._read_at, self._shown = max(self._read_at, page.begun), page.shown

    async def _load(self):
        """Show the current page; a browser that may not read customers is refused (any client can send events)."""
        actor, refused = await actor_or_refusal(self, "customer.view")
        if actor is None:
            self.rows, self.selected = [], []
            return refused
        query = self._query()
        self.tab, self.sort, self.direction, self.page_size = query.tab, query.sort, query.direction, query.page_size
        # In a thread: the worker's event loop goes on serving other tabs while the database works.
        self._show(await asyncio.to_thread(fetch_page, query, actor, self._shown))
        if self.page > self.page_count:  # the last page emptied under us
            self.page = self.page_count
            self._show(await asyncio.to_thread(fetch_page, self._query(), actor))
        self.loaded = True
        return None

    async def _change(self, work, done: str, offer: Callable[[], dict[str, Any]] | None = None):
        """Run a customer change as the signed-in actor, then refresh everyone; report the outcome (with what
        `offer()` adds to the message, e.g. an Undo button)."""
        counts: list[int] = []
        changed, event = await act_as(
            self, "customer.edit", lambda actor, session: counts.append(work(actor, session)), errors=None
        )
        if not changed:
            return event
        self.selected = []
        await self._changed()
        if not counts[0]:
            return rx.toast.success("Nothing to do: it was already done.")
        return rx.toast.success(done.format(count=counts[0]), **(offer() if offer else {}))

    @rx.event
    async def on_load(self):
        """Show the view the address names (on opening, reloading, Back and Forward), and follow others' changes."""
        self._view_from_address()
        refused = await self._load()
        if refused:
            return refused
        if not await self._load_groups():  # the filter's group was removed (an old link): show everyone
            await self._load()
        # The address as read: unknown values and defaults left out, a page past the end clamped.
        return [CustomerListState.watch_changes, self._show_address(push=False, opened=True)]

    @rx.event(background=True)
    async def watch_changes(self):
        """Refresh this page whenever someone else changes customers, until the page goes away."""
        seen = LiveViewer()
        async with self:
            token = self.router.session.client_token
            # Anyone can call this event: nobody signed in subscribes to nothing.
            if await live_viewer(self, "customer.view", seen) is None:
                return None
        async with hub.subscribe(token) as subscriber:
            while hub.is_current(subscriber):
                await subscriber.wake.wait()
                subscriber.wake.clear()
                # One visit to the tab's state per refresh (with Redis, each is a locked read and a write of it). The
                # state stays locked while the shared answer comes, which only delays this tab's own events.
                async with hub.slots(), self:
                    # The tab's state itself, which this block holds locked: read and set past the proxy, whose
                    # checks on every access cost more than the refresh's own work (a profile of 200 open pages).
                    state: CustomerListState = getattr(self, "__wrapped__", self)
                    viewer = await live_viewer(state, "customer.view", seen)
                    if viewer is None:  # signed out meanwhile, or the server lost this tab's state
                        return await viewer_gone(state)
                    # Pages showing the same query share one answer; each was checked above before it waits for it.
                    query = state._query()
                    page = await hub.shared(query, partial(fetch_page, query, viewer), newer_than=state._read_at)
                    state._show(page, refresh=True)
                    shown = {row["id"] for row in page.rows}
                    if any(i not in shown for i in state.selected):
                        state.selected = [i for i in state.selected if i in shown]
        return None

    async def _changed(self, customer_id: int | None = None) -> None:
        """Reload this page and tell everyone else's (that one customer's pages only, when given)."""
        await self._load()
        await hub.announce(self.router.session.client_token, customer_id)

    @rx.event
    async def set_tab(self, tab: str):
        """Switch between Individuals, Institutions and Trash."""
        if tab in TABS and tab != self.tab:
            self.tab, self.page, self.selected = tab, 1, []
            self.sort, self.direction = ("deleted", "desc") if tab == "trash" else ("name", "asc")
            return await self._load() or self._show_address(push=True)
        return None

    @rx.event
    async def set_search(self, value: str):
        """Search as the user types (the input debounces); the address follows without a history step per pause."""
        self.search, self.page, self.selected = value[:100], 1, []
        return await self._load() or self._show_address(push=False)

    @rx.event
    async def clear_search(self):
        """Show everything in the tab again."""
        self.search_box += 1
        return await self.set_search("")

    @rx.event
    async def toggle_sort(self, key: str):
        """Sort by a column; a second click reverses the order."""
        if key not in SORT_COLUMNS:  # clients can send anything
            return None
        if self.sort == key:
            self.direction = "desc" if self.direction == "asc" else "asc"
        else:
            self.sort, self.direction = key, "asc"
        self.page = 1
        return await self._load() or self._show_address(push=True)

    @rx.event
    async def set_page_size(self, size: str):
        """Show 25, 50 or 100 rows per page."""
        self.page_size, self.page = (parse_ids(size) or [25])[0], 1
        return await self._load() or self._show_address(push=True)

    @rx.event
    async def go_to_page(self, page: int):
        """Jump to a page, clamped to the pages that exist."""
        self.page = page_number(page, self.page_count)
        return await self._load() or self._show_address(push=True)

    @rx.event
    def toggle_selected(self, row_id: str):
        """Select or unselect one row of the page shown (only those: a client could send any number of ids)."""
        if row_id in self.selected:
            self.selected = [i for i in self.selected if i != row_id]
        elif any(row["id"] == row_id for row in self.rows):
            self.selected = [*self.selected, row_id]

    @rx.event
    def toggle_page_selected(self):
        """Select every row on the page, or none."""
        self.selected = [] if self.all_on_page_selected else [r["id"] for r in self.rows]

    @rx.event
    def ask_delete(self, row_id: str, name: str):
        """Open the confirmation for one row (delete, or purge in Trash)."""
        self.confirm_id, self.confirm_name = row_id[:ID_CHARS], name[:NAME_CHARS]  # clients can send any length

    @rx.event
    def cancel_confirm(self):
        """Close any confirmation without doing anything."""
        self.confirm_id, self.confirm_name, self.bulk_open, self.purge_confirm = "", "", False, False

    @rx.event
    def set_confirm_open(self, is_open: bool):
        """A confirmation was dismissed (Cancel, Dismiss or Escape)."""
        if not is_open:
            self.cancel_confirm()

    @rx.event
    async def confirm_delete(self):
        """Move the confirmed row to Trash, or delete it for good when in Trash."""
        ids, in_trash = parse_ids(self.confirm_id), self.tab == "trash"
        self.cancel_confirm()
        done = "Customer deleted permanently." if in_trash else "Customer moved to Trash."
        return await self._remove(ids, in_trash, done)

    async def _remove(self, ids: list[int], in_trash: bool, done: str):
        if in_trash:
            return await self._change(
                lambda actor, session: customers.purge_customers(ids, actor=actor, session=session), done
            )
        return await self._trash(
            lambda actor, session, batch: customers.trash_customers(ids, actor=actor, session=session, batch=batch),
            done,
        )

    @rx.event
    def open_bulk(self):
        """Open the three-way dialog for the selection."""
        self.bulk_open = bool(self.selected)

    @rx.event
    def ask_purge_selected(self):
        """Ask before deleting the selected Trash rows for good."""
        self.purge_confirm = bool(self.selected)

    @rx.event
    async def remove_selected(self):
        """Trash (or, in Trash, purge) the selected rows."""
        ids, in_trash = parse_ids(self.selected), self.tab == "trash"
        self.cancel_confirm()
        verb = "deleted permanently" if in_trash else "moved to Trash"
        return await self._remove(ids, in_trash, f"{{count:,}} customer(s) {verb}.")

    @rx.event
    async def remove_all(self):
        """Trash every customer of the tab that matches the search and the filters."""
        self.cancel_confirm()
        query = self._query()
        if query.tab == "trash":  # Trash has no "Remove all"
            return None
        return await self._trash(
            lambda actor, session, batch: customers.trash_matching(
                query.tab,
                query.search,
                group_id=query.group_id,
                tag=query.tag,
                flags=query.flags,
                actor=actor,
                session=session,
                batch=batch,
            ),
            "{count:,} customer(s) moved to Trash.",
        )

    @rx.event
    async def restore(self, row_ids: list[str]):
        """Bring customers back from Trash."""
        ids = parse_ids(row_ids)
        return await self._change(
            lambda actor, session: customers.restore_customers(ids, actor=actor, session=session),
            "{count:,} customer(s) restored.",
        )

    @rx.event
    async def restore_selected(self):
        """Restore every selected Trash row."""
        return await self.restore(list(self.selected))
