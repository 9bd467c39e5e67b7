"""The customer page's tabs in the order shown: each one's address key, label and the state that reads it
(views/tabs.py pairs each key with its view).

The page reads only the tab being shown: its header and that tab when it opens or someone changes the customer,
and a tab when it is switched to. A tab's state reads through `_load_for(customer, actor, session)`.
"""

from dataclasses import dataclass
from typing import Protocol

import reflex as rx
from sqlmodel import Session

from customer_app.commerce.state.invoices import CustomerInvoicesState
from customer_app.commerce.state.payments import CustomerPaymentsState
from customer_app.commerce.state.sales import CustomerSalesState
from customer_app.commerce.state.sales_tax import CustomerSalesTaxState
from customer_app.commerce.state.shipping import CustomerShippingState
from customer_app.core.permissions import Actor
from customer_app.customer_page.state.overview import CustomerOverviewState
from customer_app.customers.models import Customer
from customer_app.customers.state.custom_fields import CustomerCustomFieldsState
from customer_app.customers.state.other_info import CustomerOtherInfoState
from customer_app.portal.state.customer_portal import CustomerPortalState
from customer_app.records.state.activities import CustomerActivitiesState
from customer_app.records.state.addresses import CustomerAddressesState
from customer_app.records.state.contacts import CustomerContactsState
from customer_app.records.state.notes import CustomerNotesState
from customer_app.records.state.notifications import CustomerNotificationsState
from customer_app.records.state.tickets import CustomerTicketsState


class TabLoader(Protocol):
    """A tab's state: it reads what its view shows of one customer."""

    def _load_for(self, customer: Customer, actor: Actor, session: Session) -> None: ...


@dataclass(frozen=True)
class Tab:
    """One tab of the customer page."""

    key: str  # in the address: ?tab=<key>
    label: str
    state: type[rx.State]  # a TabLoader: the page calls its `_load_for` while the tab is shown


TABS = (
    Tab("overview", "Overview", CustomerOverviewState),
    Tab("contact", "Contact info", CustomerContactsState),
    Tab("addresses", "Addresses", CustomerAddressesState),
    Tab("notes", "Notes", CustomerNotesState),
    Tab("activities", "Activities", CustomerActivitiesState),
    Tab("tickets", "Tickets", CustomerTicketsState),
    Tab("sales", "Sales", CustomerSalesState),
    Tab("invoices", "Invoices", CustomerInvoicesState),
    Tab("payments", "Payments", CustomerPaymentsState),
    Tab("other", "Other info", CustomerOtherInfoState),
    Tab("custom", "Custom fields", CustomerCustomFieldsState),
    Tab("notifications", "Notifications", CustomerNotificationsState),
    Tab("portal", "Portal", CustomerPortalState),
    Tab("sales_tax", "Sales Tax", CustomerSalesTaxState),
    Tab("shipping", "Shipping", CustomerShippingState),
)
BY_KEY = {tab.key: tab for tab in TABS}
FIRST = TABS[0]
