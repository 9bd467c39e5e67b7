"""Constants shared by the test accounts (the fixtures making them live in conftest.py)."""

from customer_app.core.permissions import Actor, Role

PASSWORD = "violet tractor harbour 1987"  # every test account's password (strong enough for the rules)
ADDRESS = "203.0.113.7"  # where test actors' requests come from
READER = Actor(id=1, email="rita@example.com", name="Rita Reader", role=Role.READ_ONLY)  # reads need no account row
