"""Constants shared by the test accounts (the fixtures making them live in conftest.py)."""

PASSWORD = "violet tractor harbour 1987"  # every test account's password (strong enough for the rules)
ADDRESS = "203.0.113.7"  # where test actors' requests come from
