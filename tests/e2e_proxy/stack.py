"""The production stack of this run: one frontend build, two app workers on ports of their own, and Debian's nginx in
front of them configured from deploy/nginx.conf, all in one temporary folder and killed at the end."""

import http.client
import os
import pwd
import re
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SHIPPED = ROOT / "deploy" / "nginx.conf"
NGINX = shutil.which("nginx") or next((p for p in ("/usr/sbin/nginx",) if os.access(p, os.X_OK)), None)
START_WITHIN = 300  # seconds for a build or a server to come up on a busy two-core machine
WORKER_COOKIE = "workspace_worker"  # the test's browsers pick their worker with it ("2"); anyone else gets worker 1
UPSTREAM_HEADER = "X-Workspace-Upstream"  # which worker answered (this run's nginx only)
PROXY_SOURCE = "127.0.0.2"  # nginx reaches the workers from here, so the workers see it as the peer, not the browser
_UPSTREAM = re.compile(r"^upstream customer_workspace \{.*?^\}\n", re.M | re.S)


def status(url: str, path: str) -> int:
    """The HTTP status of a GET of `path` at `url` ("http://host:port"), or 0 when nothing answers."""
    host, port = url.removeprefix("http://").split(":")
    connection = http.client.HTTPConnection(host, int(port), timeout=5)
    try:
        connection.request("GET", path)
        return connection.getresponse().status
    except OSError:
        return 0
    finally:
        connection.close()


def wait_until(ready: Callable[[], bool], process: subprocess.Popen, log: Path, what: str) -> None:
    """Poll `ready` until it holds; fail with the end of the process's log when it exits or takes too long."""
    deadline = time.monotonic() + START_WITHIN
    while not ready():
        if process.poll() is not None or time.monotonic() > deadline:
            raise RuntimeError(f"{what} did not start:\n" + log.read_text(errors="replace")[-4000:])
        time.sleep(0.5)  # the interval between polls of a starting server, not a wait for anything


def build(env: dict[str, str], folder: Path) -> None:
    """The production frontend, built once into the folder named by REFLEX_WEB_WORKDIR; it calls the backend at the
    proxy's address (REFLEX_API_URL), like a deployment's build calls PUBLIC_URL."""
    command = [sys.executable, "-m", "reflex", "export", "--frontend-only", "--no-zip", "--env", "prod"]
    with (folder / "build.log").open("w") as log:
        done = subprocess.run(
            command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, timeout=START_WITHIN, check=False
        )
    if done.returncode != 0:
        raise RuntimeError("The production build failed:\n" + (folder / "build.log").read_text()[-4000:])


def start_worker(number: int, port: int, env: dict[str, str], folder: Path) -> subprocess.Popen:
    """One app worker (granian, one process) on 127.0.0.1:`port`, ready once /api/ready says so."""
    log = folder / f"worker-{number}.log"
    with log.open("w") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "tests.e2e_proxy.worker", str(port)],
            cwd=ROOT,
            env=env | {"GRANIAN_WORKERS": "1"},
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group: stopped with everything it started
        )
    wait_until(lambda: status(f"http://127.0.0.1:{port}", "/api/ready") == 200, process, log, f"Worker {number}")
    return process


def nginx_config(folder: Path, port: int, workers: list[int]) -> str:
    """nginx's main file for this run: the shipped server block unchanged but for where it listens and which workers
    it knows, plus paths in `folder`, the cookie choosing a worker and a header naming the worker that answered."""
    site = SHIPPED.read_text()
    upstreams = "".join(
        f"upstream workspace_worker_{n} {{ server 127.0.0.1:{p}; keepalive 8; }}\n" for n, p in enumerate(workers, 1)
    )
    choices = " ".join(f'"{n}" workspace_worker_{n};' for n in range(2, len(workers) + 1))
    upstreams += f"map $cookie_{WORKER_COOKIE} $workspace_worker {{ default workspace_worker_1; {choices} }}\n"
    site, found = _UPSTREAM.subn(upstreams, site)
    assert found == 1, "deploy/nginx.conf no longer has one `upstream customer_workspace` block"
    assert "proxy_pass http://customer_workspace;" in site
    assert "    listen 80;" in site
    site = site.replace("proxy_pass http://customer_workspace;", "proxy_pass http://$workspace_worker;")
    site = site.replace("    listen 80;", f"    listen 127.0.0.1:{port};", 1)
    # Started as root, nginx would run its workers as "nobody", who may not write the temp folders in `folder`.
    user = f"user {pwd.getpwuid(0).pw_name};" if os.geteuid() == 0 else ""
    kinds = ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    temp = " ".join(f"{kind}_temp_path {folder / kind};" for kind in kinds)
    return f"""{user}
worker_processes 1;
daemon off;
pid {folder / "nginx.pid"};
error_log {folder / "error.log"} warn;
events {{ worker_connections 512; }}
http {{
    access_log {folder / "access.log"};
    {temp}
    proxy_bind {PROXY_SOURCE};
    add_header {UPSTREAM_HEADER} $upstream_addr always;
{site}
}}
"""


def start_nginx(folder: Path, port: int, workers: list[int]) -> subprocess.Popen:
    """nginx on 127.0.0.1:`port` in front of the workers, ready once it answers /api/health from worker 1."""
    assert NGINX is not None
    config = folder / "nginx.conf"
    config.write_text(nginx_config(folder, port, workers))
    log = folder / "error.log"
    command = [NGINX, "-p", str(folder), "-e", str(log), "-c", str(config)]
    checked = subprocess.run([*command, "-t"], capture_output=True, text=True, check=False)
    if checked.returncode != 0:
        raise RuntimeError(f"nginx refused the configuration:\n{checked.stderr}\n{config.read_text()}")
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    wait_until(lambda: status(f"http://127.0.0.1:{port}", "/api/health") == 200, process, log, "nginx")
    return process


def stop(process: subprocess.Popen) -> None:
    """Stop a server started here and everything it started (its own process group), nothing else."""
    if process.poll() is not None:
        return
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
