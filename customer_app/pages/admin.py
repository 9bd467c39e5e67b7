"""Admin pages: staff, audit log, outbox, import and its history, settings; each shows data only to admins."""

import reflex as rx

from customer_app.admin.state.audit_log import AuditLogState
from customer_app.admin.state.custom_fields import CustomFieldsAdminState
from customer_app.admin.state.outbox import OutboxState
from customer_app.admin.state.staff import StaffAdminState
from customer_app.admin.views.audit_log import audit_log
from customer_app.admin.views.outbox import outbox
from customer_app.admin.views.settings import customer_settings
from customer_app.admin.views.staff import staff_admin
from customer_app.pages.shell import layout
from customer_app.transfer.state.import_history import ImportHistoryState
from customer_app.transfer.state.importer import ImportState
from customer_app.transfer.views.import_history import import_history
from customer_app.transfer.views.importer import importer
from customer_app.ui.access_gate import access_gate


def staff_page() -> rx.Component:
    """Invite colleagues, change roles, deactivate and reactivate accounts."""
    return layout("Staff", access_gate(StaffAdminState.access, staff_admin()))


def audit_page() -> rx.Component:
    """Who did what, when, filtered and paged."""
    return layout("Audit log", access_gate(AuditLogState.access, audit_log()))


def outbox_page() -> rx.Component:
    """E-mails the workspace sent or kept for an admin to pass on."""
    return layout("Outbox", access_gate(OutboxState.access, outbox()))


def import_page() -> rx.Component:
    """Upload a spreadsheet, map its columns, preview, import, undo."""
    return layout("Import customers", access_gate(ImportState.access, importer()))


def imports_page() -> rx.Component:
    """Every import with its outcome, and undo."""
    return layout("Import history", access_gate(ImportHistoryState.access, import_history()))


def settings_page() -> rx.Component:
    """Custom fields and customer groups."""
    return layout("Customer settings", access_gate(CustomFieldsAdminState.access, customer_settings()))
