"""transfer views."""
