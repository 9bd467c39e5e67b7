"""The hourly round removes what nobody needs any more and keeps what someone might."""

import os
import time
from datetime import timedelta

from sqlmodel import Session, select

from customer_app import housekeeping
from customer_app.core import jobs
from customer_app.core.columns import utcnow
from customer_app.core.models import BackgroundJob
from customer_app.transfer import export, import_uploads, imports
from customer_app.transfer.models import ImportJob


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


def test_jobs_that_ended_a_month_ago_are_forgotten_and_the_rest_kept(app_db):
    with Session(app_db) as session:
        old, recent, running = (
            BackgroundJob(kind="export", status="done", finished_at=utcnow() - jobs.KEPT - timedelta(hours=1)),
            BackgroundJob(kind="export", status="failed", finished_at=utcnow() - timedelta(days=1)),
            BackgroundJob(kind="import", status="running"),
        )
        session.add_all([old, recent, running])
        session.commit()
        old_id = old.id
    housekeeping.sweep_once()
    with Session(app_db) as session:
        assert session.get(BackgroundJob, old_id) is None
        assert len(session.exec(select(BackgroundJob)).all()) == 2


def test_uploads_nobody_imported_within_a_day_are_deleted_on_the_timer(app_db, admin, tmp_path, monkeypatch):
    monkeypatch.setenv("IMPORT_DIR", str(tmp_path / "imports"))
    monkeypatch.setenv("EXPORT_DIR", str(tmp_path / "exports"))
    with Session(app_db, expire_on_commit=False) as session:
        old = import_uploads.store_upload(
            [b"Name,Email\nAda,ada@example.com\n"], "old.csv", actor=admin, session=session
        )
        old.created_at -= imports.ABANDONED_AFTER
        session.commit()
    old_file = imports.upload_path(old)
    assert old_file.exists()
    housekeeping.sweep_once()
    assert not old_file.exists()
    with Session(app_db) as session:
        assert session.get(ImportJob, old.id).status == "cancelled"
