"""The Reflex app and its table of pages."""

import sys

import reflex as rx

from customer_app import event_check, failures, housekeeping, job_worker, origins, request_log, routes
from customer_app.access.state.sign_in import SignInState
from customer_app.access.views.sign_in import forgot_page, invite_page, login_page, reset_page, setup_page
from customer_app.admin.state.audit_log import AuditLogState
from customer_app.admin.state.custom_fields import CustomFieldsAdminState
from customer_app.admin.state.exchange_rates import ExchangeRatesState
from customer_app.admin.state.groups import GroupsAdminState
from customer_app.admin.state.numbering_settings import NumberingSettingsState
from customer_app.admin.state.outbox import OutboxState
from customer_app.admin.state.portal_settings import PortalSettingsState
from customer_app.admin.state.sales_lists import SalesListsState
from customer_app.admin.state.sales_policy import SalesPolicyState
from customer_app.admin.state.staff import StaffAdminState
from customer_app.admin.state.tax_settings import TaxSettingsState
from customer_app.api import api
from customer_app.commerce import open_balances  # noqa: F401  (adds the Open balance column and filter to the list)
from customer_app.core import collector
from customer_app.customer_page.state.page import CustomerDetailState
from customer_app.customers.state.customer_list import CustomerListState
from customer_app.pages.admin import audit_page, import_page, imports_page, outbox_page, settings_page, staff_page
from customer_app.pages.customers import customer_page, customers_page
from customer_app.pages.portal import (
    portal_dashboard_page,
    portal_documents_page,
    portal_profile_page,
    portal_tickets_page,
)
from customer_app.portal import form_boxes  # noqa: F401  (adds the portal boxes to the customer pop-up)
from customer_app.portal.state.portal_documents import PortalDocumentsState
from customer_app.portal.state.portal_profile import PortalProfileState
from customer_app.portal.state.portal_sign_in import PortalSignInState
from customer_app.portal.state.portal_tickets import PortalTicketsState
from customer_app.portal.views.profile import confirm_email_page
from customer_app.portal.views.sign_in import (
    portal_forgot_page,
    portal_login_page,
    portal_register_page,
    portal_reset_page,
)
from customer_app.security_headers import add_security_headers
from customer_app.settings import settings
from customer_app.transfer.state.import_history import ImportHistoryState
from customer_app.transfer.state.importer import ImportState
from customer_app.upload_limit import guard_uploads

# A thread reading for a page (a search, a sign-in check) hands the interpreter back at every query and waits to take
# it again; behind an event loop busy sending a save to every open page, each wait lasted up to the default 5 ms.
# At 0.5 ms, searches at 200 open pages on one worker: p95 89-112 ms -> 69-74 ms (bench/bench_live.py --sizes 200).
sys.setswitchinterval(0.0005)

app = rx.App(
    stylesheets=["/styles.css"],
    api_transformer=[api, guard_uploads, add_security_headers, request_log.log_requests],
    backend_exception_handler=failures.tell_the_user,
)
app.register_lifespan_task(collector.settle_worker)
app.register_lifespan_task(housekeeping.run)
app.register_lifespan_task(job_worker.run)
origins.guard_websocket(app)
event_check.install(app)
app.add_middleware(request_log.EventContextMiddleware())
request_log.configure(settings.log_format)

SETTINGS_LOAD = [
    CustomFieldsAdminState.on_load,
    GroupsAdminState.on_load,
    TaxSettingsState.on_load,
    SalesPolicyState.on_load,
    NumberingSettingsState.on_load,
    SalesListsState.on_load,
    ExchangeRatesState.on_load,
    PortalSettingsState.on_load,
]
PORTAL_LOAD = [PortalTicketsState.on_load, PortalTicketsState.watch_changes]  # read, then follow staff's changes
PAGES = (
    (routes.HOME, "Customers", customers_page, CustomerListState.on_load),
    (routes.CUSTOMERS, "Customers", customers_page, CustomerListState.on_load),
    (routes.CUSTOMER, "Customer", customer_page, CustomerDetailState.on_load),
    (routes.LOGIN, "Sign in", login_page, SignInState.on_login_load),
    (routes.SETUP, "Set up", setup_page, SignInState.on_setup_load),
    (routes.FORGOT, "Forgot password", forgot_page, None),
    (routes.RESET, "Choose a new password", reset_page, SignInState.on_link_load),
    (routes.INVITE, "Welcome", invite_page, SignInState.on_link_load),
    (routes.STAFF, "Staff", staff_page, StaffAdminState.on_load),
    (routes.AUDIT, "Audit log", audit_page, AuditLogState.on_load),
    (routes.OUTBOX, "Outbox", outbox_page, OutboxState.on_load),
    (routes.IMPORT, "Import customers", import_page, ImportState.on_load),
    (routes.IMPORTS, "Import history", imports_page, ImportHistoryState.on_load),
    (routes.PORTAL, "Client portal", portal_dashboard_page, PORTAL_LOAD),
    (routes.PORTAL_TICKETS, "Tickets", portal_tickets_page, PORTAL_LOAD),
    (routes.PORTAL_PROFILE, "Profile", portal_profile_page, PortalProfileState.on_load),
    *[
        (route, title, portal_documents_page, PortalDocumentsState.on_load)
        for route, title in (
            (routes.PORTAL_INVOICES, "Invoices"),
            (routes.PORTAL_ESTIMATES, "Estimates"),
            (routes.PORTAL_ORDERS, "Sales orders"),
            (routes.PORTAL_DOCUMENTS, "Documents"),
            (routes.PORTAL_PAYMENTS, "Payments"),
        )
    ],
    (routes.PORTAL_CONFIRM_EMAIL, "Confirm e-mail", confirm_email_page, None),
    (routes.PORTAL_LOGIN, "Sign in", portal_login_page, PortalSignInState.on_login_load),
    (routes.PORTAL_FORGOT, "Forgot password", portal_forgot_page, None),
    (routes.PORTAL_REGISTER, "Welcome", portal_register_page, PortalSignInState.on_link_load),
    (routes.PORTAL_RESET, "Choose a new password", portal_reset_page, PortalSignInState.on_link_load),
    (routes.SETTINGS, "Customer settings", settings_page, SETTINGS_LOAD),
)
for route, title, component, on_load in PAGES:
    app.add_page(component, route=route, title=f"{title} · Customer workspace", on_load=on_load)
