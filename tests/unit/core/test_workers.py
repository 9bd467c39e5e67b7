"""`make run` starts several workers only with Redis to share their state."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from customer_app.core.workers import refusal, requested

ROOT = Path(__file__).resolve().parents[3]


def test_one_worker_needs_no_redis():
    assert refusal({}) is None
    assert refusal({"GRANIAN_WORKERS": "1"}) is None


def test_several_workers_without_redis_are_refused_saying_what_to_set():
    why = refusal({"GRANIAN_WORKERS": "4"})
    assert why is not None
    assert "REFLEX_REDIS_URL" in why
    assert "GRANIAN_WORKERS=1" in why
    assert refusal({"GRANIAN_WORKERS": "4", "REFLEX_REDIS_URL": "  "}) is not None


def test_several_workers_with_redis_may_start():
    assert refusal({"GRANIAN_WORKERS": "4", "REFLEX_REDIS_URL": "redis://127.0.0.1:6379"}) is None
    assert requested({"GRANIAN_WORKERS": " 3 "}) == 3


@pytest.mark.parametrize("value", ["0", "-2", "four", "2.5"])
def test_a_worker_count_that_is_no_count_is_refused(value):
    assert "whole number" in (refusal({"GRANIAN_WORKERS": value}) or "")


def test_the_start_script_stops_before_serving_and_says_why():
    env = {k: v for k, v in os.environ.items() if k != "REFLEX_REDIS_URL"} | {"GRANIAN_WORKERS": "2"}
    done = subprocess.run(
        [sys.executable, "scripts/preflight.py"], cwd=ROOT, env=env, capture_output=True, text=True, check=False
    )
    assert done.returncode != 0
    assert "Not starting" in done.stderr
    assert "REFLEX_REDIS_URL" in done.stderr
    env["GRANIAN_WORKERS"] = "1"
    assert subprocess.run([sys.executable, "scripts/preflight.py"], cwd=ROOT, env=env, check=False).returncode == 0
