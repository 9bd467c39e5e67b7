"""The income accounts and shipping methods sections of the settings page: add, rename, retire (and delete an account
nothing uses)."""

from dataclasses import dataclass

import reflex as rx

from customer_app.access.state.auth import actor_or_refusal
from customer_app.admin.state.settings_change import apply_change
from customer_app.commerce import income_accounts, shipping
from customer_app.core.db import session_scope
from customer_app.ui.parsing import parse_ids


@dataclass
class AccountRow:
    """One income account as listed."""

    id: str = ""
    code: str = ""
    name: str = ""
    retired: bool = False
    used: bool = False  # by customers or documents: retired, never deleted


@dataclass
class MethodRow:
    """One shipping method as listed."""

    id: str = ""
    name: str = ""
    retired: bool = False


class SalesListsState(rx.State):
    """What one admin sees and edits of the income accounts and shipping methods."""

    accounts: list[AccountRow] = []
    methods: list[MethodRow] = []
    errors: dict[str, str] = {}
    add_key: int = 0
    editing_account: AccountRow = AccountRow()
    editing_method: MethodRow = MethodRow()
    edit_key: int = 0

    async def _load(self):
        actor, _ = await actor_or_refusal(self, "settings.manage")  # the custom fields section sends the refusal
        if actor is None:
            self.accounts, self.methods = [], []
            return
        with session_scope() as session:
            self.accounts = [
                AccountRow(str(a.id), a.code, a.name, a.retired, income_accounts.in_use(a.id, session=session))
                for a in income_accounts.accounts(actor=actor, session=session)
            ]
            self.methods = [
                MethodRow(str(m.id), m.name, m.retired) for m in shipping.methods(actor=actor, session=session)
            ]

    @rx.event
    async def on_load(self):
        """Accounts by code, methods by name."""
        self.editing_account, self.editing_method, self.errors = AccountRow(), MethodRow(), {}
        await self._load()

    @rx.event
    async def add_account(self, form: dict):
        """Add the typed account."""
        code, name = str(form.get("account_code", ""))[:200], str(form.get("account_name", ""))[:200]
        done, event = await apply_change(
            self, lambda actor, session: income_accounts.add_account(code, name, actor=actor, session=session)
        )
        self.add_key += done
        return event

    @rx.event
    def open_account(self, account_id: str):
        self.editing_account = next((row for row in self.accounts if row.id == account_id), AccountRow())
        self.errors, self.edit_key = {}, self.edit_key + 1

    @rx.event
    def set_account_open(self, is_open: bool):
        if not is_open:
            self.editing_account, self.errors = AccountRow(), {}

    @rx.event
    async def save_account(self, form: dict):
        """Give the account being changed the typed code and name."""
        account_id = (parse_ids(self.editing_account.id) or [0])[0]
        code, name = str(form.get("code", ""))[:200], str(form.get("name", ""))[:200]
        done, event = await apply_change(
            self,
            lambda actor, session: income_accounts.rename_account(account_id, code, name, actor=actor, session=session),
        )
        if done:
            self.editing_account = AccountRow()
        return event

    @rx.event
    async def set_account_retired(self, account_id: str, retired: bool):
        """Retire an account (no longer offered) or bring it back."""
        chosen = (parse_ids(account_id) or [0])[0]
        _, event = await apply_change(
            self,
            lambda actor, session: income_accounts.set_retired(chosen, bool(retired), actor=actor, session=session),
        )
        return event

    @rx.event
    async def delete_account(self, account_id: str):
        """Delete an account nothing uses."""
        chosen = (parse_ids(account_id) or [0])[0]
        _, event = await apply_change(
            self, lambda actor, session: income_accounts.delete_account(chosen, actor=actor, session=session)
        )
        return event

    @rx.event
    async def add_method(self, form: dict):
        """Add the typed shipping method."""
        name = str(form.get("method_name", ""))[:200]
        done, event = await apply_change(
            self, lambda actor, session: shipping.add_method(name, actor=actor, session=session)
        )
        self.add_key += done
        return event

    @rx.event
    def open_method(self, method_id: str):
        self.editing_method = next((row for row in self.methods if row.id == method_id), MethodRow())
        self.errors, self.edit_key = {}, self.edit_key + 1

    @rx.event
    def set_method_open(self, is_open: bool):
        if not is_open:
            self.editing_method, self.errors = MethodRow(), {}

    @rx.event
    async def save_method(self, form: dict):
        """Give the method being renamed the typed name."""
        method_id = (parse_ids(self.editing_method.id) or [0])[0]
        name = str(form.get("method_rename", ""))[:200]
        done, event = await apply_change(
            self, lambda actor, session: shipping.rename_method(method_id, name, actor=actor, session=session)
        )
        if done:
            self.editing_method = MethodRow()
        return event

    @rx.event
    async def set_method_retired(self, method_id: str, retired: bool):
        """Stop offering a method, or offer it again."""
        chosen = (parse_ids(method_id) or [0])[0]
        _, event = await apply_change(
            self, lambda actor, session: shipping.set_retired(chosen, bool(retired), actor=actor, session=session)
        )
        return event
