"""What the customer page's record tabs (tickets, activities, addresses) share: the pop-up, the delete
confirmation, and writing as the signed-in editor."""

import reflex as rx

from customer_app.access.state.auth import act_as
from customer_app.core.live import announce_customer


class RecordTabMixin(rx.State, mixin=True):
    """A tab of one customer's records, each added or edited in a pop-up; the tab provides `load_for`."""

    customer_id: int = 0
    form_open: bool = False
    editing_id: int = 0  # 0 while adding
    values: dict[str, str] = {}
    errors: dict[str, str] = {}
    form_key: int = 0  # bumped to re-mount the pop-up's uncontrolled fields
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
        self.confirm_id = record_id

    @rx.event
    def set_confirm_open(self, is_open: bool):
        if not is_open:
            self.confirm_id = ""

    async def _write(self, work) -> tuple[bool, object]:
        """Run `work(actor, session)` as the signed-in editor, reload the tab and wake the customer's other viewers.

        Returns whether it worked and what to send back otherwise; field errors land in `errors`.
        """

        def write(actor, session):
            work(actor, session)
            self.load_for(self.customer_id, actor, session)

        done, event = await act_as(self, "customer.edit", write)
        if done:
            await announce_customer(self)
        return done, event
