"""Commercial documents and what they are made of: tax classes, rates and rules, numbering, documents and lines, and
what each customer brings to them (currency, tax class, payment terms, income account, shipping)."""

from datetime import date, datetime
from decimal import Decimal
from typing import ClassVar

from sqlalchemy import BigInteger, Column, ForeignKey, Index, Integer, Text, UniqueConstraint, text
from sqlmodel import Field, SQLModel

from customer_app.core.columns import decimal_column, utc_column, utcnow
from customer_app.customers.ownership import owns

KINDS: dict[str, str] = {
    "estimate": "Estimate",
    "sales_order": "Sales order",
    "sales_receipt": "Sales receipt",
    "invoice": "Invoice",
    "credit_note": "Credit note",
}
STATUSES: dict[str, str] = {
    "draft": "Draft",
    "issued": "Issued",
    "sent": "Sent",
    "accepted": "Accepted",  # an estimate the customer accepted in the portal
    "declined": "Declined",
    "cancelled": "Cancelled",
}
TAX_CLASS_KINDS = ("customer", "item")


def _optional_decimal() -> Column:
    return Column(decimal_column().type, nullable=True)


class TaxClass(SQLModel, table=True):
    """A class tax rules are written for: of customers (Standard, Exempt, Reverse charge EU B2B, Export) or of items
    (Standard, Reduced, Zero)."""

    __tablename__: ClassVar[str] = "tax_class"
    __table_args__ = (UniqueConstraint("kind", "code", name="uq_tax_class_kind_code"),)

    id: int = Field(default=None, primary_key=True)
    kind: str = Field(max_length=16)
    code: str = Field(max_length=32)
    name: str = Field(max_length=80)


class TaxRate(SQLModel, table=True):
    """A percentage, valid from a day (and until one, once replaced)."""

    __tablename__: ClassVar[str] = "tax_rate"

    id: int = Field(default=None, primary_key=True)
    name: str = Field(max_length=80)
    percent: Decimal = Field(sa_column=decimal_column())
    valid_from: date = Field(default=date(2000, 1, 1))
    valid_until: date | None = Field(default=None)


class TaxRule(SQLModel, table=True):
    """Customer class × item class × destination country → rate (an empty country: any country)."""

    __tablename__: ClassVar[str] = "tax_rule"
    __table_args__ = (
        UniqueConstraint("customer_class_id", "item_class_id", "country", name="uq_tax_rule_classes_country"),
    )

    id: int = Field(default=None, primary_key=True)
    customer_class_id: int = Field(foreign_key="tax_class.id")
    item_class_id: int = Field(foreign_key="tax_class.id")
    country: str = Field(default="", max_length=2)
    rate_id: int = Field(foreign_key="tax_rate.id")


class CustomerSales(SQLModel, table=True):
    """What a customer brings to new documents: currency, tax class, payment terms (absent: the defaults)."""

    __tablename__: ClassVar[str] = "customer_sales"

    customer_id: int = Field(sa_column=Column(Integer, ForeignKey("customer.id", ondelete="CASCADE"), primary_key=True))
    currency: str = Field(default="EUR", max_length=3)
    tax_class_id: int | None = Field(default=None, foreign_key="tax_class.id")
    payment_terms_days: int = Field(default=14)
    exemption_reference: str = Field(default="", max_length=120)
    income_account_id: int | None = Field(default=None, foreign_key="income_account.id")


class IncomeAccount(SQLModel, table=True):
    """An account of the chart that sales are booked to (4000 Sales of goods); once used it is retired, never
    deleted."""

    __tablename__: ClassVar[str] = "income_account"
    __table_args__ = (UniqueConstraint("code", name="uq_income_account_code"),)

    id: int = Field(default=None, primary_key=True)
    code: str = Field(max_length=20)
    name: str = Field(max_length=80)
    retired: bool = Field(default=False)


class ShippingMethod(SQLModel, table=True):
    """A way goods reach customers (Standard post, Courier); documents keep its name, so renaming one later never
    changes them."""

    __tablename__: ClassVar[str] = "shipping_method"
    __table_args__ = (UniqueConstraint("name", name="uq_shipping_method_name"),)

    id: int = Field(default=None, primary_key=True)
    name: str = Field(max_length=80)
    retired: bool = Field(default=False)


class CustomerShipping(SQLModel, table=True):
    """Where and how a customer's goods go: an address of theirs (absent: the default shipping address, else the
    billing one), a method and instructions for the carrier."""

    __tablename__: ClassVar[str] = "customer_shipping"

    customer_id: int = Field(sa_column=Column(Integer, ForeignKey("customer.id", ondelete="CASCADE"), primary_key=True))
    # SET NULL: removing the address on the Addresses tab falls back to the default one, never blocks the removal.
    address_id: int | None = Field(
        default=None, sa_column=Column(Integer, ForeignKey("customer_address.id", ondelete="SET NULL"), nullable=True)
    )
    shipping_method_id: int | None = Field(default=None, foreign_key="shipping_method.id")
    instructions: str = Field(default="", max_length=500)


