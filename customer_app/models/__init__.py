"""Database tables and their input schemas; no UI code here."""

from customer_app.models.customer import Customer, CustomerInput, CustomerKind
from customer_app.models.staff import (
    AuditEvent,
    OneTimeToken,
    OutboxMessage,
    Role,
    SignInAttempt,
    StaffSession,
    StaffUser,
)

__all__ = [
    "AuditEvent",
    "Customer",
    "CustomerInput",
    "CustomerKind",
    "OneTimeToken",
    "OutboxMessage",
    "Role",
    "SignInAttempt",
    "StaffSession",
    "StaffUser",
]
