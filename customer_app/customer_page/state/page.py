"""The customer page: its header (the customer, its groups and tags, previous and next in the list) and the tab in
the address. Only the tab being shown is read: with the header when the page opens or someone changes the customer,
on its own when it is switched to."""

from typing import cast

import reflex as rx

from customer_app import routes
from customer_app.access.state.auth import act_as, actor_or_refusal, viewer_gone
from customer_app.core.live import announce_customer, customer_page_key, hub
from customer_app.core.normalize import format_phone
from customer_app.customer_page.queries import header_labels
from customer_app.customer_page.state.tabs import BY_KEY, FIRST, TabLoader
from customer_app.customers import customers
from customer_app.customers import duplicate as customer_copy
from customer_app.customers.customers import get_customer
from customer_app.customers.models import Customer
from customer_app.customers.pictures import picture_filename
from customer_app.customers.queries import ListQuery, neighbours
from customer_app.customers.rows import initials
from customer_app.customers.state.customer_form import CustomerFormState
from customer_app.customers.state.customer_list import CustomerListState
from customer_app.errors import NotFoundError
from customer_app.portal import grants
from customer_app.records.state.activities import CustomerActivitiesState
from customer_app.settings import settings
from customer_app.ui.parsing import parse_ids


class CustomerDetailState(rx.State):
    """What one browser tab shows of one customer, around the tab's own state."""

    status: str = ""  # "" while loading, "ok", "missing" (no such customer or in Trash)
    customer_id: int = 0
    header: dict[str, str] = {}
    groups: list[str] = []  # the groups the customer is in, and its tags, for the header
    tags: str = ""
    tab: str = FIRST.key
    previous_id: str = ""
    next_id: str = ""
    delete_open: bool = False
    list_address: str = routes.CUSTOMERS  # the customers list as this tab last showed it, for the way back

    @rx.event
    async def on_load(self):
        """Show the customer named in the URL, on the tab the URL asks for, and follow others' changes."""
        tab = self.router.url.query_parameters.get("tab", "")
        self.tab = tab if tab in BY_KEY else FIRST.key
        self.customer_id = (parse_ids(self.router.url.path.rstrip("/").rsplit("/", 1)[-1]) or [0])[0]
        refused = await self._load()
        if refused:
            return refused
        browser_zone = rx.call_script(
            "Intl.DateTimeFormat().resolvedOptions().timeZone", callback=CustomerActivitiesState.set_time_zone
        )
        return [CustomerDetailState.watch_changes, browser_zone]

    async def _load(self):
        """Read the header and the tab being shown; what the browser gets when refused."""
        return await self._read((BY_KEY[self.tab].state,), with_header=True)

    async def _read(self, tab_states: tuple[type[rx.State], ...], *, with_header: bool):
        """Read the customer's header (when asked) and the given tabs, as the signed-in viewer."""
        # Every tab state is a TabLoader; get_state is typed to return only the class it was given.
        states = [cast(TabLoader, await self.get_state(cls)) for cls in tab_states]
        listing = await self.get_state(CustomerListState) if with_header else None

        def read(actor, session) -> None:
            try:
                customer = get_customer(self.customer_id, actor=actor, session=session)
            except NotFoundError:
                self.status, self.header = "missing", {}
                return
            if listing is not None:
                self.list_address = listing._address()
                self._read_header(customer, _list_query(listing, customer), actor, session)
            for state in states:
                state._load_for(customer, actor, session)
            self.status = "ok"

        done, event = await act_as(self, "customer.view", read, errors=None)
        if not done:
            self.status = "missing"
        return event

    def _read_header(self, customer: Customer, query: ListQuery, actor, session) -> None:
        self.header = _header(customer)
        before, after = neighbours(query, customer, actor=actor, session=session)
        self.previous_id, self.next_id = str(before or ""), str(after or "")
        labels = header_labels(customer.id, actor=actor, session=session)
        self.groups, self.tags = labels.groups, ", ".join(labels.tags)

    @rx.event(background=True)
    async def watch_changes(self):
        """Re-read the header and the tab shown whenever anyone changes this customer (or many customers at once),
        until the page goes away."""
        async with self:
            token, customer_id = self.router.session.client_token, self.customer_id
            viewer, _ = await actor_or_refusal(self, "customer.view")
        if viewer is None:  # anyone can call this event: nobody signed in subscribes to nothing
            return None
        async with hub.subscribe(customer_page_key(token), customer_id) as subscriber:
            while hub.is_current(subscriber):
                await subscriber.wake.wait()
                subscriber.wake.clear()
                async with hub.slots(), self:
                    await self._load()
                    gone = await viewer_gone(self)
                if gone:  # signed out meanwhile, or the server lost this tab's state
                    return gone
        return None

    @rx.event
    async def set_tab(self, tab: str):
        """Switch tab, read it, and put it in the address, so the link can be shared."""
        if tab not in BY_KEY:
            return None
        self.tab = tab
        refused = await self._read((BY_KEY[tab].state,), with_header=False)
        return refused or rx.call_script(f"window.history.replaceState(null, '', '?tab={tab}')")

    @rx.event
    async def duplicate(self):
        """Copy this customer without its e-mail and open the copy for editing."""
        copies: list[int] = []

        def work(actor, session) -> None:
            copies.append(customer_copy.duplicate_customer(self.customer_id, actor=actor, session=session).id)

        done, event = await act_as(self, "customer.edit", work, errors=None)
        if not done:
            return event
        await announce_customer(self)
        return [
            rx.redirect(routes.customer(copies[0])),
            CustomerFormState.open_edit(str(copies[0])),
            rx.toast.success("Duplicate created: give it its own e-mail and save."),
        ]

    @rx.event
    async def send_invitation(self):
        """Give this customer portal access (again): an invitation, or a notice to an existing account."""
        done, event = await act_as(
            self,
            "customer.edit",
            lambda actor, session: grants.give_access(self.customer_id, actor=actor, session=session),
            errors=None,
        )
        if not done:
            return event
        await announce_customer(self, own_page=True)
        return rx.toast.success("Portal invitation sent.")

    @rx.event
    def set_delete_open(self, is_open: bool):
        self.delete_open = is_open

    @rx.event
    async def delete_customer(self):
        """Move this customer to Trash and go back to the list."""
        self.delete_open = False
        done, event = await act_as(
            self,
            "customer.edit",
            lambda actor, session: customers.trash_customers([self.customer_id], actor=actor, session=session),
            errors=None,
        )
        if not done:
            return event
        await announce_customer(self)
        return [
            rx.redirect(self.list_address),
            rx.toast.success(f"{self.header.get('name', 'Customer')} moved to Trash."),
        ]


def _list_query(listing: CustomerListState, customer: Customer) -> ListQuery:
    """The customers list's tab, search and sort, or the customer's own tab when it is not in that list."""
    query = listing._query()
    if query.tab != customer.kind:
        return ListQuery(customer.kind).checked(settings.page_sizes)
    return query


def _header(customer: Customer) -> dict[str, str]:
    picture = f"pictures/{picture_filename(customer.picture, 512)}" if customer.picture else ""
    return {
        "id": str(customer.id),
        "name": customer.display_name or "(no name)",
        "initials": initials(customer.display_name),
        "picture": picture,
        "kind": "Individual" if customer.kind == "individual" else "Institution",
        "email": customer.email or "",
        "phone": format_phone(customer.phone or customer.mobile),
    }