class NumberSequence(SQLModel, table=True):
    """The next number of one kind of document; taken in the issuing transaction, so numbers have no gaps."""

    __tablename__: ClassVar[str] = "number_sequence"

    kind: str = Field(max_length=16, primary_key=True)
    prefix: str = Field(default="", max_length=20)
    padding: int = Field(default=5)
    next_value: int = Field(default=1)


_MADE_FROM = text("source_id IS NOT NULL")


class Document(SQLModel, table=True):
    """An estimate, sales order, sales receipt, invoice or credit note of one customer."""

    __tablename__: ClassVar[str] = "sales_document"
    __table_args__ = (
        UniqueConstraint("kind", "number", name="uq_sales_document_kind_number"),
        Index("ix_sales_document_customer", "customer_id", "created_at", "id"),
        # Credit notes of an invoice, documents made from another; partial, as most documents are made from none.
        Index("ix_sales_document_source", "source_id", sqlite_where=_MADE_FROM, postgresql_where=_MADE_FROM),
    )

    id: int = Field(default=None, primary_key=True)
    # RESTRICT: a customer with documents is never deleted for good (purging refuses it first, with a message).
    customer_id: int = Field(sa_column=Column(Integer, ForeignKey("customer.id", ondelete="RESTRICT"), nullable=False))
    kind: str = Field(max_length=16)
    status: str = Field(default="draft", max_length=16)
    number: str | None = Field(default=None, max_length=40)  # given at issue
    currency: str = Field(max_length=3)
    language: str = Field(default="en", max_length=8)
    issue_date: date | None = Field(default=None)
    due_date: date | None = Field(default=None)
    customer_name: str = Field(default="", max_length=300)  # as at issue; a draft prints the name the customer has now
    billing_address: str = Field(default="", sa_column=Column(Text, nullable=False))  # snapshots, editable on drafts
    shipping_address: str = Field(default="", sa_column=Column(Text, nullable=False))
    destination_country: str = Field(default="", max_length=2)
    customer_tax_class_id: int | None = Field(default=None, foreign_key="tax_class.id")
    income_account_id: int | None = Field(default=None, foreign_key="income_account.id")
    shipping_method: str = Field(default="", max_length=80)  # the method's name when taken, editable on drafts
    prices_include_tax: bool = Field(default=False)
    round_per_line: bool = Field(default=False)
    net_minor: int = Field(default=0)
    tax_minor: int = Field(default=0)
    gross_minor: int = Field(default=0)
    source_id: int | None = Field(default=None, foreign_key="sales_document.id")  # converted from, or credited
    created_by_name: str = Field(default="", max_length=200)
    created_at: datetime = Field(default_factory=utcnow, sa_column=utc_column())
    updated_at: datetime = Field(default_factory=utcnow, sa_column=utc_column())
    issued_at: datetime | None = Field(default=None, sa_column=utc_column(True))
    # Frozen at issue: units of the document's currency one unit of the base currency bought, and the rate's day.
    base_currency: str = Field(default="", max_length=3)
    exchange_rate: Decimal | None = Field(default=None, sa_column=_optional_decimal())
    exchange_rate_day: date | None = Field(default=None)


class DocumentLine(SQLModel, table=True):
    """One line of a document; its tax rate is kept with it from issue on, so a later rate never changes it."""

    __tablename__: ClassVar[str] = "sales_document_line"
    __table_args__ = (Index("ix_sales_document_line_document", "document_id", "position"),)

    id: int = Field(default=None, primary_key=True)
    document_id: int = Field(
        sa_column=Column(Integer, ForeignKey("sales_document.id", ondelete="CASCADE"), nullable=False)
    )
    position: int = Field(default=0)
    description: str = Field(max_length=500)
    quantity: Decimal = Field(sa_column=decimal_column("1"))
    unit_price: Decimal = Field(sa_column=decimal_column())
    discount_percent: Decimal = Field(sa_column=decimal_column())
    item_tax_class_id: int | None = Field(default=None, foreign_key="tax_class.id")
    tax_rate: Decimal | None = Field(default=None, sa_column=_optional_decimal())
    net_minor: int = Field(default=0)
    tax_minor: int = Field(default=0)
    gross_minor: int = Field(default=0)


PAYMENT_METHODS: dict[str, str] = {
    "bank_transfer": "Bank transfer",
    "card": "Card",
    "cash": "Cash",
    "cheque": "Cheque",
    "other": "Other",
}
# A refund is money going back to the customer: its own kind, with a positive amount like a payment, so a sum of one
# kind never mixes signs and the list says plainly which is which.
PAYMENT_KINDS: dict[str, str] = {"payment": "Payment", "refund": "Refund"}


