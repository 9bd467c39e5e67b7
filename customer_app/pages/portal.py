"""The customer portal's pages: the frame around the dashboard and the sections."""

import reflex as rx

from customer_app.portal.views.documents import documents_view
from customer_app.portal.views.layout import portal_frame
from customer_app.portal.views.profile import profile_view
from customer_app.portal.views.tickets import dashboard_view, tickets_view


def portal_dashboard_page() -> rx.Component:
    """The dashboard: who you work for and your open tickets."""
    return portal_frame(dashboard_view())


def portal_tickets_page() -> rx.Component:
    """The tickets page: open a ticket, follow and answer your tickets."""
    return portal_frame(tickets_view())


def portal_profile_page() -> rx.Component:
    """The profile page: the customer's own contact details."""
    return portal_frame(profile_view())


def portal_documents_page() -> rx.Component:
    """A document section: invoices, estimates, sales orders or receipts."""
    return portal_frame(documents_view())
