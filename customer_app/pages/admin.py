"""Admin pages: staff accounts, the audit log and the mail outbox; each shows data only to admins."""

import reflex as rx

from customer_app.components.access_gate import access_gate
from customer_app.components.layout import layout
from customer_app.state.audit_log import AuditLogState
from customer_app.state.outbox import OutboxState
from customer_app.state.staff_admin import StaffAdminState
from customer_app.views.audit_log import audit_log
from customer_app.views.outbox import outbox
from customer_app.views.staff_admin import staff_admin


def staff_page() -> rx.Component:
    """Invite colleagues, change roles, deactivate and reactivate accounts."""
    return layout("Staff", access_gate(StaffAdminState.access, staff_admin()))


def audit_page() -> rx.Component:
    """Who did what, when, filtered and paged."""
    return layout("Audit log", access_gate(AuditLogState.access, audit_log()))


def outbox_page() -> rx.Component:
    """E-mails the workspace sent or kept for an admin to pass on."""
    return layout("Outbox", access_gate(OutboxState.access, outbox()))
