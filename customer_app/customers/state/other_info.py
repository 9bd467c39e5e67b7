"""The Other info tab of the customer page: business number, tags, groups and sales rep, saved together."""

import reflex as rx
from sqlmodel import Session

from customer_app.access.state.auth import act_as
from customer_app.core.live import announce_customer
from customer_app.core.permissions import Actor
from customer_app.customers import other_info
from customer_app.customers.models import Customer
from customer_app.ui.parsing import parse_ids


class CustomerOtherInfoState(rx.State):
    """One customer's other info in one browser tab."""

    customer_id: int = 0
    business_number: str = ""
    tags: str = ""
    groups: list[dict[str, str]] = []
    reps: list[dict[str, str]] = []
    sales_rep: str = ""
    language: str = ""
    suggestions: list[str] = []
    errors: dict[str, str] = {}
    form_key: int = 0

    def _load_for(self, customer: Customer, actor: Actor, session: Session) -> None:
        """Read the customer's other info (the customer page calls it when the tab is shown)."""
        self._read(customer.id, actor, session)

    def _read(self, customer_id: int, actor: Actor, session: Session) -> None:
        info = other_info.other_info(customer_id, actor=actor, session=session)
        self.customer_id, self.business_number = customer_id, info.business_number
        self.tags = ", ".join(info.tags)
        self.groups = [
            {"id": str(g.id), "name": g.name, "on": "yes" if g.id in info.group_ids else ""}
            for g in other_info.list_groups(actor=actor, session=session)
        ]
        self.reps = [{"id": str(u.id), "name": u.name} for u in other_info.sales_reps(actor=actor, session=session)]
        self.sales_rep, self.language = str(info.sales_rep_id or ""), info.language
        self.form_key += 1  # the form shows what was just read

    @rx.event
    async def load_suggestions(self):
        """Suggest the tags in use, read the first time the tags box is focused (counting them all is the costly
        part of the page at a million customers)."""
        if self.suggestions:
            return None

        def read(actor, session):
            self.suggestions = other_info.tag_suggestions(actor=actor, session=session)

        _, event = await act_as(self, "customer.view", read, errors=None)
        return event

    @rx.event
    async def save(self, form: dict):
        """Save every field of the tab at once."""
        group_ids = [int(key.removeprefix("group-")) for key in form if key.startswith("group-") and form[key]]

        def work(actor, session):
            other_info.save_other_info(
                self.customer_id,
                business_number=str(form.get("business_number", "")),
                tags=other_info.parse_tags(str(form.get("tags", ""))),
                group_ids=group_ids,
                sales_rep_id=(parse_ids(form.get("sales_rep", "")) or [None])[0],
                language=str(form.get("language", "")),
                actor=actor,
                session=session,
            )
            self._read(self.customer_id, actor, session)

        done, event = await act_as(self, "customer.edit", work)
        if not done:
            return event
        await announce_customer(self, own_page=True)  # the page's header shows the groups and tags
        return rx.toast.success("Other info saved.")

    @rx.event
    async def add_group(self, form: dict):
        """Add a group to the list everyone chooses from (admins)."""

        def work(actor, session):
            other_info.add_group(str(form.get("group_name", "")), actor=actor, session=session)
            self._read(self.customer_id, actor, session)

        _, event = await act_as(self, "settings.manage", work)
        return event
