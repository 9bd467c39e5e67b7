"""Restore all of a 100,000-customer removal, against moving the same customers to Trash ("Remove all").

Both are one UPDATE of the same rows plus one audit event per customer; restoring also checks that no active
customer took each e-mail meanwhile. Target: restoring takes <= 2x trashing. Listing the Trash view's removals
(one of them holding the 100,000, behind 1,000 small ones restored since) must stay in milliseconds.
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

ROWS = 100_000
SMALL = 1_000
ACTOR = Actor(id=0, email="bench@example.com", name="Bench", role=Role.ADMIN)


T = TypeVar("T")


def timed(work: Callable[[], T]) -> tuple[float, T]:
    started = time.perf_counter()
    result = work()
    return time.perf_counter() - started, result


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        engine = make_engine(f"sqlite:///{Path(folder) / 'trash.db'}")
        migrate(engine)
        with engine.begin() as connection:
            insert_demo(connection, ROWS + 2 * SMALL, chunk=10_000)
        with Session(engine) as session:
            ids = session.exec(select(Customer.id).order_by(col(Customer.id))).all()
            small = ids[: 2 * SMALL]
            for start in range(0, len(small), 2):  # 1,000 small removals, restored again: history only
                customers.trash_customers(small[start : start + 2], actor=ACTOR, session=session)
            customers.restore_customers(small, actor=ACTOR, session=session)
            session.commit()
            trash, moved = timed(lambda: customers.trash_customers(ids[2 * SMALL :], actor=ACTOR, session=session))
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
