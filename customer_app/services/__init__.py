"""Business rules and database access; no UI code here."""
