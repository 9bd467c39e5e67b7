"""What each tab of the customer page shows, by the tab's key (state/tabs.py says which state reads it)."""

from collections.abc import Callable

import reflex as rx

from customer_app.commerce.views.invoices import invoices_tab
from customer_app.commerce.views.payments import payments_tab
from customer_app.commerce.views.sales import sales_tab
from customer_app.commerce.views.sales_tax import sales_tax_tab
from customer_app.commerce.views.shipping import shipping_tab
from customer_app.customer_page.views.overview import overview_tab
from customer_app.customers.views.custom_fields import custom_fields_tab
from customer_app.customers.views.other_info import other_info_tab
from customer_app.portal.views.customer_portal import portal_tab
from customer_app.records.views.activities import activities_tab
from customer_app.records.views.addresses import addresses_tab
from customer_app.records.views.contacts import contacts_tab
from customer_app.records.views.notes import notes_tab
from customer_app.records.views.notifications import notifications_tab
from customer_app.records.views.tickets import tickets_tab

VIEWS: dict[str, Callable[[], rx.Component]] = {
    "overview": overview_tab,
    "contact": contacts_tab,
    "addresses": addresses_tab,
    "notes": notes_tab,
    "activities": activities_tab,
    "tickets": tickets_tab,
    "sales": sales_tab,
    "invoices": invoices_tab,
    "payments": payments_tab,
    "other": other_info_tab,
    "custom": custom_fields_tab,
    "notifications": notifications_tab,
    "portal": portal_tab,
    "sales_tax": sales_tax_tab,
    "shipping": shipping_tab,
}
