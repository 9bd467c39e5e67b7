"""`make messages`: update each language's `.po` files from the messages marked in the code; list what to translate."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from customer_app.core.i18n import DOMAINS
from customer_app.core.i18n_catalogs import problems, update_catalogs


def main() -> None:
    """Update each domain's catalogs and print the messages still to translate (the unit tests fail on them)."""
    for domain in DOMAINS:
        written = update_catalogs(domain)
        print("\n".join(f"updated {path}" for path in written) or f"{domain}: up to date")
    todo = [problem for domain in DOMAINS for problem in problems(domain)]
    print("\n".join(["To translate:", *todo]) if todo else "Every message is translated.")


if __name__ == "__main__":
    main()
