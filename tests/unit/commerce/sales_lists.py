"""Clean-up for tests that add income accounts or shipping methods: the seeded ones stay as the migration made them."""

from sqlalchemy import text
from sqlmodel import Session

SEEDED_ACCOUNTS = {1: ("4000", "Sales of goods"), 2: ("4400", "Services"), 3: ("4900", "Other income")}
SEEDED_METHODS = {1: "Standard post", 2: "Courier", 3: "Pickup by customer"}


def restore_seeds(session: Session) -> None:
    """Drop what a test pointed at or added, and put the seeded rows back as they were."""
    session.rollback()
    session.execute(text("UPDATE customer_sales SET income_account_id = NULL"))
    session.execute(text("UPDATE sales_document SET income_account_id = NULL"))
    session.execute(text("DELETE FROM customer_shipping"))
    session.execute(text("DELETE FROM income_account WHERE id > 3"))
    session.execute(text("DELETE FROM shipping_method WHERE id > 3"))
    for key, (code, name) in SEEDED_ACCOUNTS.items():
        values = {"i": key, "c": code, "n": name}
        session.execute(text("UPDATE income_account SET code = :c, name = :n, retired = false WHERE id = :i"), values)
    for key, name in SEEDED_METHODS.items():
        session.execute(
            text("UPDATE shipping_method SET name = :n, retired = false WHERE id = :i"), {"i": key, "n": name}
        )
    session.commit()
