"""Time what a customer page reads, and the customers list filtered by group and tag, on a million customers,
against the same SQL run through the bare driver; and count what one change notice costs an open customer page.

The page's reads go through the services exactly as the page calls them (one session). Opening the page, or a
change notice while it shows Overview, reads the header (the customer, previous and next in the list, its groups
and tags) and the Overview (custom field values for the key facts, recent history, the per-tab counts); every
other tab reads its own records only when shown (timed together as "every other tab").
Tag suggestions are read only when the tags box is focused, and timed on their own. Every SQL statement the
services send is recorded, and the baseline replays those same statements with `sqlite3` (or, on PostgreSQL,
`psycopg`), so the ratio is what the service layer adds on top of the database's own work. The two alternate, so
drift hits both.

Change notices are measured on the page state itself (`bench/_notice.py`): the statements and time of its reload,
signed in, against the page reading every tab with its header on each notice (as it did before tabs were read
only when shown), alternating on the same pages. `--before CHECKOUT` also measures another checkout's page (for
example `git worktree add ../before <commit>`) on the same database and pages, each checkout in processes of its
own, alternating.

Side records are added once to the shared benchmark databases (SQLite's data/bench_1m.db by bulk inserts,
PostgreSQL's `bench` database by COPY, then VACUUM ANALYZE): every tenth customer gets two tags, a group and two custom
field values, and the customers the benchmark opens get notes, tickets, activities, contacts and addresses.

    python bench/bench_customer_page.py [--database sqlite|postgresql|both] [--pages 40] [--before CHECKOUT]

`--database` defaults to both when PostgreSQL (bench/_bench_db.py PG_URL) answers."""

from __future__ import annotations

import argparse
import json
import sqlite3
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import LiteralString, cast

import psycopg
from psycopg import sql

# Run from a checkout without installing the project.
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from _bench_db import conninfo, ensure, ensure_postgres, postgres_reachable
from _notice import measure, on_notice
from _replay import compare
from sqlalchemy import Engine
from sqlmodel import Session

from customer_app.audit.queries import customer_history
from customer_app.core.db import make_engine
from customer_app.core.permissions import Actor, Role
from customer_app.customer_page.queries import header_labels, overview_counts
from customer_app.customer_page.state.tabs import TABS
from customer_app.customers import custom_field_values, other_info
from customer_app.customers.customers import get_customer
from customer_app.customers.queries import ListQuery, count_tabs, list_customers, neighbours
from customer_app.records import (
    activities,
    addresses,
    contacts,
    notes,
    notifications,
    tickets,
)
from customer_app.records.models import NOTIFICATION_TOPICS
from customer_app.settings import settings

COUNT = 1_000_000
EVERY = 10  # every tenth customer carries tags, a group and custom field values
TAGS = 300
ACTOR = Actor(id=0, email="bench@example.com", name="Bench", role=Role.ADMIN)
ROOT = Path(__file__).resolve().parents[1]
RUNS = 3  # processes per checkout when comparing with --before


def _side_rows() -> tuple[list[tuple], list[tuple], list[tuple]]:
    """Every tenth customer's two tags, group membership and two custom field values."""
    ids = range(1, COUNT + 1, EVERY)
    tags = [(i, f"Tag{(i + k) % TAGS}", f"tag{(i + k) % TAGS}") for i in ids for k in (0, 7)]
    members = [(i, i % 5 + 1) for i in ids]
    values = [(i, f, "Gold" if f == 1 else str(i % 90)) for i in ids for f in (1, 2)]
    return tags, members, values


def seed_sqlite(path: Path) -> None:
    """Tags, groups and custom values for every tenth customer, in bulk, once."""
    with sqlite3.connect(path) as conn:
        if conn.execute("SELECT count(*) FROM custom_field").fetchone()[0]:
            return
        print(f"Adding tags, groups and custom fields to every {EVERY}th customer (once)...")
        conn.executemany(
            "INSERT INTO customer_group (id, name) VALUES (?, ?)", [(i, f"Group {i}") for i in range(1, 6)]
        )
        conn.execute(
            "INSERT INTO custom_field (id, label, field_type, applies_to, options, required, position, created_at) "
            "VALUES (1, 'Tier', 'choice', 'all', 'Gold\nSilver', 0, 1, '2026-01-01'), "
            "(2, 'Seats', 'number', 'all', '', 0, 2, '2026-01-01')"
        )
        tags, members, values = _side_rows()
        conn.executemany("INSERT INTO customer_tag (customer_id, tag, tag_key) VALUES (?, ?, ?)", tags)
        conn.executemany("INSERT INTO customer_group_member (customer_id, group_id) VALUES (?, ?)", members)
        conn.executemany("INSERT INTO custom_field_value (customer_id, field_id, value) VALUES (?, ?, ?)", values)
        conn.execute("ANALYZE")


