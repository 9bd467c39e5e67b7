"""The groups section of the settings page: add, rename and remove the groups customers can be in."""

from dataclasses import dataclass

import reflex as rx

from customer_app.access.state.auth import actor_or_refusal
from customer_app.admin.state.settings_change import apply_change
from customer_app.core.db import session_scope
from customer_app.customers import other_info
from customer_app.ui.parsing import parse_ids


@dataclass
class GroupRow:
    """One group with how many customers are in it."""

    id: str = ""
    name: str = ""
    members: int = 0


class GroupsAdminState(rx.State):
    """What one admin sees and edits of the groups list."""

    rows: list[GroupRow] = []
    errors: dict[str, str] = {}
    add_key: int = 0
    renaming: GroupRow = GroupRow()
    rename_key: int = 0
    confirm: GroupRow = GroupRow()

    async def _load(self):
        actor, _ = await actor_or_refusal(self, "settings.manage")  # the custom fields section sends the refusal
        if actor is None:
            self.rows = []
            return
        with session_scope() as session:
            sizes = other_info.group_sizes(actor=actor, session=session)
            self.rows = [
                GroupRow(str(g.id), g.name, sizes.get(g.id, 0))
                for g in other_info.list_groups(actor=actor, session=session)
            ]

    @rx.event
    async def on_load(self):
        """Groups by name."""
        self.renaming, self.confirm, self.errors = GroupRow(), GroupRow(), {}
        await self._load()

    @rx.event
    async def add(self, form: dict):
        """Add the typed group."""
        name = str(form.get("group_name", ""))
        done, event = await apply_change(
            self, lambda actor, session: other_info.add_group(name, actor=actor, session=session)
        )
        self.add_key += done
        return event

    @rx.event
    def open_rename(self, group_id: str):
        self.renaming = next((row for row in self.rows if row.id == group_id), GroupRow())
        self.errors, self.rename_key = {}, self.rename_key + 1

    @rx.event
    def set_rename_open(self, is_open: bool):
        if not is_open:
            self.renaming, self.errors = GroupRow(), {}

    @rx.event
    async def rename(self, form: dict):
        """Give the group being renamed the typed name."""
        group_id, name = int(self.renaming.id or 0), str(form.get("name", ""))
        done, event = await apply_change(
            self, lambda actor, session: other_info.rename_group(group_id, name, actor=actor, session=session)
        )
        if done:
            self.renaming = GroupRow()
        return event

    @rx.event
    def ask_remove(self, group_id: str):
        self.confirm = next((row for row in self.rows if row.id == group_id), GroupRow())

    @rx.event
    def set_confirm_open(self, is_open: bool):
        if not is_open:
            self.confirm = GroupRow()

    @rx.event
    async def remove(self):
        """Remove the group the confirmation was about; its customers stay."""
        group_ids = parse_ids(self.confirm.id)
        self.confirm = GroupRow()
        _, event = await apply_change(
            self, lambda actor, session: [other_info.remove_group(g, actor=actor, session=session) for g in group_ids]
        )
        return event
