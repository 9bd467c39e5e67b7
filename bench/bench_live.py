"""Live updates under load: many open customers pages searching while one user keeps adding customers.

    python bench/bench_live.py [--sizes 20 100] [--seconds 35] [--customers 2000] [--server-log FILE]
                               [--database sqlite|postgresql] [--workers N] [--writes new unseen]

Builds a throw-away database (a SQLite file, or a schema of its own in the PostgreSQL benchmark database), starts the
app exactly as `make run` does (`reflex run --env prod`, page and websocket on one free port; one worker, or N
workers sharing a private redis-server as production runs them) and drives it with headless
socket.io sessions that speak Reflex 0.10.1's protocol (bench/_reflex_client.py). Every session hydrates
`/customers` and runs its on_load like a browser, so its page starts listening for changes. Per scenario
(N open pages): each viewer searches every 5 s (staggered), and a writer session creates a customer every
second through the pop-up (open_new, then save). Reported: search latency (emit → the delta carrying that
search's rows), save latency, and fan-out (save emitted → every viewer holds a delta with the new customer).
The baseline, from the same run (before the scenarios, and again after them), is one idle viewer searching
back to back with no writer; search p95 is printed as a ratio of it. The load generator's own event-loop lag
is printed too, to show the client was not the bottleneck, and each worker's CPU and memory.

How a write is recognised by a viewer: every search term is a word of the company name given to the
benchmark's customers, so each new customer matches every viewer's search. A viewer's delta then carries
counts["individual"] = (demo customers matching its search, counted once before the run) + (benchmark
customers created so far), which says exactly how many writes the viewer has seen. The rows are checked
too: the benchmark customers sort first ("Aabench …", newest first), so the newest one seen must be row 1,
and every row of a search reply must contain the search term.

`--writes unseen` runs each size again with a writer whose customers no viewer's page shows (they match no search
term and sort last): the everyday case of a save that changes what few open pages show. Only the pages with the empty
search get a delta then (their count changed); the benchmark prints the refresh deltas per viewer per write and the
server CPU per write, to compare with a write every page shows.

The frontend is built in a private directory (BENCH_WEB_DIR, default /tmp/customer_app_bench_live_web,
seeded from the project's .web) so a build here never disturbs a test run using .web.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import math
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections import deque
from dataclasses import dataclass, field
from pathlib import Path

# Run from a checkout without installing the project.
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sqlmodel import Session  # noqa: E402

from bench._bench_db import postgres_schema  # noqa: E402
from bench._reflex_client import ReflexSession, state_path, vars_of  # noqa: E402
from customer_app.access import auth  # noqa: E402
from customer_app.access.models import StaffUser  # noqa: E402
from customer_app.core.db import make_engine  # noqa: E402
from customer_app.core.migrations import migrate  # noqa: E402
from customer_app.core.normalize import fold  # noqa: E402
from customer_app.core.permissions import Actor, Role  # noqa: E402
from customer_app.customers.demo_data import insert_demo  # noqa: E402
from customer_app.customers.queries import count_customers  # noqa: E402
from tests.redis_server import RedisServer  # noqa: E402

LIST = state_path("customer_app.customers.state.customer_list", "CustomerListState")
FORM = state_path("customer_app.customers.state.customer_form", "CustomerFormState")
PAGE = "/customers"
AUTH_KEY = state_path("customer_app.access.state.auth", "AuthState") + ".auth_token_rx_state_"
SPARE_SESSIONS = 3  # the two baselines' viewers and the leak check's writer; every simulated tab has its own session
ACTOR = Actor(id=0, email="bench@example.com", name="Bench", role=Role.ADMIN)  # counts the expected matches
SIGNED_IN: list[str] = []
# Words of demo companies ("Nordic Holdings", ...); the benchmark's customers work for all of them at once.
TERMS = ["nordic", "harbor", "alpine", "", "meridian", "zenith", "pioneer", "crown", "delta", "trading", "labs"]
BENCH_COMPANY = "Nordic Harbor Alpine Meridian Zenith Pioneer Crown Delta Trading Labs"
SEARCH_EVERY = 5.0
WRITE_EVERY = 1.0
TIMEOUT = 10.0  # a search or save answered later than this counts as failed
DRAIN = 10.0  # after a scenario, how long pending answers and fan-outs may still arrive
WEB_DIR = Path(os.environ.get("BENCH_WEB_DIR", "/tmp/customer_app_bench_live_web"))


def pct(values: list[float], q: float) -> float:
    """The q-th percentile (nearest rank); NaN when empty."""
    if not values:
        return math.nan
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, math.ceil(q / 100 * len(ordered)) - 1))]


def ms(seconds: float) -> str:
    """Seconds as readable milliseconds."""
    if math.isnan(seconds):
        return "–"
    value = seconds * 1000
    return f"{value:.1f} ms" if value < 100 else f"{value:,.0f} ms"


# --- the server -----------------------------------------------------------------------------------------------


def free_port() -> int:
    """A TCP port nobody listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def prepare_database(url: str, customers: int, sessions: int) -> dict[str, int]:
    """Migrate a fresh database, load demo customers, sign in `sessions` tabs; returns each term's matching
    individuals."""
    engine = make_engine(url)
    migrate(engine)
    with engine.begin() as connection:
        insert_demo(connection, customers)
    with Session(engine) as session:
        base = {term: count_customers("individual", term, actor=ACTOR, session=session) for term in TERMS}
        user = StaffUser(email="bench@example.com", email_key="bench@example.com", name="Bench", role=Role.STAFF)
        session.add(user)
        session.commit()
        tokens = [auth.start_session(user, remember=False, session=session) for _ in range(sessions)]
        session.commit()
    engine.dispose()
    SIGNED_IN.extend(tokens)
    return base


