"""The customer portal under load: many signed-in portal tabs and staff customer pages while tickets keep coming in.

    python bench/bench_portal.py [--portal 200] [--staff 20] [--watched 5] [--seconds 30] [--customers 2000]
                                 [--server-log FILE]

Builds a throw-away SQLite database (migrations + demo customers), gives each of the first N customers a portal
account of its own (registered, with access to that customer only), starts the app exactly as `make run` does
(`reflex run --env prod`, one worker, page and websocket on one free port; the setup is bench/bench_live.py's) and
drives it with headless socket.io sessions that speak Reflex 0.10.1's protocol (bench/_reflex_client.py).

Every portal tab is signed in as its customer's account (the token in browser storage "customer_portal_session")
and hydrates /clients/tickets, so its on_load reads the tickets and its watch_changes starts listening for staff's
changes to that customer. Every staff tab is signed in as staff and opens the Tickets tab of one customer's page
(/customers/<id>?tab=tickets), which listens for changes to that customer. The staff tabs are spread round-robin
over the first W customers (the watched ones), so each watched customer has a known set of staff tabs.

One writer opens a ticket every second: the portal tab of a watched customer, round-robin over them, submits the
new-ticket form (open_ticket) with a subject no other ticket has. Reported: the portal event's latency (emit → the
delta carrying the new ticket in that portal tab) p50/p95/p99, and the staff fan-out (emit → every staff tab
watching that customer holds a delta whose ticket rows carry the subject) p50/p95, with how many writes reached
all of their staff tabs; how many refreshes each write cost a staff tab, and whether any portal tab was woken
(nothing else writes, so none should be); writes refused or unanswered, error toasts and server log problems;
the server's CPU (share of one core while writing) and resident memory (before the tabs open and with all open).

The baseline, from the same run (before and after the scenario, pooled), is one portal tab and one staff tab on
one further customer, nobody else connected: the portal tab opens tickets back to back, each after the previous
one reached the staff tab. Printed as ratios: portal event p95 / idle p95, and staff fan-out p95 / idle fan-out
p95 (to its one staff tab). The load generator's own event-loop lag is printed too, to show the client was not the
bottleneck.

The frontend is built in bench_live.py's private directory (BENCH_WEB_DIR), so both share one build.
"""

from __future__ import annotations

import argparse
import asyncio
import math
import sys
import time
from dataclasses import dataclass
from pathlib import Path

# Run from a checkout without installing the project.
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sqlmodel import Session, col, select  # noqa: E402

from bench._reflex_client import ReflexSession, state_path, vars_of  # noqa: E402
from bench.bench_live import (  # noqa: E402
    AUTH_KEY,
    Server,
    app_run,
    guarded,
    log_problems,
    loop_lag,
    ms,
    opened,
    pct,
    seed_web_dir,
)
from customer_app import routes  # noqa: E402
from customer_app.access import auth  # noqa: E402
from customer_app.access.models import StaffUser  # noqa: E402
from customer_app.core.db import make_engine  # noqa: E402
from customer_app.core.migrations import migrate  # noqa: E402
from customer_app.core.passwords import hash_password  # noqa: E402
from customer_app.core.permissions import Role  # noqa: E402
from customer_app.customers.demo_data import insert_demo  # noqa: E402
from customer_app.customers.models import Customer  # noqa: E402
from customer_app.portal import sign_in  # noqa: E402
from customer_app.portal.models import PortalAccount, PortalGrant  # noqa: E402

PORTAL_TICKETS = state_path("customer_app.portal.state.portal_tickets", "PortalTicketsState")
PORTAL_KEY = state_path("customer_app.portal.state.portal", "PortalState") + ".portal_token_rx_state_"
DETAIL = state_path("customer_app.customer_page.state.page", "CustomerDetailState")
STAFF_TICKETS = state_path("customer_app.records.state.tickets", "CustomerTicketsState")
WRITE_EVERY = 1.0
IDLE_WRITES = 30  # per baseline (before and after)
TIMEOUT = 10.0  # a ticket answered, or reaching a staff tab, later than this counts as failed
DRAIN = 10.0  # after the scenario, how long the last writes' fan-out may still arrive
SETTLE = 1.0  # after the tabs loaded, time for their watch_changes to subscribe (nothing tells the client)


@dataclass
class World:
    """The signed-in people of a run: one portal token per customer, one staff token per staff tab."""

    base_url: str
    customers: list[int]  # customers with a portal account, in order; the last one is the baseline's
    portal_tokens: dict[int, str]
    staff_tokens: list[str]
    sent: int = 0  # tickets submitted so far: numbers every subject


@dataclass(frozen=True)
class Load:
    """The scenario's size: portal tabs, staff tabs, the customers those watch, and seconds of writing."""

    portal: int
    staff: int
    watched: int
    seconds: float


