"""Customer workspace: the customers module of a CRM."""
