"""transfer state."""
