"""customer_page."""