def signed_in() -> dict[str, str]:
    """Browser storage holding a fresh staff session, so the page lets this tab in."""
    return {AUTH_KEY: SIGNED_IN.pop()}


def app_env(url: str, workdir: Path, redis_url: str | None, workers: int) -> dict[str, str]:
    """What `make run` gives the app, on the throw-away database, with private state and frontend directories."""
    env = {
        **os.environ,
        "REFLEX_DB_URL": url,
        "PYTHONPATH": str(ROOT),
        "PATH": f"{ROOT / '.tools/node_modules/.bin'}:{os.environ.get('PATH', '')}",
        "REFLEX_USE_SYSTEM_BUN": "1",
        "REFLEX_WEB_WORKDIR": str(WEB_DIR),
        "REFLEX_STATES_WORKDIR": str(workdir / "states"),
        "REFLEX_TELEMETRY_ENABLED": "false",
    }
    env.pop("REFLEX_REDIS_URL", None)  # one worker: in-process notices
    if redis_url:
        env |= {"REFLEX_REDIS_URL": redis_url, "GRANIAN_WORKERS": str(workers)}
    return env


def remove_workdir(workdir: Path, keep: Path | None = None) -> None:
    """Delete the run's directory, except `keep` (the app's log of a failed run)."""
    for leftover in workdir.iterdir():
        if leftover.is_dir():
            shutil.rmtree(leftover, ignore_errors=True)
        elif leftover != keep:
            leftover.unlink()
    with contextlib.suppress(OSError):
        workdir.rmdir()


def seed_web_dir() -> None:
    """Give the private frontend directory the project's installed packages, once."""
    if WEB_DIR.exists() or not (ROOT / ".web").exists():
        return
    partial = WEB_DIR.with_name(f"{WEB_DIR.name}.{os.getpid()}.partial")
    source = ROOT / ".web"

    def outputs(directory: str, names: list[str]) -> set[str]:  # the last build, not packages' own build/
        return {"build", ".react-router"} & set(names) if Path(directory) == source else set()

    shutil.copytree(source, partial, symlinks=True, ignore=outputs)
    try:
        partial.rename(WEB_DIR)
    except OSError:  # another run seeded it meanwhile
        shutil.rmtree(partial, ignore_errors=True)


