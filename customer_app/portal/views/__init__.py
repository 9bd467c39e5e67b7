"""Components of the portal pages."""