def seed_postgres(url: str) -> None:
    """The same side records as seed_sqlite, by COPY, once; the sequences moved past the ids given."""
    with psycopg.connect(conninfo(url)) as conn:
        if conn.execute("SELECT count(*) FROM custom_field").fetchone()[0]:
            return
        print(f"Adding tags, groups and custom fields to every {EVERY}th customer by COPY (once)...")
        conn.cursor().executemany(
            "INSERT INTO customer_group (id, name) VALUES (%s, %s)", [(i, f"Group {i}") for i in range(1, 6)]
        )
        conn.execute(
            "INSERT INTO custom_field (id, label, field_type, applies_to, options, required, position, created_at) "
            "VALUES (1, 'Tier', 'choice', 'all', E'Gold\\nSilver', false, 1, '2026-01-01'), "
            "(2, 'Seats', 'number', 'all', '', false, 2, '2026-01-01')"
        )
        for table in ("customer_group", "custom_field"):
            conn.execute(
                sql.SQL("SELECT setval(pg_get_serial_sequence({}, 'id'), (SELECT max(id) FROM {}))").format(
                    sql.Literal(table), sql.Identifier(table)
                )
            )
        tags, members, values = _side_rows()
        for copy_sql, rows in (
            ("COPY customer_tag (customer_id, tag, tag_key) FROM STDIN", tags),
            ("COPY customer_group_member (customer_id, group_id) FROM STDIN", members),
            ("COPY custom_field_value (customer_id, field_id, value) FROM STDIN", values),
        ):
            with conn.cursor().copy(cast("LiteralString", copy_sql)) as copy:
                for row in rows:
                    copy.write_row(row)
    with psycopg.connect(conninfo(url), autocommit=True) as conn:
        # As autovacuum would by the time anyone filters by them (it may be off, as on the benchmark machine): without
        # a visibility map every index-only scan of these tables reads each row from the table too.
        for table in ("customer_tag", "customer_group_member", "custom_field_value"):
            conn.execute(sql.SQL("VACUUM ANALYZE {}").format(sql.Identifier(table)))


def seed_pages(engine: Engine, pages: list[int]) -> None:
    """A full page (notes, tickets, activities, a contact, an address) for each of `pages` that has none yet."""
    with Session(engine) as session:
        bare = [customer_id for customer_id in pages if not notes.list_notes(customer_id, actor=ACTOR, session=session)]
        for customer_id in bare:
            for n in range(5):
                notes.add_note(customer_id, f"Note {n} about the renewal", actor=ACTOR, session=session)
            for n in range(3):
                ticket = tickets.create_ticket(
                    customer_id, subject=f"Ticket {n}", description="", priority="normal", actor=ACTOR, session=session
                )
                tickets.update_ticket(
                    ticket.id,
                    subject=ticket.subject,
                    description="",
                    priority="high",
                    status="in_progress",
                    actor=ACTOR,
                    session=session,
                )
                activities.save_activity(
                    customer_id,
                    {
                        "kind": "call",
                        "title": f"Call {n}",
                        "starts_at": f"2027-0{n + 1}-01T10:00",
                        "duration_minutes": "30",
                    },
                    actor=ACTOR,
                    session=session,
                )
            contacts.add_contact(
                customer_id, "email", f"bench{customer_id}@example.com", "work", actor=ACTOR, session=session
            )
            addresses.save_address(
                customer_id,
                {
                    "kind": "billing",
                    "country_code": "DE",
                    "street": "Unter den Linden 1",
                    "city": "Berlin",
                    "postal_code": "10117",
                    "is_default": "on",
                },
                actor=ACTOR,
                session=session,
            )
        session.commit()
    if bare:  # fresh statistics for the planner (SQLite's bulk seed ran ANALYZE before these few rows)
        with engine.begin() as connection:
            connection.exec_driver_sql("ANALYZE")