@dataclass
class Write:
    """One ticket submitted by a portal tab."""

    subject: str
    customer_id: int
    sent: float
    answered: float | None = None


def subjects(rows) -> set[str]:
    """The subjects of the ticket rows in a delta."""
    return {row.get("subject", "") for row in rows or ()}


class PortalTab:
    """/clients/tickets signed in as one customer's account; it may open tickets."""

    def __init__(self, world: World, customer_id: int):
        self.world, self.customer_id = world, customer_id
        storage = {PORTAL_KEY: world.portal_tokens[customer_id]}
        self.session = ReflexSession(world.base_url, routes.PORTAL_TICKETS, storage)
        self.session.listeners.append(self._on_delta)
        self.ready = self.session.expect(lambda d: vars_of(d, PORTAL_TICKETS).get("loaded") is True)
        self.writing = False
        self.woken = 0  # ticket deltas this tab did not ask for (its watch_changes re-reading the page)
        self.failed: list[str] = []

    def _on_delta(self, delta, _events, _arrived: float) -> None:
        tickets = vars_of(delta, PORTAL_TICKETS)
        if "rows" in tickets and self.ready.done() and not self.writing:
            self.woken += 1

    async def open_ticket(self) -> Write | None:
        """Submit the new-ticket form; the write with its answer's arrival, or None when refused or unanswered."""
        self.world.sent += 1
        subject = f"Bench ticket {self.world.sent} for customer {self.customer_id}"

        def answered(delta) -> bool:
            tickets = vars_of(delta, PORTAL_TICKETS)
            return subject in subjects(tickets.get("rows")) or bool(tickets.get("errors"))

        done = self.session.expect(answered)
        form = {"subject": subject, "description": "Opened by the portal benchmark."}
        self.writing = True
        try:
            sent = await self.session.emit(f"{PORTAL_TICKETS}.open_ticket", form=form)
            write = Write(subject, self.customer_id, sent)
            write.answered = await asyncio.wait_for(done, TIMEOUT)
        except TimeoutError:
            self.failed.append(f"{subject!r} unanswered after {TIMEOUT:.0f} s")
            return None
        finally:
            self.writing = False
        if write.answered - write.sent > TIMEOUT:
            self.failed.append(f"{subject!r} answered after {write.answered - write.sent:.0f} s")
            return None
        return write


class StaffTab:
    """A staff member's customer page on the Tickets tab; records when each ticket subject first reached it."""

    def __init__(self, world: World, customer_id: int, token: str):
        self.customer_id = customer_id
        self.session = ReflexSession(world.base_url, routes.customer(customer_id, tab="tickets"), {AUTH_KEY: token})
        self.session.listeners.append(self._on_delta)
        self.ready = self.session.expect(lambda d: vars_of(d, DETAIL).get("status") == "ok")
        self.seen_at: dict[str, float] = {}
        self.refreshes = 0  # ticket deltas after the page loaded (each woken re-read sends one)

    def _on_delta(self, delta, _events, arrived: float) -> None:
        rows = vars_of(delta, STAFF_TICKETS).get("rows")
        if rows is None:
            return
        if self.ready.done():
            self.refreshes += 1
        for subject in subjects(rows):
            self.seen_at.setdefault(subject, arrived)


def fanout(write: Write, watchers: list[StaffTab]) -> float | None:
    """Seconds from the write's emit until its last watching staff tab held it; None if one never did."""
    times = [tab.seen_at.get(write.subject) for tab in watchers]
    return None if None in times else max(t for t in times if t is not None) - write.sent


# --- the database ---------------------------------------------------------------------------------------------


def prepare_database(url: str, customers: int, portal: int, staff: int) -> tuple[list[int], dict[int, str], list[str]]:
    """Migrate a fresh database, load demo customers, give `portal` + 1 of them a registered portal account each and
    sign each in once; sign staff in once per staff tab (+ the baseline's)."""
    engine = make_engine(url)
    migrate(engine)
    with engine.begin() as connection:
        insert_demo(connection, customers)
    password = hash_password("bench portal password 4711")
    with Session(engine) as session:
        live = select(Customer.id).where(col(Customer.deleted_at).is_(None)).order_by(col(Customer.id))
        ids = list(session.exec(live.limit(portal + 1)).all())
        if len(ids) < portal + 1:
            raise RuntimeError(f"--customers {customers} gives only {len(ids)} customers; {portal + 1} are needed")
        accounts = []
        for customer_id in ids:
            email = f"client{customer_id}@bench.example"
            account = PortalAccount(email=email, email_key=email, name=f"Client {customer_id}", password_hash=password)
            session.add(account)
            session.flush()
            session.add(PortalGrant(customer_id=customer_id, account_id=account.id, invited_by_name="Bench"))
            accounts.append(account)
        tokens = {
            customer_id: sign_in.start_session(account, customer_id, address="127.0.0.1", session=session)
            for customer_id, account in zip(ids, accounts, strict=True)
        }
        user = StaffUser(email="bench@example.com", email_key="bench@example.com", name="Bench", role=Role.STAFF)
        session.add(user)
        session.flush()
        staff_tokens = [auth.start_session(user, remember=False, session=session) for _ in range(staff + 1)]
        session.commit()
    engine.dispose()
    return ids, tokens, staff_tokens


