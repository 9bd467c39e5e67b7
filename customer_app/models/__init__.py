"""Database tables and their input schemas; no UI code here."""

from customer_app.access.models import SignInAttempt, StaffSession, StaffUser
from customer_app.core.models import AuditEvent, OneTimeToken, OutboxMessage
from customer_app.core.permissions import Role
from customer_app.models.custom_field import CustomField, CustomFieldValue
from customer_app.models.customer import Customer, CustomerInput, CustomerKind
from customer_app.models.customer_records import (
    Activity,
    ContactPerson,
    CustomerAddress,
    CustomerContact,
    CustomerGroup,
    CustomerGroupMember,
    CustomerNote,
    CustomerNotification,
    CustomerProfile,
    CustomerTag,
    Ticket,
    TicketStatusChange,
)
from customer_app.models.transfer import DownloadLink, ExportConfig, ImportChange, ImportJob, ImportMapping

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
