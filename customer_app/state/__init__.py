"""Reflex state classes: UI state only; they call services."""