# --- the scenarios --------------------------------------------------------------------------------------------


async def baseline(world: World) -> tuple[list[float], list[float], list[str]]:
    """One portal tab and one staff tab on the same customer, nobody else: tickets one after another.

    Returns the portal latencies, the fan-out to the staff tab, and what failed."""
    customer_id = world.customers[-1]
    portal, staff = PortalTab(world, customer_id), StaffTab(world, customer_id, world.staff_tokens[-1])
    latencies, fan, failed = [], [], []
    async with opened([portal, staff]):
        await asyncio.sleep(SETTLE)
        for _ in range(IDLE_WRITES):
            write = await portal.open_ticket()
            if write is None or write.answered is None:
                continue
            latencies.append(write.answered - write.sent)
            while write.subject not in staff.seen_at and time.perf_counter() - write.sent < TIMEOUT:
                await asyncio.sleep(0.002)
            if (reached := fanout(write, [staff])) is None:
                failed.append(f"{write.subject!r} never reached the staff tab")
            else:
                fan.append(reached)
            await asyncio.sleep(0.1)
    return latencies, fan, failed + portal.failed + staff.session.error_events + portal.session.error_events


async def write_every(writers: list[PortalTab], writes: list[Write], stop: float) -> None:
    """The writer: a ticket every WRITE_EVERY seconds, from the watched customers' portal tabs in turn."""
    due, turn = time.perf_counter(), 0
    while due < stop:
        await asyncio.sleep(max(0.0, due - time.perf_counter()))
        write = await writers[turn % len(writers)].open_ticket()
        turn += 1
        if write is not None:
            writes.append(write)
        due = max(due + WRITE_EVERY, time.perf_counter())  # late: go on at once, but no burst to catch up


async def scenario(world: World, server: Server, load: Load) -> dict:
    n, m, watched = load.portal, load.staff, load.watched
    portals = [PortalTab(world, customer_id) for customer_id in world.customers[:n]]
    staff = [StaffTab(world, world.customers[i % watched], world.staff_tokens[i]) for i in range(m)]
    watchers = {customer: [tab for tab in staff if tab.customer_id == customer] for customer in world.customers}
    log_start = len(server.log_text())
    rss_before = server.rss_bytes()
    writes: list[Write] = []
    lag: list[float] = []
    lag_stop = asyncio.Event()
    async with opened([*portals, *staff]) as connect_s:
        await asyncio.sleep(SETTLE)
        for tab in [*portals, *staff]:  # count only what the writes cause
            tab.woken = tab.refreshes = 0
        lag_task = asyncio.create_task(loop_lag(lag_stop, lag))
        cpu0, t0 = server.cpu_seconds(), time.perf_counter()
        try:
            await write_every(portals[:watched], writes, t0 + load.seconds)
            busy = time.perf_counter() - t0
            cpu = server.cpu_seconds() - cpu0
            deadline = time.perf_counter() + DRAIN
            while time.perf_counter() < deadline and any(fanout(w, watchers[w.customer_id]) is None for w in writes):
                await asyncio.sleep(0.05)
        finally:
            lag_stop.set()
            await lag_task
        rss_open = server.rss_bytes()
    reached = [f for w in writes if (f := fanout(w, watchers[w.customer_id])) is not None]
    return {
        "n": n,
        "m": m,
        "watched": watched,
        "connect_s": connect_s,
        "portal": [w.answered - w.sent for w in writes if w.answered is not None],
        "write_failed": [f for tab in portals for f in tab.failed],
        "fanout": reached,
        "writes": len(writes),
        "staff_per_write": sum(len(watchers[w.customer_id]) for w in writes) / max(1, len(writes)),
        "refreshes_per_write": sum(tab.refreshes for tab in staff)
        / max(1, sum(len(watchers[w.customer_id]) for w in writes)),
        "portal_woken": sum(tab.woken for tab in portals),
        "error_toasts": [e for tab in [*portals, *staff] for e in tab.session.error_events],
        "server_cpu": cpu / busy,
        "rss_before": rss_before,
        "rss_open": rss_open,
        "client_lag_p95": pct(lag, 95),
        "client_lag_max": max(lag, default=math.nan),
        "log": log_problems(server.log_text()[log_start:]),
    }


