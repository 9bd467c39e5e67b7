"""Deployment knobs reach Reflex: the proxy hops decide which address sign-in limits see."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _config_value(attribute: str, **env: str) -> str:
    """The value rxconfig gives Reflex with the machine's environment, less TRUSTED_PROXY_HOPS, plus `env`."""
    probe = f"import rxconfig; print(rxconfig.config.{attribute})"
    base = {k: v for k, v in os.environ.items() if k not in ("TRUSTED_PROXY_HOPS", "REFLEX_TRUSTED_PROXY_HOPS")}
    result = subprocess.run(
        [sys.executable, "-c", probe],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
        env={**base, "PYTHONPATH": str(ROOT), **env},
    )
    return result.stdout.strip().splitlines()[-1]


def test_by_default_forwarded_addresses_are_ignored():
    assert _config_value("trusted_proxy_hops") == "0"


def test_behind_a_proxy_the_client_address_comes_from_the_proxy_header():
    assert _config_value("trusted_proxy_hops", TRUSTED_PROXY_HOPS="1") == "1"
