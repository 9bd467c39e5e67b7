"""The staff page: who has an account, inviting people, changing roles, deactivating and reactivating."""

from collections.abc import Callable
from dataclasses import dataclass

import reflex as rx
from sqlmodel import Session

from customer_app.access import staff_accounts
from customer_app.access.models import StaffUser
from customer_app.access.state.auth import act_as, actor_or_refusal
from customer_app.audit.rows import ALLOWED, DENIED
from customer_app.core.db import session_scope
from customer_app.core.permissions import ROLE_LABELS, Actor
from customer_app.settings import settings
from customer_app.ui.parsing import parse_ids


@dataclass
class StaffRow:
    """One staff account as a table row shows it."""

    id: str = ""
    name: str = ""
    email: str = ""
    role: str = ""
    role_label: str = ""
    status: str = ""
    active: bool = True
    is_me: bool = False


def staff_row(user: StaffUser, me: int) -> StaffRow:
    """An account as text; an invited person has no password yet."""
    status = "Deactivated" if not user.active else "Invited (no password yet)" if not user.password_hash else "Active"
    return StaffRow(
        id=str(user.id),
        name=user.name,
        email=user.email,
        role=user.role,
        role_label=ROLE_LABELS.get(user.role, user.role),
        status=status,
        active=user.active,
        is_me=user.id == me,
    )


class StaffAdminState(rx.State):
    """What one admin viewing the staff page sees."""

    access: str = ""  # "" while checking, "ok", or "denied"
    rows: list[StaffRow] = []
    invite_errors: dict[str, str] = {}
    invite_key: int = 0  # bumped to empty the invite form after a success
    confirm_id: str = ""
    confirm_name: str = ""

    async def _load(self):
        actor, refused = await actor_or_refusal(self, "staff.manage")
        if actor is None:
            self.rows, self.access = [], DENIED
            return refused
        with session_scope() as session:
            self.rows = [staff_row(u, actor.id) for u in staff_accounts.list_staff(actor=actor, session=session)]
        self.access = ALLOWED
        return None

    async def _change(self, work: Callable[[Actor, Session], StaffUser], done: str):
        """Run one account change as the signed-in admin; show the outcome and the fresh list."""
        names: list[str] = []
        changed, event = await act_as(self, "staff.manage", lambda a, s: names.append(work(a, s).name), errors=None)
        refused = await self._load()  # after a failure too: a refused role change puts the drop-down back
        return (refused or rx.toast.success(done.format(name=names[0]))) if changed else event

    @rx.event
    async def on_load(self):
        """Show every staff account."""
        self.invite_errors, self.confirm_id, self.confirm_name = {}, "", ""
        return await self._load()

    @rx.event
    async def invite(self, form: dict):
        """Create an account for a colleague and e-mail them a link to choose a password."""
        self.invite_errors = {}
        email, name, role = (str(form.get(k, ""))[:320] for k in ("email", "name", "role"))
        invited: list[str] = []

        def work(actor: Actor, session: Session) -> None:
            invited.append(staff_accounts.invite(email, name, role, actor=actor, session=session).email)

        done, event = await act_as(self, "staff.manage", work, errors="invite_errors")
        if not done:
            return event
        self.invite_key += 1
        where = "" if settings.smtp_url else " No mail server is set up: the link is in the Outbox."
        refused = await self._load()
        return refused or rx.toast.success(f"Invitation sent to {invited[0]}.{where}")

    @rx.event
    async def change_role(self, user_id: str, role: str):
        """Give a staff member another role."""
        ids = parse_ids(user_id)
        return await self._change(
            lambda actor, session: staff_accounts.change_role((ids or [0])[0], str(role), actor=actor, session=session),
            f"{{name}} is now {ROLE_LABELS.get(role, 'changed')}.",
        )

    @rx.event
    async def ask_deactivate(self, user_id: str, name: str):
        """Open the confirmation before deactivating someone."""
        actor, refused = await actor_or_refusal(self, "staff.manage")
        if actor is None:
            return refused
        self.confirm_id, self.confirm_name = str(user_id), str(name)[:200]
        return None

    @rx.event
    def set_confirm_open(self, is_open: bool):
        """The confirmation was dismissed (Cancel or Escape)."""
        if not is_open:
            self.confirm_id, self.confirm_name = "", ""

    @rx.event
    async def confirm_deactivate(self):
        """Deactivate the confirmed account; its sessions end at once."""
        ids = parse_ids(self.confirm_id)
        self.confirm_id, self.confirm_name = "", ""
        return await self._change(
            lambda actor, session: staff_accounts.set_active((ids or [0])[0], False, actor=actor, session=session),
            "{name} is deactivated and signed out.",
        )

    @rx.event
    async def reactivate(self, user_id: str):
        """Let a deactivated staff member sign in again."""
        ids = parse_ids(user_id)
        return await self._change(
            lambda actor, session: staff_accounts.set_active((ids or [0])[0], True, actor=actor, session=session),
            "{name} can sign in again.",
        )