class Server:
    """`reflex run --env prod` in its own process group, its output in a log file."""

    def __init__(self, env: dict[str, str], port: int, log_path: Path, workers: int = 1):
        self.env, self.port, self.log_path, self.workers = env, port, log_path, workers
        self.proc: subprocess.Popen | None = None

    def start(self, timeout: float = 240.0) -> float:
        started = time.perf_counter()
        command = [
            str(ROOT / ".venv/bin/reflex"),
            "run",
            "--env",
            "prod",
            "--loglevel",
            "warning",
            "--frontend-port",
            str(self.port),
            "--backend-port",
            str(self.port),
        ]
        with open(self.log_path, "wb") as log:
            self.proc = subprocess.Popen(
                command,
                cwd=ROOT,
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                start_new_session=True,
            )
        while time.perf_counter() - started < timeout:
            if self.proc.poll() is not None:
                raise RuntimeError(
                    f"reflex run exited with {self.proc.returncode} (a broken frontend build? delete {WEB_DIR} to"
                    f" seed it again):\n{self.log_tail()}"
                )
            with (
                contextlib.suppress(OSError),
                urllib.request.urlopen(f"http://127.0.0.1:{self.port}/ping", timeout=2) as response,
            ):
                if response.status == 200:
                    return time.perf_counter() - started
            time.sleep(0.5)
        raise RuntimeError(f"The app did not answer within {timeout:.0f} s:\n{self.log_tail()}")

    def stop(self) -> None:
        if self.proc is None or (self.proc.poll() is not None and not self._group_alive()):
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.proc.pid, signal.SIGTERM)
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline and self._group_alive():
            with contextlib.suppress(subprocess.TimeoutExpired):
                self.proc.wait(timeout=0.2)
        if self._group_alive():
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.proc.pid, signal.SIGKILL)
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.proc.wait(timeout=5)

    def _group_alive(self) -> bool:
        try:
            os.killpg(self.proc.pid, 0)
        except ProcessLookupError:
            return False
        return True

    def processes(self) -> dict[int, tuple[float, int]]:
        """Every process of the server's group: its CPU seconds so far (user + system) and resident bytes now."""
        found, tick, page = {}, os.sysconf("SC_CLK_TCK"), os.sysconf("SC_PAGE_SIZE")
        for stat in Path("/proc").glob("[0-9]*/stat"):
            with contextlib.suppress(OSError, ValueError, IndexError):
                fields = stat.read_text().rsplit(")", 1)[1].split()
                if int(fields[2]) == self.proc.pid:  # pgrp
                    rss = int((stat.parent / "statm").read_text().split()[1]) * page
                    found[int(stat.parent.name)] = ((int(fields[11]) + int(fields[12])) / tick, rss)
        return found

    def cpu_seconds(self) -> float:
        """CPU seconds of every process of the server's group so far."""
        return sum(cpu for cpu, _ in self.processes().values())

    def rss_bytes(self) -> int:
        """Resident memory of every process of the server's group right now."""
        return sum(rss for _, rss in self.processes().values())

    def log_text(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""

    def log_tail(self, lines: int = 30) -> str:
        return "\n".join(self.log_text().splitlines()[-lines:])


def log_problems(text: str) -> list[str]:
    """Server log lines that report a problem (start-up chatter and progress bars left out)."""
    noise = (
        "Node.js",
        "higher.",
        "Compiling",
        "Creating Production Build",
        "App running",
        "Starting Reflex",
        "App Running",
        "─",
    )
    keys = ("error", "warning", "traceback", "exception", "attempting to send delta", "timed out", "cancel")
    return [
        line for line in text.splitlines() if any(k in line.lower() for k in keys) and not any(n in line for n in noise)
    ]


# --- the sessions ---------------------------------------------------------------------------------------------


@dataclass
class Run:
    """What every session of a run shares."""

    base_url: str
    base: dict[str, int]  # demo individuals matching each term
    created: int = 0  # benchmark customers created so far (the writer's confirmed saves)
    attempts: int = 0
    save_sent: dict[int, float] = field(default_factory=dict)  # n-th created customer -> its save's emit time
    markers: dict[int, str] = field(default_factory=dict)  # n-th created customer -> its display name
    unseen: bool = False  # the writer adds customers no viewer's page shows (only the empty search counts them)


class Viewer:
    """An open customers page that searches now and then and must see every new customer."""

    def __init__(self, run: Run, index: int):
        self.run, self.index = run, index
        self.session = ReflexSession(run.base_url, PAGE, signed_in())
        self.session.listeners.append(self._on_delta)
        self.ready = self.session.expect(lambda d: vars_of(d, LIST).get("loaded") is True)
        self.server_search = ""
        self.pending: deque[tuple[str, float]] = deque()
        self.latencies: list[float] = []
        self.failed = 0
        self.seen = 0  # benchmark customers this page has shown
        self.refreshes = 0  # deltas pushed by the page's listener (not answers to its own events)
        self.seen_at: dict[int, float] = {}  # n-th created customer -> when this page first held it
        self.row_checks = self.row_mismatches = self.marker_checks = 0
        self.marker_mismatches: list[str] = []
        self.count_anomalies: list[str] = []
        self._terms = (TERMS[(index + k) % len(TERMS)] for k in range(10**6))

    def _on_delta(self, delta, _events, arrived: float) -> None:
        page = vars_of(delta, LIST)
        if not page:
            return
        if "search" in page:
            self.server_search = page["search"]
            self._answer(page, arrived)
        elif page.keys() & {"rows", "counts"} and "loaded" not in page:  # a refresh: what changed of rows and counts
            self.refreshes += 1
        if self.run.unseen:
            return  # nothing this page shows changed: there is nothing to check
        counts, rows = page.get("counts"), page.get("rows")
        if counts is None or not page.get("loaded", True):
            return
        seen = counts.get("individual", 0) - self.run.base[fold(self.server_search)]
        if seen < self.seen or seen > self.run.created + 1:  # one save may be in flight
            self.count_anomalies.append(f"{self.server_search!r}: seen {seen} after {self.seen}")
        for n in range(self.seen + 1, seen + 1):
            self.seen_at[n] = arrived
        self.seen = max(self.seen, seen)
        if seen and rows is not None:
            # Rows and counts are read from one moment: the newest customer counted is row 1.
            self.marker_checks += 1
            first = rows[0]["name"] if rows else None
            if first != self.run.markers.get(seen):
                self.marker_mismatches.append(f"{seen} seen, expected {self.run.markers.get(seen)}, row 1 {first}")

    def _answer(self, page, arrived: float) -> None:
        term = page["search"]
        while self.pending and self.pending[0][0] != term:  # never answered (the server dropped it)
            self.pending.popleft()
            self.failed += 1
        if not self.pending:
            return
        _, sent = self.pending.popleft()
        latency = arrived - sent
        if latency > TIMEOUT:
            self.failed += 1
        else:
            self.latencies.append(latency)
        for row in page.get("rows", []) if term else []:
            self.row_checks += 1
            if fold(term) not in fold(" ".join((row["name"], row["email"], row["company"]))):
                self.row_mismatches += 1

    async def search(self) -> None:
        term = next(self._terms)
        self.pending.append((term, time.perf_counter()))
        await self.session.emit(f"{LIST}.set_search", value=term)

    async def search_every(self, start: float, period: float, stop: float) -> None:
        """Search at start, start + period, … until stop, whatever the answers do."""
        due = start
        while due < stop:
            await asyncio.sleep(max(0.0, due - time.perf_counter()))
            await self.search()
            due += period

    def expire(self) -> None:
        """Count searches still unanswered as failed."""
        self.failed += len(self.pending)
        self.pending.clear()


class Writer:
    """One user creating customers through the pop-up, one a second."""

    def __init__(self, run: Run):
        self.run = run
        self.session = ReflexSession(run.base_url, PAGE, signed_in())
        self.session.listeners.append(self._on_delta)
        self.ready = self.session.expect(lambda d: vars_of(d, LIST).get("loaded") is True)
        self.form: dict = {}
        self.latencies: list[float] = []
        self.failed: list[str] = []

    def _on_delta(self, delta, _events, _arrived: float) -> None:
        self.form.update(vars_of(delta, FORM))

    async def write(self) -> None:
        run = self.run
        run.attempts += 1
        n = run.created + 1  # the n-th benchmark customer, if this save succeeds
        last = f"Live{99999 - n:05d}"  # the newest sorts first
        form = {
            "first_name": "Aabench",
            "last_name": last,
            "email": f"live{run.attempts}@bench.example",
            "company_name": BENCH_COMPANY,
        }
        if run.unseen:  # matches no term and sorts last: only the empty search's count changes
            form = {
                "first_name": "Zzquiet",
                "last_name": f"Unseen{run.attempts:05d}",
                "email": f"quiet{run.attempts}@quiet.example",
            }
        opened = self.session.expect(lambda d: vars_of(d, FORM).get("open") is True)
        await self.session.emit(f"{FORM}.open_new")
        try:
            await asyncio.wait_for(opened, TIMEOUT)
        except TimeoutError:
            self.failed.append(f"open_new before customer #{n} unanswered after {TIMEOUT:.0f} s")
            return
        key = self.form["form_key"] + 1  # a successful save resets the form, which bumps form_key

        def answered(delta) -> bool:
            form_vars = vars_of(delta, FORM)
            return form_vars.get("form_key") == key or bool(form_vars.get("errors"))

        done = self.session.expect(answered)
        if not run.unseen:
            run.markers[n] = f"Aabench {last}"
        sent = run.save_sent[n] = await self.session.emit(f"{FORM}.save", form_data=form)
        try:
            arrived = await asyncio.wait_for(done, 3 * TIMEOUT)
        except TimeoutError:
            self.failed.append(f"save of customer #{n} unanswered after {3 * TIMEOUT:.0f} s")
            return
        if self.form.get("errors"):
            self.failed.append(f"save of customer #{n} refused: {self.form['errors']}")
            return
        self.latencies.append(arrived - sent)
        if run.unseen:
            run.base[""] += 1  # an individual the empty search counts from now on
        else:
            run.created = n

    async def write_every(self, period: float, stop: float) -> None:
        due = time.perf_counter()
        while due < stop:
            await asyncio.sleep(max(0.0, due - time.perf_counter()))
            await self.write()
            due = max(due + period, time.perf_counter())  # late: go on at once, but no burst to catch up


async def open_pages(sessions, concurrency: int = 10, timeout: float = 60.0) -> float:
    """Connect every session like a browser tab and wait until its page has loaded."""
    started = time.perf_counter()
    gate = asyncio.Semaphore(concurrency)

    async def one(s) -> None:
        async with gate:
            await s.session.connect(timeout=timeout)
            await asyncio.wait_for(s.ready, timeout)

    await asyncio.gather(*(one(s) for s in sessions))
    return time.perf_counter() - started


async def close_pages(sessions) -> None:
    await asyncio.gather(*(s.session.disconnect() for s in sessions), return_exceptions=True)


@contextlib.asynccontextmanager
async def opened(sessions):
    """Open the pages for the block (yields the seconds it took) and close them however it ends."""
    try:
        yield await open_pages(sessions)
    finally:
        await close_pages(sessions)


async def loop_lag(stop: asyncio.Event, samples: list[float]) -> None:
    """How late this process's own event loop wakes up (is the load generator the bottleneck?)."""
    while not stop.is_set():
        before = time.perf_counter()
        await asyncio.sleep(0.05)
        samples.append(time.perf_counter() - before - 0.05)


# --- the scenarios --------------------------------------------------------------------------------------------


async def baseline(run: Run, searches: int = 60) -> list[float]:
    """One open page, nobody writing: searches one after another."""
    viewer = Viewer(run, 0)
    async with opened([viewer]):
        await asyncio.sleep(0.5)
        for _ in range(searches):
            await viewer.search()
            while viewer.pending and time.perf_counter() - viewer.pending[0][1] < TIMEOUT:
                await asyncio.sleep(0.002)
            await asyncio.sleep(0.1)
        viewer.expire()
    if viewer.failed or viewer.row_mismatches:
        print(f"! baseline: {viewer.failed} failed searches, {viewer.row_mismatches} rows not matching")
    return viewer.latencies


async def scenario(run: Run, server: Server, n: int, seconds: float) -> dict:
    viewers = [Viewer(run, i) for i in range(n)]
    writer = Writer(run)
    log_start = len(server.log_text())
    lag: list[float] = []
    lag_stop = asyncio.Event()
    async with opened([*viewers, writer]) as connect_s:
        await asyncio.sleep(1.0)  # let every page's listener subscribe
        first_write, attempts0 = run.created + 1, run.attempts
        lag_task = asyncio.create_task(loop_lag(lag_stop, lag))
        before, t0 = server.processes(), time.perf_counter()
        stop = t0 + seconds
        try:
            await asyncio.gather(
                writer.write_every(WRITE_EVERY, stop),
                *(v.search_every(t0 + SEARCH_EVERY * i / n, SEARCH_EVERY, stop) for i, v in enumerate(viewers)),
            )
            # Drain: answers still on their way, and fan-out of the last writes.
            deadline = time.perf_counter() + DRAIN
            while time.perf_counter() < deadline and (
                any(v.pending for v in viewers) or (not run.unseen and any(v.seen < run.created for v in viewers))
            ):
                await asyncio.sleep(0.05)
        finally:
            lag_stop.set()
            await lag_task
        busy = time.perf_counter() - t0
        after = server.processes()
        for v in viewers:
            v.expire()
    writes = range(first_write, run.created + 1)

    fanout, first_viewer, reached = [], [], 0
    for w in writes:
        times = [t for v in viewers if (t := v.seen_at.get(w)) is not None]
        if len(times) == len(viewers):
            reached += 1
            fanout.append(max(times) - run.save_sent[w])
            first_viewer.append(min(times) - run.save_sent[w])
    searches = [lat for v in viewers for lat in v.latencies]
    return {
        "n": n,
        "connect_s": connect_s,
        "searches": searches,
        "search_failed": sum(v.failed for v in viewers),
        "saves": writer.latencies,
        "save_failed": writer.failed,
        "writes": len(writes),
        "saved": len(writer.latencies),
        "unseen": run.unseen,
        "attempted": run.attempts - attempts0,
        "fanout": fanout,
        "first_viewer": first_viewer,
        "refreshes_per_write": sum(v.refreshes for v in viewers) / n / max(1, len(writer.latencies)),
        "reached": reached,
        "missing": sorted({w for v in viewers for w in writes if w not in v.seen_at}),
        "never_refreshed": sum(1 for v in viewers if not any(w in v.seen_at for w in writes)),
        "row_checks": sum(v.row_checks for v in viewers),
        "row_mismatches": sum(v.row_mismatches for v in viewers),
        "marker_checks": sum(v.marker_checks for v in viewers),
        "marker_mismatches": [m for v in viewers for m in v.marker_mismatches],
        "count_anomalies": [a for v in viewers for a in v.count_anomalies],
        "error_toasts": [e for s in [*viewers, writer] for e in s.session.error_events],
        "server_cpu": sum(cpu for cpu, _ in after.values()) - sum(cpu for cpu, _ in before.values()),
        "busy": busy,
        # The workers are the processes that worked (the supervisor and the frontend's builder idle).
        "workers": sorted(((cpu - before.get(pid, (0.0, 0))[0]) / busy, rss) for pid, (cpu, rss) in after.items())[
            -server.workers :
        ],
        "client_lag_p95": pct(lag, 95),
        "client_lag_max": max(lag, default=math.nan),
        "log": log_problems(server.log_text()[log_start:]),
    }


async def leak_check(run: Run, server: Server) -> list[str]:
    """With every page closed, one more save must wake nobody: no delta for a departed page."""
    await asyncio.sleep(1.0)
    log_start = len(server.log_text())
    writer = Writer(run)
    async with opened([writer]):
        await writer.write()
        await asyncio.sleep(2.0)
    return log_problems(server.log_text()[log_start:])


def report(result: dict, idle_p95: float) -> None:
    s, n = result["searches"], result["n"]
    total = len(s) + result["search_failed"]
    p95 = pct(s, 95)
    ratio = p95 / idle_p95 if idle_p95 else math.nan
    fan = result["fanout"]
    print(
        f"N={n:<4}{' unseen writes' if result['unseen'] else ''} searches ok {len(s)}/{total}  p50 {ms(pct(s, 50))}"
        f"  p95 {ms(p95)} ({ratio:.1f}× idle)"
        f"  | saves {len(result['saves'])}/{result['attempted']} p50 {ms(pct(result['saves'], 50))}"
        f" p95 {ms(pct(result['saves'], 95))}"
        + (
            ""
            if result["unseen"]
            else f"  | write→all {n} viewers p95 {ms(pct(fan, 95))}, max {ms(max(fan, default=math.nan))},"
            f" {result['reached']}/{result['writes']} writes reached all"
        )
    )
    if result["unseen"]:
        print(
            f"       each save adds a customer no page shows: {result['refreshes_per_write']:.2f} refresh deltas per"
            f" viewer per write (only pages showing the empty search get one, their count having changed: a page"
            f" opens with it, then searches each of the {len(TERMS)} terms in turn)"
        )
    else:
        print(
            f"       fan-out: write→first viewer p50 {ms(pct(result['first_viewer'], 50))}, →last p50"
            f" {ms(pct(fan, 50))} (first 10 writes {ms(pct(fan[:10], 50))}, last 10 {ms(pct(fan[-10:], 50))});"
            f" {result['refreshes_per_write']:.2f} refreshes per viewer per write"
        )
    cpu = result["server_cpu"]
    print(
        f"       {n + 1} pages opened in {result['connect_s']:.1f} s; server CPU {cpu / result['busy']:.0%} of a core"
        f" ({cpu / max(1, result['saved']) * 1000:,.0f} ms per write, its fan-out and"
        f" the searches meanwhile); load generator's loop lag p95 {ms(result['client_lag_p95'])}"
    )
    workers = ", ".join(f"{cpu:.0%} of a core and {rss / 2**20:,.0f} MB" for cpu, rss in result["workers"])
    print(f"       per worker: {workers}")
    print(
        f"       checked {result['row_checks']:,} rows of search answers (contain the term: "
        f"{result['row_checks'] - result['row_mismatches']:,}), {result['marker_checks']:,} refreshed pages"
        f" (newest customer first: {result['marker_checks'] - len(result['marker_mismatches']):,})"
    )
    problems = []
    if result["save_failed"]:
        problems.append(f"writer: {'; '.join(result['save_failed'][:3])}")
    if result["missing"]:
        problems.append(
            f"{len(result['missing'])} writes missed by some viewer; {result['never_refreshed']} viewers"
            " never refreshed"
        )
    if result["marker_mismatches"]:
        problems.append(f"first row not the newest customer, e.g. {result['marker_mismatches'][0]}")
    if result["count_anomalies"]:
        problems.append(f"{len(result['count_anomalies'])} impossible counts, e.g. {result['count_anomalies'][0]}")
    if result["error_toasts"]:
        problems.append(f"{len(result['error_toasts'])} error toasts, e.g. {result['error_toasts'][0]}")
    if result["log"]:
        problems.append(f"{len(result['log'])} server log problem lines, e.g. {result['log'][0][:200]}")
    for problem in problems:
        print(f"       ! {problem}")


async def drive(run: Run, server: Server, sizes: list[int], seconds: float, writes: list[str]) -> None:
    before = await baseline(run)
    print(
        f"Baseline, 1 idle viewer and no writer: {len(before)} searches"
        f" p50 {ms(pct(before, 50))}  p95 {ms(pct(before, 95))}"
    )
    for n in sizes:  # each reported at once: an overloaded server may not answer the next step
        for kind in writes:
            run.unseen = kind == "unseen"
            report(await scenario(run, server, n, seconds), pct(before, 95))
    run.unseen = False
    after = await baseline(run)
    print(f"Baseline again after the scenarios: p50 {ms(pct(after, 50))}  p95 {ms(pct(after, 95))}")
    leaks = await leak_check(run, server)
    print(
        f"After every page closed, one more save: {len(leaks)} server log problem lines"
        + (f", e.g. {leaks[0][:200]}" if leaks else " (no listener left behind)")
    )


def on_sigterm(*_) -> None:
    """Outside the event loop, SIGTERM unwinds like Ctrl-C, so `finally` stops the app."""
    raise KeyboardInterrupt


async def guarded(coroutine) -> None:
    """Run the load with SIGTERM cancelling it, so every page closes and the app stops cleanly."""
    asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, asyncio.current_task().cancel)
    await coroutine


