"""Feature sections, each bound to one state."""
