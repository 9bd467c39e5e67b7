"""Every table of every package in one place, so alembic and the drift check see them all; no UI code here."""

from customer_app.access.models import SignInAttempt, StaffSession, StaffUser
from customer_app.core.models import AuditEvent, OneTimeToken, OutboxMessage
from customer_app.core.permissions import Role
from customer_app.customers.models import (
    Customer,
    CustomerGroup,
    CustomerGroupMember,
    CustomerInput,
    CustomerKind,
    CustomerProfile,
    CustomerTag,
    CustomField,
    CustomFieldValue,
)
from customer_app.records.models import (
    Activity,
    ContactPerson,
    CustomerAddress,
    CustomerContact,
    CustomerNote,
    CustomerNotification,
    Ticket,
    TicketStatusChange,
)
from customer_app.transfer.models import DownloadLink, ExportConfig, ImportChange, ImportJob, ImportMapping

__all__ = [
    "Activity",
    "ContactPerson",
    "CustomField",
    "CustomFieldValue",
    "CustomerAddress",
    "CustomerContact",
    "CustomerGroup",
    "CustomerGroupMember",
    "AuditEvent",
    "Customer",
    "CustomerInput",
    "CustomerKind",
    "CustomerNote",
    "CustomerNotification",
    "CustomerProfile",
    "CustomerTag",
    "DownloadLink",
    "ExportConfig",
    "ImportChange",
    "ImportJob",
    "ImportMapping",
    "OneTimeToken",
    "OutboxMessage",
    "Role",
    "SignInAttempt",
    "StaffSession",
    "StaffUser",
    "Ticket",
    "TicketStatusChange",
]
