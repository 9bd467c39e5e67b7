"""What the customer page's tabs of records share: reading when shown, writing as the signed-in editor and telling
the customer's other viewers, and (for tickets, activities and addresses) the pop-up and the delete confirmation.

The customer page calls `_load_for` when the tab is shown and when someone changes the customer; a tab never calls
the page. A tab whose writes change the page around it sets `_refreshes_page`, and its change notice then wakes the
page in the writer's own browser tab too (see `announce_customer`).
"""

from collections.abc import Callable
from typing import ClassVar

import reflex as rx
from sqlmodel import Session

from customer_app.access.state.auth import act_as
from customer_app.core.live import announce_customer
from customer_app.core.permissions import Actor
from customer_app.customers.customers import get_customer
from customer_app.customers.models import Customer
from customer_app.ui.parsing import ID_CHARS


class CustomerTabMixin(rx.State, mixin=True):
    """A tab showing one customer's records; the tab provides `_load_for`."""

    customer_id: int = 0
    errors: dict[str, str] = {}
    form_key: int = 0  # bumped to re-mount the tab's uncontrolled form fields
    _refreshes_page: ClassVar[bool] = False

    def _load_for(self, customer: Customer, actor: Actor, session: Session) -> None:
        """Read what the tab shows of `customer` (the customer page calls it when the tab is shown)."""
        raise NotImplementedError

    def _reload_in(self, actor: Actor, session: Session) -> None:
        self._load_for(get_customer(self.customer_id, actor=actor, session=session), actor, session)

    async def _reload(self) -> tuple[bool, object]:
        """Read the tab again as the signed-in viewer (after a filter or the time zone changed)."""
        return await act_as(self, "customer.view", self._reload_in, errors=None)

    async def _write(self, work: Callable[[Actor, Session], object], errors: str | None = "errors"):
        """Run `work(actor, session)` as the signed-in editor, read the tab again and tell the customer's viewers.

        Returns whether it worked and what to send back otherwise; field errors land in the var named `errors`.
        """

        def write(actor: Actor, session: Session) -> None:
            work(actor, session)
            self._reload_in(actor, session)

        done, event = await act_as(self, "customer.edit", write, errors=errors)
        if done:
            await announce_customer(self, own_page=self._refreshes_page)
        return done, event


class RecordTabMixin(CustomerTabMixin, mixin=True):
    """A tab of records each added or edited in a pop-up and deleted after a confirmation."""

    form_open: bool = False
    editing_id: int = 0  # 0 while adding
    values: dict[str, str] = {}
    confirm_id: str = ""  # the record a delete confirmation is about

    def _open_form(self, editing_id: int, values: dict[str, str]) -> None:
        self.editing_id, self.values, self.errors = editing_id, values, {}
        self.form_key += 1
        self.form_open = True

    @rx.event
    def set_form_open(self, is_open: bool):
        self.form_open = is_open

    @rx.event
    def ask_delete(self, record_id: str):
        self.confirm_id = record_id[:ID_CHARS]  # clients can send any length

    @rx.event
    def set_confirm_open(self, is_open: bool):
        if not is_open:
            self.confirm_id = ""
