"""Reflex state of the portal pages."""