@contextlib.contextmanager
def app_run(prefix: str, server_log: Path | None, database: str = "sqlite", workers: int = 1):
    """A throw-away folder, database (a SQLite file, or a PostgreSQL schema) and the app's server for them (not
    started; several workers get a redis-server of their own), for one benchmark run: however the run ends the server
    stops and the folder, the schema and Redis go (the log kept when something failed)."""
    signal.signal(signal.SIGTERM, on_sigterm)
    started = time.perf_counter()
    workdir = Path(tempfile.mkdtemp(prefix=prefix))
    with contextlib.ExitStack() as resources:
        if database == "postgresql":
            url = resources.enter_context(postgres_schema(prefix.strip("_")))
        else:
            url = f"sqlite:///{workdir / 'bench.db'}"
        redis_url = None
        if workers > 1:
            redis = RedisServer()
            resources.callback(redis.remove)
            redis.start()
            redis_url = redis.url
        log = (server_log or workdir / "server.log").resolve()
        server = Server(app_env(url, workdir, redis_url, workers), free_port(), log, workers)
        failed = False
        try:
            yield url, server
        except (KeyboardInterrupt, SystemExit, asyncio.CancelledError):
            print("Interrupted: stopping the app.", file=sys.stderr)
            raise SystemExit(130) from None
        except BaseException:
            failed = True
            print(f"Failed; the app's log is kept at {server.log_path}:\n{server.log_tail()}", file=sys.stderr)
            raise
        finally:
            signal.signal(signal.SIGTERM, signal.SIG_IGN)  # let nothing interrupt the stop
            server.stop()
            remove_workdir(workdir, keep=server.log_path if failed else None)
    print(f"Total {time.perf_counter() - started:.0f} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[20, 100], help="open customers pages per scenario")
    parser.add_argument("--seconds", type=float, default=35.0, help="length of each scenario")
    parser.add_argument("--customers", type=int, default=2000, help="demo customers in the database")
    parser.add_argument("--server-log", type=Path, help="keep the app's output in this file")
    parser.add_argument("--database", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument("--workers", type=int, default=1, help="more than one: workers share a redis-server")
    parser.add_argument(
        "--writes",
        nargs="+",
        choices=("new", "unseen"),
        default=["new"],
        help="per size, a scenario for each: customers every page shows, or customers no page shows",
    )
    args = parser.parse_args()
    with app_run("bench_live_", args.server_log, args.database, args.workers) as (url, server):
        port = server.port
        pages = sum(args.sizes) + len(args.sizes)
        base = prepare_database(url, args.customers, pages * len(args.writes) + SPARE_SESSIONS)
        seed_web_dir()
        up = server.start()
        topology = "one worker" if args.workers == 1 else f"{args.workers} workers and Redis"
        print(
            f"Live updates: {args.customers:,} demo customers on {args.database}, {topology} (reflex run --env prod,"
            f" port {port}, up in {up:.0f} s); viewers search every {SEARCH_EVERY:.0f} s, one writer saves every"
            f" {WRITE_EVERY:.0f} s, {args.seconds:.0f} s per scenario"
        )
        run = Run(f"http://127.0.0.1:{port}", base)
        asyncio.run(guarded(drive(run, server, args.sizes, args.seconds, args.writes)))


if __name__ == "__main__":
    main()
