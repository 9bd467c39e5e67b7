"""records state."""
