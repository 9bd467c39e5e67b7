"""The hourly round removes what nobody needs any more and keeps what someone might."""

import os
import time

from customer_app import housekeeping
from customer_app.transfer import export


def test_exports_whose_links_have_expired_are_deleted_on_the_timer(app_db, tmp_path, monkeypatch):
    monkeypatch.setenv("EXPORT_DIR", str(tmp_path))
    stale, recent = tmp_path / "stale.xlsx", tmp_path / "recent.csv"
    stale.write_bytes(b"customer data")
    recent.write_bytes(b"being downloaded")
    long_ago = time.time() - export.EXPORTS_KEPT - 60
    os.utime(stale, (long_ago, long_ago))
    housekeeping.sweep_once()
    assert not stale.exists()
    assert recent.exists()


def test_a_round_with_nothing_to_do_changes_nothing(app_db, tmp_path, monkeypatch):
    monkeypatch.setenv("EXPORT_DIR", str(tmp_path / "never-made"))
    housekeeping.sweep_once()
    assert not (tmp_path / "never-made").exists()
