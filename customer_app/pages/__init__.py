"""Page compositions."""
