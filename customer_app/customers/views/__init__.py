"""customers views."""
