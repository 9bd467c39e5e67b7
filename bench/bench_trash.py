"""Restore all of a 100,000-customer removal, against moving the same customers to Trash ("Remove all").

Trashing is one UPDATE per tab, restoring one UPDATE for the whole removal that also checks that no active customer
took each e-mail meanwhile; both write one audit event per customer. Target: restoring takes <= 2x trashing.
Listing the Trash view's removals (one holding the 100,000, behind 1,000 small ones restored since) must stay in
milliseconds.
"""

import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sqlmodel import Session, col, select  # noqa: E402

from customer_app.core.db import make_engine  # noqa: E402
from customer_app.core.migrations import migrate  # noqa: E402
from customer_app.core.permissions import (  # noqa: E402
    Actor,
    Role,
)
from customer_app.customers import customers, trash_batches  # noqa: E402
from customer_app.customers.demo_data import insert_demo  # noqa: E402
from customer_app.customers.models import Customer  # noqa: E402
from customer_app.customers.queries import TABS  # noqa: E402

ROWS = 100_000
SMALL = 1_000
ACTOR = Actor(id=0, email="bench@example.com", name="Bench", role=Role.ADMIN)


T = TypeVar("T")


def timed(work: Callable[[], T]) -> tuple[float, T]:
    started = time.perf_counter()
    result = work()
    return time.perf_counter() - started, result


def remove_all(session: Session) -> int:
    """Remove all, on both tabs, as one removal."""
    batch = trash_batches.open_batch(actor=ACTOR, session=session)
    return sum(customers.trash_matching(tab, "", actor=ACTOR, session=session, batch=batch) for tab in TABS[:2])


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        engine = make_engine(f"sqlite:///{Path(folder) / 'trash.db'}")
        migrate(engine)
        with engine.begin() as connection:
            insert_demo(connection, ROWS, chunk=10_000)
        with Session(engine) as session:
            small = session.exec(select(Customer.id).order_by(col(Customer.id)).limit(2 * SMALL)).all()
            for start in range(0, len(small), 2):  # 1,000 small removals, restored again: history only
                customers.trash_customers(small[start : start + 2], actor=ACTOR, session=session)
            customers.restore_customers(small, actor=ACTOR, session=session)
            session.commit()
            trash, moved = timed(lambda: remove_all(session))
            session.commit()
            listing, removals = timed(lambda: trash_batches.recent_removals(actor=ACTOR, session=session))
            batch = removals[0].id
            restore, result = timed(lambda: trash_batches.restore_batch(batch, actor=ACTOR, session=session))
            session.commit()
        engine.dispose()
    assert moved == ROWS, moved
    assert result.restored == ROWS, result
    print(f"Trash {ROWS:,} customers (baseline): {trash:.2f} s")
    print(f"Restore all of them:                 {restore:.2f} s  ratio {restore / trash:.2f}x (target <= 2x)")
    print(f"List recent removals:                {listing * 1000:.1f} ms  ({listing / trash:.4f}x the baseline)")


if __name__ == "__main__":
    main()