def page_reads(customer_id: int, session: Session) -> None:
    """What the customer page reads when it opens on Overview or a change notice wakes it there, service by service."""
    customer = get_customer(customer_id, actor=ACTOR, session=session)
    neighbours(ListQuery(customer.kind).checked(settings.page_sizes), customer, actor=ACTOR, session=session)
    header_labels(customer.id, actor=ACTOR, session=session)
    custom_field_values.customer_values(customer.id, actor=ACTOR, session=session)
    customer_history(customer.id, actor=ACTOR, session=session, limit=10)
    overview_counts(customer.id, actor=ACTOR, session=session)


def other_tab_reads(customer_id: int, session: Session) -> None:
    """What every other tab reads when it is shown, service by service."""
    customer = get_customer(customer_id, actor=ACTOR, session=session)
    notes.list_notes(customer.id, actor=ACTOR, session=session)
    found = tickets.list_tickets(customer.id, actor=ACTOR, session=session)
    tickets.status_history([t.id for t in found], actor=ACTOR, session=session)
    activities.list_activities(customer.id, actor=ACTOR, session=session)
    contacts.list_contacts(customer.id, actor=ACTOR, session=session)
    contacts.list_people(customer.id, actor=ACTOR, session=session)
    addresses.list_addresses(customer.id, actor=ACTOR, session=session)
    other_info.other_info(customer.id, actor=ACTOR, session=session)
    other_info.list_groups(actor=ACTOR, session=session)
    other_info.sales_reps(actor=ACTOR, session=session)
    custom_field_values.customer_values(customer.id, actor=ACTOR, session=session)
    assert set(notifications.preferences(customer.id, actor=ACTOR, session=session)) == set(NOTIFICATION_TOPICS)


def every_tab(page):
    """A change notice as the page took it before tabs were read only when shown: the header and every tab."""
    return page._read(tuple(tab.state for tab in TABS), with_header=True)


def change_notices(url: str, pages: list[int], before: Path | None) -> None:
    """Print the statements and time of one change notice on an open page, against reading every tab."""
    variants = {"shown": on_notice, "every tab": every_tab}
    cost = measure(url, pages, "overview", variants)
    (lazy, lazy_ms), (eager, eager_ms) = cost["shown"], cost["every tab"]
    print(
        f"change notice on a customer page showing Overview: {lazy:.0f} statements, {lazy_ms:.1f} ms (the page "
        f"state's reload, sign-in check included); the same page reading every tab, as it used to: {eager:.0f} "
        f"statements, {eager_ms:.1f} ms; ratio {eager / lazy:.2f}x statements, {eager_ms / lazy_ms:.2f}x time "
        f"(median of {len(pages)} pages)"
    )
    per_tab = {tab.key: measure(url, pages[:10], tab.key, {"shown": on_notice})["shown"] for tab in TABS}
    shown = ", ".join(f"{key} {n:.0f} ({ms:.1f} ms)" for key, (n, ms) in per_tab.items())
    print(f"statements (ms) per change notice by the tab shown: {shown} (median of {len(pages[:10])} pages)")
    if before is not None:
        (now, now_ms), (then, then_ms) = _in_processes([ROOT, before], url, pages)
        print(
            f"change notice, each checkout in its own process, alternating: this checkout {now:.0f} statements, "
            f"{now_ms:.1f} ms; {before} {then:.0f} statements, {then_ms:.1f} ms; ratio {then / now:.2f}x "
            f"statements, {then_ms / now_ms:.2f}x time (median of {RUNS} runs of {len(pages)} pages)"
        )


