"""The customer page's tabs in the order shown: each one's address key, label, view and the state that reads it.

The page reads only the tab being shown: its header and that tab when it opens or someone changes the customer,
and a tab when it is switched to. A tab's state reads through `_load_for(customer, actor, session)`.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

import reflex as rx
from sqlmodel import Session

from customer_app.core.permissions import Actor
from customer_app.customer_page.state.overview import CustomerOverviewState
from customer_app.customer_page.views.overview import overview_tab
from customer_app.customers.models import Customer
from customer_app.customers.state.custom_fields import CustomerCustomFieldsState
from customer_app.customers.state.other_info import CustomerOtherInfoState
from customer_app.customers.views.custom_fields import custom_fields_tab
from customer_app.customers.views.other_info import other_info_tab
from customer_app.records.state.activities import CustomerActivitiesState
from customer_app.records.state.addresses import CustomerAddressesState
from customer_app.records.state.contacts import CustomerContactsState
from customer_app.records.state.notes import CustomerNotesState
from customer_app.records.state.notifications import CustomerNotificationsState
from customer_app.records.state.tickets import CustomerTicketsState
from customer_app.records.views.activities import activities_tab
from customer_app.records.views.addresses import addresses_tab
from customer_app.records.views.contacts import contacts_tab
from customer_app.records.views.notes import notes_tab
from customer_app.records.views.notifications import notifications_tab
from customer_app.records.views.tickets import tickets_tab


class TabLoader(Protocol):
    """A tab's state: it reads what its view shows of one customer."""

    def _load_for(self, customer: Customer, actor: Actor, session: Session) -> None: ...


@dataclass(frozen=True)
class Tab:
    """One tab of the customer page."""

    key: str  # in the address: ?tab=<key>
    label: str
    view: Callable[[], rx.Component]
    state: type[rx.State]  # a TabLoader: the page calls its `_load_for` while the tab is shown


TABS = (
    Tab("overview", "Overview", overview_tab, CustomerOverviewState),
    Tab("contact", "Contact info", contacts_tab, CustomerContactsState),
    Tab("addresses", "Addresses", addresses_tab, CustomerAddressesState),
    Tab("notes", "Notes", notes_tab, CustomerNotesState),
    Tab("activities", "Activities", activities_tab, CustomerActivitiesState),
    Tab("tickets", "Tickets", tickets_tab, CustomerTicketsState),
    Tab("other", "Other info", other_info_tab, CustomerOtherInfoState),
    Tab("custom", "Custom fields", custom_fields_tab, CustomerCustomFieldsState),
    Tab("notifications", "Notifications", notifications_tab, CustomerNotificationsState),
)
BY_KEY = {tab.key: tab for tab in TABS}
FIRST = TABS[0]
