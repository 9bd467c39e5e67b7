"""A Redis server of a test's own on a free port (never the shared one), to kill and start again at will."""

import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path

import redis

SERVER = shutil.which("redis-server")


def free_port() -> int:
    """A TCP port nothing listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class RedisServer:
    """`redis-server` on 127.0.0.1:`port`, its files in a folder of its own."""

    def __init__(self, port: int | None = None):
        self.port, self.process, self.keep = port or free_port(), None, False
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.directory = Path(tempfile.mkdtemp(prefix="test-redis-"))

    def start(self, *, keep: bool = False) -> None:
        """Start it and wait until it answers; with `keep`, an append-only file keeps every write across restarts
        (as a production server should), without it a restart comes back empty."""
        assert SERVER is not None, "redis-server is not installed"
        self.keep = keep
        persistence = ["--appendonly", "yes"] if keep else ["--appendonly", "no"]
        args = [SERVER, "--port", str(self.port), "--bind", "127.0.0.1", "--dir", str(self.directory), "--save", ""]
        self.process = subprocess.Popen([*args, *persistence], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 10
        while True:  # ready once it answers
            try:
                redis.from_url(self.url, socket_connect_timeout=0.2).ping()
                return
            except redis.ConnectionError:
                assert self.process.poll() is None, "redis-server exited"
                assert time.monotonic() < deadline, "redis-server did not start"
                time.sleep(0.02)  # the interval between polls, not a wait for anything

    def stop(self) -> None:
        """Kill it at once, as a crash or an abrupt restart would."""
        if self.process is not None:
            self.process.kill()
            self.process.wait()
            self.process = None

    def restart(self, *, keep: bool) -> None:
        """Kill it and start it again on the same port."""
        self.stop()
        if not keep:  # nothing survives: not even files an earlier, persistent run left behind
            shutil.rmtree(self.directory, ignore_errors=True)
            self.directory.mkdir()
        self.start(keep=keep)

    def remove(self) -> None:
        """Stop it and delete its files."""
        self.stop()
        shutil.rmtree(self.directory, ignore_errors=True)