def _in_processes(checkouts: list[Path], url: str, pages: list[int]) -> list[tuple[float, float]]:
    """Median statements and milliseconds per change notice of each checkout's customer page, each run in a process
    of its own (so each imports its own `customer_app`), the checkouts alternating so drift hits all of them."""
    script = Path(__file__).with_name("_notice.py")
    runs: list[list[dict]] = [[] for _ in checkouts]
    for _ in range(RUNS):
        for checkout, got in zip(checkouts, runs, strict=True):
            command = [sys.executable, str(script), "--app", str(checkout), "--db", url]
            done = subprocess.run(
                [*command, "--customers", *map(str, pages)], cwd=checkout, capture_output=True, text=True, check=True
            )
            got.append(json.loads(done.stdout.strip().splitlines()[-1]))
    return [(statistics.median(r["statements"] for r in got), statistics.median(r["ms"] for r in got)) for got in runs]


def list_page(query: ListQuery, session: Session) -> None:
    """What the customers list reads for one filtered page: the rows and every tab's count."""
    list_customers(query, actor=ACTOR, session=session)
    count_tabs(query.search, group_id=query.group_id, tag=query.tag, actor=ACTOR, session=session)


def measure_database(engine: Engine, pages: list[int], before: Path | None) -> None:
    """Print every figure on the engine's database, each against its statements replayed through the bare driver."""
    bare = "bare sqlite3" if engine.dialect.name == "sqlite" else "bare psycopg"
    for label, reads in (("opened on Overview", page_reads), ("every other tab", other_tab_reads)):
        cases = [lambda session, c=customer_id, r=reads: r(c, session) for customer_id in pages]
        ours, base, statements = compare(engine, cases)
        print(
            f"customer page reads at {COUNT:,} customers, {label}: services {ours * 1000:.1f} ms, the same "
            f"{statements:.0f} statements in {bare} {base * 1000:.1f} ms, ratio {ours / base:.2f}x "
            f"(median of {len(pages)} pages)"
        )
    change_notices(engine.url.render_as_string(hide_password=False), pages, before)
    for label, group_id, tag in (
        ("group of 100,000", 2, ""),  # every tenth customer (id 1, 11, 21, ...) is in group id % 5 + 1 = 2
        ("tag on 3,334", None, "TAG1"),
        ("group and tag", 2, "tag11"),
        ("tag nobody has", None, "no such tag"),
    ):
        query = ListQuery("individual", "", "name", "asc", group_id=group_id, tag=tag).checked(settings.page_sizes)
        ours, base, statements = compare(engine, [lambda session, q=query: list_page(q, session)] * 10)
        print(
            f"customers list filtered by {label}: page and tab counts {ours * 1000:.1f} ms, the same {statements:.0f} "
            f"statements in {bare} {base * 1000:.1f} ms, ratio {ours / base:.2f}x (median of 10)"
        )
    suggestions = []
    with Session(engine) as session:
        for _ in range(10):
            started = time.perf_counter()
            other_info.tag_suggestions(actor=ACTOR, session=session)
            suggestions.append(time.perf_counter() - started)
    tags, ms = COUNT // EVERY * 2, statistics.median(suggestions) * 1000
    print(f"tag suggestions (read when the tags box is focused) over {tags:,} tags: {ms:.1f} ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", choices=("sqlite", "postgresql", "both"), help="default: both when reachable")
    parser.add_argument("--pages", type=int, default=40, help="customer pages opened per side")
    parser.add_argument("--before", type=Path, help="a checkout whose customer page change notices are measured too")
    args = parser.parse_args()
    databases = args.database or ("both" if postgres_reachable() else "sqlite")
    pages = [1 + (i * 24_989) % COUNT for i in range(args.pages)]  # spread over the table
    if databases in ("sqlite", "both"):
        path = ensure(COUNT)
        seed_sqlite(path)
        engine = make_engine(f"sqlite:///{path}")
        seed_pages(engine, pages)
        print(f"\n=== SQLite {sqlite3.sqlite_version} ===")
        measure_database(engine, pages, args.before)
        engine.dispose()
    if databases in ("postgresql", "both"):
        url = ensure_postgres(COUNT)
        seed_postgres(url)
        engine = make_engine(url)
        seed_pages(engine, pages)
        with engine.connect() as connection:
            version = connection.exec_driver_sql("SELECT version()").scalar_one()
        print(f"\n=== {version.split(' on ')[0]} ===")
        measure_database(engine, pages, args.before)
        engine.dispose()


if __name__ == "__main__":
    main()
