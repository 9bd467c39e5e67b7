"""Create the first admin from the shell: `make admin EMAIL=ada@example.com NAME="Ada Lovelace"`.

Asks for the password twice (or reads ADMIN_PASSWORD, for automation). Like /setup, it works only while no
staff account exists: there are no default passwords anywhere.
"""

import getpass
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from customer_app.access import staff_accounts
from customer_app.core.db import session_scope
from customer_app.errors import CustomerAppError, ValidationError


def read_password() -> str:
    """The new admin's password, typed twice unless given in the environment."""
    if password := os.environ.get("ADMIN_PASSWORD"):
        return password
    first = getpass.getpass("Password for the new admin: ")
    if getpass.getpass("Repeat the password: ") != first:
        raise SystemExit("The two passwords differ; nothing was created.")
    return first


def main(email: str, name: str) -> None:
    """Create the admin or explain why not."""
    try:
        with session_scope() as session:
            user = staff_accounts.create_first_admin(email, name, read_password(), session=session, address="shell")
    except ValidationError as exc:
        raise SystemExit("\n".join(f"{field}: {message}" for field, message in exc.errors.items())) from exc
    except CustomerAppError as exc:
        raise SystemExit(str(exc)) from exc
    print(f"Admin {user.email} created. Sign in at /login.")


if __name__ == "__main__":
    email, name = [*sys.argv[1:], "", ""][:2]
    if not email:
        raise SystemExit('Usage: make admin EMAIL=ada@example.com NAME="Ada Lovelace"')
    main(email, name or email.split("@")[0])
