"""Database tables and their input schemas; no UI code here."""

from customer_app.models.customer import Customer, CustomerInput, CustomerKind

__all__ = ["Customer", "CustomerInput", "CustomerKind"]
