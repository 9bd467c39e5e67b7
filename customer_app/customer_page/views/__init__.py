"""customer_page views."""
