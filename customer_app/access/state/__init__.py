"""access state."""