def ratio(value: float, base: float) -> str:
    return f"{value / base:.1f}× idle" if base and not math.isnan(value) and not math.isnan(base) else "– × idle"


def report(result: dict, idle_portal: list[float], idle_fan: list[float]) -> None:
    portal, fan, n, m = result["portal"], result["fanout"], result["n"], result["m"]
    attempted = result["writes"] + len(result["write_failed"])
    print(
        f"N={n} portal tabs, M={m} staff tabs on {result['watched']} customers: tickets ok {len(portal)}/{attempted}"
        f"  portal event p50 {ms(pct(portal, 50))}  p95 {ms(pct(portal, 95))}"
        f" ({ratio(pct(portal, 95), pct(idle_portal, 95))})  p99 {ms(pct(portal, 99))}"
    )
    print(
        f"       staff fan-out (→ all {result['staff_per_write']:.1f} staff tabs of the customer) p50"
        f" {ms(pct(fan, 50))}  p95 {ms(pct(fan, 95))} ({ratio(pct(fan, 95), pct(idle_fan, 95))}), max"
        f" {ms(max(fan, default=math.nan))}; {len(fan)}/{result['writes']} writes reached all;"
        f" {result['refreshes_per_write']:.2f} refreshes per staff tab per write; portal tabs woken:"
        f" {result['portal_woken']}"
    )
    print(
        f"       {n + m} tabs opened in {result['connect_s']:.1f} s; server CPU {result['server_cpu']:.0%} of a core;"
        f" server RSS {result['rss_before'] / 2**20:,.0f} MB before the tabs, {result['rss_open'] / 2**20:,.0f} MB"
        f" with all open; load generator's loop lag p95 {ms(result['client_lag_p95'])},"
        f" max {ms(result['client_lag_max'])}"
    )
    problems = []
    if result["write_failed"]:
        problems.append(f"{len(result['write_failed'])} tickets failed, e.g. {result['write_failed'][0]}")
    if len(fan) < result["writes"]:
        problems.append(f"{result['writes'] - len(fan)} tickets missed by some staff tab")
    if result["portal_woken"]:
        problems.append(f"portal tabs woken {result['portal_woken']} times though only they wrote")
    if result["error_toasts"]:
        problems.append(f"{len(result['error_toasts'])} error toasts, e.g. {result['error_toasts'][0]}")
    if result["log"]:
        problems.append(f"{len(result['log'])} server log problem lines, e.g. {result['log'][0][:200]}")
    for problem in problems:
        print(f"       ! {problem}")


async def drive(world: World, server: Server, load: Load) -> None:
    before = await baseline(world)
    result = await scenario(world, server, load)
    after = await baseline(world)
    idle_portal, idle_fan = before[0] + after[0], before[1] + after[1]
    print(
        f"Baseline, 1 portal tab and 1 staff tab, nobody else: {len(idle_portal)} tickets, portal event p50"
        f" {ms(pct(idle_portal, 50))}  p95 {ms(pct(idle_portal, 95))} (before {ms(pct(before[0], 95))}, after"
        f" {ms(pct(after[0], 95))}); fan-out to the staff tab p50 {ms(pct(idle_fan, 50))}  p95 {ms(pct(idle_fan, 95))}"
    )
    for failures in (before[2], after[2]):
        if failures:
            print(f"       ! baseline: {len(failures)} problems, e.g. {failures[0][:200]}")
    report(result, idle_portal, idle_fan)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--portal", type=int, default=200, help="portal tabs, each a different customer's account")
    parser.add_argument("--staff", type=int, default=20, help="staff customer pages (Tickets tab)")
    parser.add_argument("--watched", type=int, default=5, help="customers the staff tabs are spread over")
    parser.add_argument("--seconds", type=float, default=30.0, help="length of the scenario")
    parser.add_argument("--customers", type=int, default=2000, help="demo customers in the database")
    parser.add_argument("--server-log", type=Path, help="keep the app's output in this file")
    args = parser.parse_args()
    watched = max(1, min(args.watched, args.staff, args.portal))
    with app_run("bench_portal_", args.server_log) as (url, server):
        port = server.port
        customers, portal_tokens, staff_tokens = prepare_database(url, args.customers, args.portal, args.staff)
        seed_web_dir()
        up = server.start()
        print(
            f"Portal: {args.customers:,} demo customers, one worker (reflex run --env prod, port {port}, up in"
            f" {up:.0f} s); {args.portal} portal tabs, {args.staff} staff tabs on {watched} customers, one ticket"
            f" every {WRITE_EVERY:.0f} s for {args.seconds:.0f} s"
        )
        world = World(f"http://127.0.0.1:{port}", customers, portal_tokens, staff_tokens)
        asyncio.run(guarded(drive(world, server, Load(args.portal, args.staff, watched, args.seconds))))


if __name__ == "__main__":
    main()
