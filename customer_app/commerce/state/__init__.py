"""Reflex state of the commerce tabs."""
