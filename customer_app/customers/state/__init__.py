"""customers state."""
