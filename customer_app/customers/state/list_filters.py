"""The customers list's group and tag filters and the added yes/no filters (customers.list_extras, e.g. "With open
balance"), kept in the address so a filtered list can be shared and reloaded."""

import json
from typing import TYPE_CHECKING, Any

import reflex as rx

from customer_app.access.state.auth import act_as, actor_or_refusal
from customer_app.core.db import session_scope
from customer_app.core.normalize import whole_number
from customer_app.customers import list_extras, other_info
from customer_app.customers.filters import clean_tag


def group_id(group: object) -> int | None:
    """The group filter as the query wants it: a well-formed id, or None for all groups (clients can send anything)."""
    number = whole_number(group, max_digits=9)
    return number if number else None


def write_address(query: str, *, push: bool = False, read_from: str | None = None) -> rx.event.EventSpec:
    """Put the list's view (`?tab=trash&q=ada`) in the address bar without reloading the page: as a new step of the
    browser's history (`push`, so Back returns to the view before), or in place of the current one (while typing).

    `read_from` is the query the page was opened with: the address is then corrected only while the browser still
    shows it (after a quick second Back the correction would overwrite another step of the history)."""
    # json.dumps escapes quotes and every non-ASCII character, so a search or tag cannot break out of the string.
    target = f"window.location.pathname + {json.dumps(query)}"
    unchanged = f"window.location.search !== {json.dumps(query)}"
    if read_from is not None:
        unchanged += f" && window.location.search === {json.dumps(read_from)}"
    if not push:
        return rx.call_script(f"if ({unchanged}) window.history.replaceState(window.history.state, '', {target})")
    # The router keeps its place in the history as `idx` in each step's state: a step without it breaks Back.
    step = "{usr: null, key: Math.random().toString(36).slice(2, 10), idx: (window.history.state?.idx ?? 0) + 1}"
    return rx.call_script(f"if ({unchanged}) window.history.pushState({step}, '', {target})")


class ListFiltersMixin(rx.State, mixin=True):
    """The group and tag filters of the customers page; the page state provides `_load`, `page` and `selected`."""

    group: str = ""  # id of the group filter ("" for all groups)
    tag: str = ""  # the tag filter ("" for any tag)
    tag_text: str = ""  # what the tag box holds; applied on Enter, or as soon as it names a tag in use
    _cleared_text: str = ""  # what the box held when the filters were cleared: a late debounced copy is ignored
    groups: list[dict[str, str]] = []  # every group's id and name, for the drop-down
    tag_options: list[str] = []  # tags in use, suggested in the tag box (read when it is first focused)
    flags_on: list[str] = []  # keys of the added yes/no filters that are on

    if TYPE_CHECKING:  # declared for the type checker only: a stub here would hide the page state's own

        async def _load(self) -> Any:
            """Read what the page shows again; the page state defines it."""

        def _show_address(self, *, push: bool) -> Any:
            """The event writing the list's whole view in the address bar; the page state defines it."""

    @rx.var
    def group_name(self) -> str:
        """The name of the group the list is filtered by ("" for none)."""
        return next((g["name"] for g in self.groups if g["id"] == self.group), "")

    @rx.var
    def filtered(self) -> bool:
        """Whether a group, tag or added filter is on."""
        return bool(self.group or self.tag or self.flags_on)

    @rx.var
    def filter_summary(self) -> str:
        """The filters in words, e.g. 'group “VIP”, tag “wholesale”, with open balance'."""
        parts = [f"group “{self.group_name}”"] if self.group else []
        parts += [f"tag “{self.tag}”"] if self.tag else []
        return ", ".join(parts + [extra.label.lower() for extra in list_extras.flags() if extra.key in self.flags_on])

    async def _load_groups(self) -> bool:
        """Read the groups for the drop-down; False (and the group filter dropped) when its group is gone."""
        actor, _ = await actor_or_refusal(self, "customer.view")
        if actor is None:  # signed out since the page was read; its next read sends the sign-in page
            return True
        with session_scope() as session:
            self.groups = [
                {"id": str(g.id), "name": g.name} for g in other_info.list_groups(actor=actor, session=session)
            ]
        if self.group and not any(g["id"] == self.group for g in self.groups):
            self.group = ""
            return False
        return True

    async def _filter(self, group: str, tag: str, flags: list[str] | None = None, *, push: bool = True):
        """Apply the group, tag and added filters from the first page, and show them in the address."""
        self.group = group if any(g["id"] == group for g in self.groups) else ""
        self.flags_on = list(list_extras.known_flags(self.flags_on if flags is None else flags))
        self.tag, self.page, self.selected = clean_tag(tag), 1, []
        return await self._load() or self._show_address(push=push)

    @rx.event
    async def set_group(self, value: str):
        """Show only the customers in one group ("" for every group)."""
        return await self._filter(str(value), self.tag)

    @rx.event
    async def type_tag(self, value: str):
        """The tag box changed (debounced): filter at once when it names a tag in use, or was emptied."""
        stale, self._cleared_text = str(value) == self._cleared_text, ""
        if stale:  # typed before the filters were cleared, and sent only after: the person already moved on
            return None
        self.tag_text = str(value)[:100]
        typed = clean_tag(self.tag_text)
        if typed != self.tag and (not typed or typed.casefold() in {t.casefold() for t in self.tag_options}):
            return await self._filter(self.group, typed, push=False)  # still typing: one step in the history
        return None

    @rx.event
    async def submit_tag(self, form: dict):
        """Enter in the tag box: filter by what it holds."""
        self.tag_text = clean_tag(str(form.get("tag", "")))
        return await self._filter(self.group, self.tag_text)

    @rx.event
    async def load_tag_options(self):
        """Suggest the tags in use, read once per visit (the first time the tag box is focused)."""
        if self.tag_options:
            return None

        def read(actor, session):
            self.tag_options = other_info.tag_suggestions(actor=actor, session=session)

        _, event = await act_as(self, "customer.view", read, errors=None)
        return event

    @rx.event
    async def clear_group(self):
        """Drop the group filter."""
        return await self._filter("", self.tag)

    @rx.event
    async def clear_tag(self):
        """Drop the tag filter."""
        self.tag_text, self._cleared_text = "", self.tag_text
        return await self._filter(self.group, "")

    @rx.event
    async def toggle_flag(self, key: str):
        """Turn an added yes/no filter (e.g. "With open balance") on or off."""
        on = [k for k in self.flags_on if k != key] if key in self.flags_on else [*self.flags_on, str(key)]
        return await self._filter(self.group, self.tag, on)  # which drops unknown keys (clients can send anything)

    @rx.event
    async def clear_filters(self):
        """Drop the group, tag and added filters."""
        self.tag_text, self._cleared_text = "", self.tag_text
        return await self._filter("", "", [])
