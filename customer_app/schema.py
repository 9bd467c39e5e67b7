"""Every table of every package in one place, so alembic and the drift check see them all; no UI code here."""

from sqlmodel import SQLModel

from customer_app.access.models import DownloadLink, SignInAttempt, StaffSession, StaffUser
from customer_app.commerce.models import (
    CommerceSettings,
    CustomerBalance,
    CustomerSales,
    CustomerShipping,
    Document,
    DocumentLine,
    ExchangeRate,
    IncomeAccount,
    NumberSequence,
    ShippingMethod,
    TaxClass,
    TaxRate,
    TaxRule,
)
from customer_app.core.models import AuditEvent, BackgroundJob, OneTimeToken, OutboxMessage
from customer_app.core.permissions import Role
from customer_app.customers.models import (
    Customer,
    CustomerGroup,
    CustomerGroupMember,
    CustomerInput,
    CustomerKind,
    CustomerProfile,
    CustomerTabCount,
    CustomerTag,
    CustomField,
    CustomFieldValue,
    TrashBatch,
)
from customer_app.portal.models import (
    PortalAccount,
    PortalEmailChange,
    PortalGrant,
    PortalSections,
    PortalSession,
    PortalSettings,
    PortalTemplate,
)
from customer_app.records.models import (
    Activity,
    ContactPerson,
    CustomerAddress,
    CustomerContact,
    CustomerNote,
    CustomerNotification,
    Ticket,
    TicketReply,
    TicketStatusChange,
)
from customer_app.transfer.models import ExportConfig, ImportChange, ImportJob, ImportMapping

__all__ = [
    "Activity",
    "AuditEvent",
    "BackgroundJob",
    "CommerceSettings",
    "ContactPerson",
    "CustomField",
    "CustomFieldValue",
    "Customer",
    "CustomerAddress",
    "CustomerBalance",
    "CustomerContact",
    "CustomerGroup",
    "CustomerGroupMember",
    "CustomerInput",
    "CustomerKind",
    "CustomerNote",
    "CustomerNotification",
    "CustomerProfile",
    "CustomerSales",
    "CustomerShipping",
    "CustomerTabCount",
    "CustomerTag",
    "Document",
    "DocumentLine",
    "DownloadLink",
    "ExchangeRate",
    "ExportConfig",
    "ImportChange",
    "ImportJob",
    "ImportMapping",
    "IncomeAccount",
    "NumberSequence",
    "OneTimeToken",
    "OutboxMessage",
    "PortalAccount",
    "PortalEmailChange",
    "PortalGrant",
    "PortalSections",
    "PortalSession",
    "PortalSettings",
    "PortalTemplate",
    "Role",
    "ShippingMethod",
    "SignInAttempt",
    "StaffSession",
    "StaffUser",
    "TaxClass",
    "TaxRate",
    "TaxRule",
    "Ticket",
    "TicketReply",
    "TicketStatusChange",
    "TrashBatch",
]


def _ids_are_never_reused() -> None:
    """SQLite hands out the highest id again once that row is deleted unless its table says AUTOINCREMENT."""
    for table in SQLModel.metadata.tables.values():
        if [column.name for column in table.primary_key] == ["id"]:
            table.dialect_kwargs["sqlite_autoincrement"] = True


_ids_are_never_reused()
