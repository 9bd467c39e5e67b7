"""Generic, state-free UI pieces."""
