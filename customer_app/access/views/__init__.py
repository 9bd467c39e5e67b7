"""access views."""
