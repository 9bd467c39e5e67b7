"""admin state."""
