"""Route constants."""

HOME = "/"
CUSTOMERS = "/customers"
LOGIN = "/login"
SETUP = "/setup"
FORGOT = "/forgot"
RESET = "/reset/[token]"
INVITE = "/invite/[token]"
STAFF = "/admin/staff"
AUDIT = "/admin/audit"
OUTBOX = "/admin/outbox"
IMPORT = "/customers/import"
IMPORTS = "/admin/imports"
SETTINGS = "/admin/settings"
CUSTOMER = "/customers/[customer_ref]"


def customer(customer_id: object) -> str:
    """The address of one customer's page."""
    return f"/customers/{customer_id}"
