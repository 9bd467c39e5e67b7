"""customer_page state."""
