"""What one change notice costs an open customer page: the SQL statements and time of the page state's own reload
(`CustomerDetailState._load`, run when the live hub wakes the page), signed in, auth check included.

Importable, or run as a script to measure another checkout (its own `customer_app`) on the same database, printing
JSON; `customer_app` is imported only inside the functions, so the checkout decides which page is measured:

    python bench/_notice.py --app /path/to/checkout --db data/bench_1m.db --customers 1 24990

`--db` takes a SQLite file or a database URL (postgresql+psycopg://...).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import sys
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import cast

EMAIL = "bench@example.com"
Reload = Callable[[object], Awaitable[object]]  # a way for the page state to take a change notice


def on_notice(page) -> Awaitable[object]:
    """What the page does when the live hub wakes it."""
    return page._load()


def _token(engine) -> str:
    """A fresh session token for the bench's staff account (made once in the bench database)."""
    from sqlmodel import Session, select

    from customer_app.access import auth
    from customer_app.access.models import StaffUser

    with Session(engine) as session:
        user = session.exec(select(StaffUser).where(StaffUser.email_key == EMAIL)).first()
        if user is None:
            user = StaffUser(email=EMAIL, email_key=EMAIL, name="Bench", role="admin")
            session.add(user)
            session.flush()
        token = auth.start_session(user, remember=True, session=session)
        session.commit()
    return token


def _page(token: str, customer_id: int, tab: str):
    """The customer page state of a fresh browser tab, signed in, whose address shows the customer and tab."""
    from reflex.istate.data import ReflexURL, RouterData, SessionData
    from reflex.state import State

    from customer_app.access.state.auth import AuthState
    from customer_app.customer_page.state.page import CustomerDetailState

    root = State(_reflex_internal_init=True)  # pyright: ignore[reportCallIssue] (how Reflex builds one)
    root.get_substate(AuthState._get_substate_path()).auth_token = token
    address = f"http://localhost:3000/customers/{customer_id}?tab={tab}"
    root.router = RouterData(session=SessionData(client_token="bench"), url=ReflexURL(address))
    return cast(CustomerDetailState, root.get_substate(CustomerDetailState._get_substate_path()))


async def _reload(page, reload: Reload, engine) -> tuple[int, float]:
    """Statements sent and seconds taken by one change-notice reload of `page`."""
    from sqlalchemy import event

    sent = []

    def count(*_args) -> None:
        sent.append(1)

    event.listen(engine, "before_cursor_execute", count)
    try:
        started = time.perf_counter()
        await reload(page)
        seconds = time.perf_counter() - started
    finally:
        event.remove(engine, "before_cursor_execute", count)
    assert page.status == "ok", f"customer {page.customer_id} did not load"
    return len(sent), seconds


def database_url(db: str | Path) -> str:
    """The URL of `db`: a database URL as it is, a file as SQLite's."""
    return str(db) if "://" in str(db) else f"sqlite:///{Path(db).resolve()}"


def measure(
    db: str | Path, customer_ids: list[int], tab: str, variants: dict[str, Reload], rounds: int = 3
) -> dict[str, tuple[float, float]]:
    """Median statements and milliseconds per change notice of a page showing `tab`, for each variant; the
    variants alternate on every page (opened once, like a browser), so drift hits all of them."""
    from customer_app.core import db as app_db

    engine = app_db.make_engine(database_url(db))
    app_db.engine = lambda: engine  # the app's one session seam, pointed at the bench database
    token = _token(engine)
    seen: dict[str, list[tuple[int, float]]] = {name: [] for name in variants}

    async def run() -> None:
        for customer_id in customer_ids:
            page = _page(token, customer_id, tab)
            await page.on_load()  # opens the page (and warms the caches) the way a browser does
            for _ in range(rounds):
                for name, reload in variants.items():
                    seen[name].append(await _reload(page, reload, engine))

    asyncio.run(run())
    engine.dispose()
    return {
        name: (statistics.median(n for n, _ in got), statistics.median(s for _, s in got) * 1000)
        for name, got in seen.items()
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--app", type=Path, required=True, help="the checkout whose customer page is measured")
    parser.add_argument("--db", required=True, help="a SQLite file or a database URL")
    parser.add_argument("--customers", type=int, nargs="+", required=True)
    parser.add_argument("--tab", default="overview")
    args = parser.parse_args()
    sys.path.insert(0, str(args.app.resolve()))
    statements, ms = measure(database_url(args.db), args.customers, args.tab, {"page": on_notice})["page"]
    print(json.dumps({"statements": statements, "ms": ms}))


if __name__ == "__main__":
    main()
