"""Route constants."""

HOME = "/"
CUSTOMERS = "/customers"