def _minor_column() -> Column:
    # BIGINT: 18 digits of minor units (core/money.MAX_DIGITS) do not fit PostgreSQL's 32-bit INTEGER.
    return Column(BigInteger, nullable=False)


class Payment(SQLModel, table=True):
    """Money received from (or, a refund, returned to) a customer, in one currency."""

    __tablename__: ClassVar[str] = "payment"
    __table_args__ = (Index("ix_payment_customer", "customer_id", "paid_on", "id"),)

    id: int = Field(default=None, primary_key=True)
    # RESTRICT as documents: a customer with payments is never deleted for good.
    customer_id: int = Field(sa_column=Column(Integer, ForeignKey("customer.id", ondelete="RESTRICT"), nullable=False))
    kind: str = Field(default="payment", max_length=8)
    paid_on: date
    method: str = Field(max_length=16)
    amount_minor: int = Field(sa_column=_minor_column())  # always > 0; `kind` says which way the money went
    currency: str = Field(max_length=3)
    reference: str = Field(default="", max_length=120)
    created_by_name: str = Field(default="", max_length=200)
    created_at: datetime = Field(default_factory=utcnow, sa_column=utc_column())
    # Only for a payment in another currency than its invoices': units of the payment's currency per unit of theirs.
    exchange_rate: Decimal | None = Field(default=None, sa_column=_optional_decimal())


class PaymentAllocation(SQLModel, table=True):
    """The part of a payment (or refund) that settles (or is returned on) one invoice."""

    __tablename__: ClassVar[str] = "payment_allocation"
    __table_args__ = (
        UniqueConstraint("payment_id", "document_id", name="uq_payment_allocation_payment_document"),
        Index("ix_payment_allocation_document", "document_id"),
    )

    id: int = Field(default=None, primary_key=True)
    payment_id: int = Field(sa_column=Column(Integer, ForeignKey("payment.id", ondelete="CASCADE"), nullable=False))
    # RESTRICT: only issued invoices are allocated to, and those are never deleted.
    document_id: int = Field(
        sa_column=Column(Integer, ForeignKey("sales_document.id", ondelete="RESTRICT"), nullable=False)
    )
    amount_minor: int = Field(sa_column=_minor_column())  # > 0, in the invoice's currency
    # What the part took of a payment in another currency, in that currency (None: the same as amount_minor).
    payment_amount_minor: int | None = Field(default=None, sa_column=Column(BigInteger, nullable=True))


RATE_SOURCES: dict[str, str] = {"ecb": "ECB", "upload": "Uploaded ECB file", "typed": "Typed"}


class ExchangeRate(SQLModel, table=True):
    """How many units of a currency one euro bought on a day (the ECB's reference rate, or one an admin typed)."""

    __tablename__: ClassVar[str] = "exchange_rate"
    __table_args__ = (UniqueConstraint("currency", "day", name="uq_exchange_rate_currency_day"),)

    id: int = Field(default=None, primary_key=True)
    currency: str = Field(max_length=3)
    day: date
    rate: Decimal = Field(sa_column=decimal_column())
    source: str = Field(default="ecb", max_length=8)
    typed_by_name: str = Field(default="", max_length=200)


class CommerceSettings(SQLModel, table=True):
    """The company's settings for commerce (one row; absent: the defaults)."""

    __tablename__: ClassVar[str] = "commerce_settings"

    id: int = Field(default=None, primary_key=True)
    base_currency: str = Field(default="EUR", max_length=3)
    round_per_line: bool = Field(default=False)  # new documents round tax per line, not once per rate
    prices_include_tax: bool = Field(default=False)  # new documents' prices are typed with tax included
    lock_currency: bool = Field(default=False)  # a customer's currency stays once documents were issued for them


class CustomerBalance(SQLModel, table=True):
    """What a customer has left to pay in one currency: the sum of its issued invoices' balances, kept up to date in
    the transaction of every change (commerce/open_balances.py); a row only while something is owed."""

    __tablename__: ClassVar[str] = "customer_balance"

    # The primary key (customer_id, currency) is the index the list's "With open balance" filter and column read.
    customer_id: int = Field(sa_column=Column(Integer, ForeignKey("customer.id", ondelete="CASCADE"), primary_key=True))
    currency: str = Field(max_length=3, primary_key=True)
    open_minor: int = Field(sa_column=_minor_column())  # > 0


# Money on a customer is kept with it: copies start without it, a merge keeps the survivor's, and a customer with
# documents is not deleted for good (what the law says to keep), while the personal data export includes them.
owns(CustomerSales, on_merge="drop")
owns(CustomerShipping, on_merge="drop")  # it names one of the customer's own addresses: not copied, nor moved
owns(Document, on_erase="keep", label="documents")
owns(Payment, on_erase="keep", label="payments")
# Derived from the documents and payments (whatever moves those calls open_balances.refresh): not copied with a
# customer, not personal data.
owns(CustomerBalance, on_merge="drop", personal_data=False)
