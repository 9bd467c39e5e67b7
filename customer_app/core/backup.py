"""One archive holding everything a workspace keeps: the database, pictures and private files, and a manifest.

Layout of the .tar.gz: `manifest.json` first, then `database.sqlite3` or `database.pgdump`, then each folder under
`files/<name>/`. A restore reads and checks the whole archive into a temporary folder before it replaces anything,
swaps the database in one transaction, then each folder by renaming (the old folder goes only once the new one is in
place).
"""

import io
import json
import os
import shutil
import subprocess
import tarfile
import tempfile
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import text

from customer_app.core import backup_db, migrations
from customer_app.core.backup_db import BackupError
from customer_app.core.db import make_engine
from customer_app.settings import settings

FORMAT = "customer-workspace-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
DATABASE_FILE = {"sqlite": "database.sqlite3", "postgresql": "database.pgdump"}
PROJECT_ROOT = Path(__file__).resolve().parents[2]

__all__ = ["BackupError", "Manifest", "create", "read_manifest", "restore"]


@dataclass(frozen=True)
class Manifest:
    """What a backup holds and which code made it."""

    created_at: str
    database: str
    revision: str
    folders: list[str]
    customers: int
    commit: str = ""
    format: str = FORMAT
    version: int = FORMAT_VERSION


def create(target: Path, *, database_url: str, folders: dict[str, Path]) -> Manifest:
    """Write a backup of the database and `folders` (name -> path) to `target`, complete or not at all."""
    kind = backup_db.kind(database_url)
    revision, customers = _database_facts(database_url)
    manifest = Manifest(
        created_at=datetime.now(UTC).isoformat(timespec="seconds"),
        database=kind,
        revision=revision,
        folders=sorted(folders),
        customers=customers,
        commit=_commit(),
    )
    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=target.parent, prefix=".backup-") as work:
        database = Path(work) / DATABASE_FILE[kind]
        backup_db.dump(database_url, database)
        partial = Path(work) / "archive.tar.gz"
        with tarfile.open(partial, "w:gz") as archive:
            _add_bytes(archive, MANIFEST, json.dumps(asdict(manifest), indent=2).encode())
            archive.add(database, arcname=database.name)
            for name, folder in sorted(folders.items()):
                if folder.is_dir():
                    archive.add(folder, arcname=f"files/{name}", filter=_regular_only)
        partial.chmod(0o600)  # it holds every customer's personal data and the staff's password hashes
        os.replace(partial, target)  # a half-written archive never carries the backup's name
    return manifest


def read_manifest(archive_path: Path) -> Manifest:
    """The manifest of a backup, or BackupError when the file is not one of this workspace's backups."""
    try:
        with tarfile.open(archive_path, "r:gz") as archive:
            member = archive.next()
            if member is None or member.name != MANIFEST or not member.isfile():
                raise BackupError(f"{archive_path} is not a backup of this workspace (it has no manifest).")
            raw = json.loads(archive.extractfile(member).read())  # type: ignore[union-attr]
    except (OSError, tarfile.TarError, EOFError, ValueError) as exc:
        raise BackupError(f"{archive_path} is not a backup of this workspace ({exc}).") from exc
    if not isinstance(raw, dict) or raw.get("format") != FORMAT:
        raise BackupError(f"{archive_path} is not a backup of this workspace.")
    if raw.get("version") != FORMAT_VERSION:
        raise BackupError(f"{archive_path} was written in backup format {raw.get('version')}; this code reads 1.")
    try:
        return Manifest(**raw)
    except TypeError as exc:
        raise BackupError(f"{archive_path} has a damaged manifest.") from exc


def check_restorable(manifest: Manifest, *, database_url: str) -> None:
    """Refuse a backup of another kind of database, or one from a migration this code does not have."""
    kind = backup_db.kind(database_url)
    if manifest.database != kind:
        raise BackupError(f"This backup holds a {manifest.database} database; DATABASE_URL points to {kind}.")
    if not migrations.known(manifest.revision):
        raise BackupError(
            f"This backup comes from a newer release (database migration {manifest.revision}, which this code "
            "does not have). Upgrade the code to that release first, then restore."
        )


def restore(archive_path: Path, *, database_url: str, folders: dict[str, Path]) -> Manifest:
    """Replace the database and `folders` with the backup's; on any refusal or failure nothing has changed."""
    manifest = read_manifest(archive_path)
    check_restorable(manifest, database_url=database_url)
    kind = manifest.database
    staging = _staging_parent(database_url)
    with tempfile.TemporaryDirectory(dir=staging, prefix=".restore-") as work:
        unpacked = Path(work)
        _unpack(archive_path, unpacked)
        database = unpacked / DATABASE_FILE[kind]
        if not database.is_file():
            raise BackupError(f"{archive_path} holds no database.")
        backup_db.check_copy(database_url, database)
        kept = {name: folder for name, folder in folders.items() if name in manifest.folders}
        incoming = {folder: _stage_folder(unpacked / "files" / name, folder) for name, folder in kept.items()}
        try:
            backup_db.load(database_url, database)
        except BaseException:
            for staged in incoming.values():
                shutil.rmtree(staged, ignore_errors=True)
            raise
        for folder, staged in incoming.items():
            _swap_in(staged, folder)
    if manifest.revision != migrations.head():
        engine = make_engine(database_url)
        try:
            migrations.migrate(engine)  # an older backup is brought up to this code's schema
        finally:
            engine.dispose()
    return manifest


def _database_facts(database_url: str) -> tuple[str, int]:
    """The database's migration and its number of customers (shown before a restore, to tell backups apart)."""
    engine = make_engine(database_url)
    try:
        revision = migrations.current(engine)
        if not revision:
            raise BackupError("The database has no migrations applied: run `make migrate` first.")
        with engine.connect() as connection:
            customers = connection.execute(text("SELECT count(*) FROM customer")).scalar_one()
        return revision, int(customers)
    finally:
        engine.dispose()


def _commit() -> str:
    """The code's git commit, when it is a checkout (cheap; empty otherwise)."""
    try:
        done = subprocess.run(
            ["git", "-C", str(PROJECT_ROOT), "rev-parse", "--short", "HEAD"],
            capture_output=True,
            text=True,
            timeout=5,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return ""
    return done.stdout.strip() if done.returncode == 0 else ""


def _add_bytes(archive: tarfile.TarFile, name: str, data: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size, info.mtime, info.mode = len(data), int(datetime.now(UTC).timestamp()), 0o600
    archive.addfile(info, io.BytesIO(data))


def _regular_only(info: tarfile.TarInfo) -> tarfile.TarInfo | None:
    # Links could point anywhere on the server; the workspace stores only plain files.
    return info if info.isfile() or info.isdir() else None


def _staging_parent(database_url: str) -> Path:
    """Where a restore unpacks: beside the SQLite file (so the copy is on the same disk), else a temp folder."""
    if backup_db.kind(database_url) == "sqlite":
        parent = backup_db.sqlite_path(database_url).resolve().parent
        parent.mkdir(parents=True, exist_ok=True)
        return parent
    return Path(tempfile.gettempdir())


def _unpack(archive_path: Path, into: Path) -> None:
    """Extract every member; the "data" filter refuses absolute paths, `..`, links outside and device files."""
    try:
        with tarfile.open(archive_path, "r:gz") as archive:
            archive.extractall(into, filter="data")
    except (OSError, tarfile.TarError, EOFError) as exc:
        raise BackupError(f"{archive_path} is damaged and cannot be unpacked ({exc}); nothing was changed.") from exc


def _stage_folder(new: Path, folder: Path) -> Path:
    """A copy of the backup's folder beside `folder` (same disk, so putting it in place is a rename)."""
    folder.parent.mkdir(parents=True, exist_ok=True)
    incoming = Path(tempfile.mkdtemp(dir=folder.parent, prefix=f".{folder.name}-incoming-"))
    incoming.chmod(folder.stat().st_mode & 0o777 if folder.exists() else 0o755)
    if new.is_dir():
        shutil.copytree(new, incoming, dirs_exist_ok=True)
    return incoming


def _swap_in(incoming: Path, folder: Path) -> None:
    """Put `incoming` where `folder` is, then remove the old folder."""
    old = folder.with_name(f".{folder.name}-replaced")
    shutil.rmtree(old, ignore_errors=True)
    if folder.exists():
        folder.rename(old)
    incoming.rename(folder)
    shutil.rmtree(old, ignore_errors=True)


def workspace_folders() -> dict[str, Path]:
    """The folders a backup carries: pictures (the public upload folder) and import files with their reports.

    Exports and documents' PDFs are left out: they are short-lived copies, deleted within the hour and made again
    from the database on request.
    """
    return {"uploads": settings.upload_dir, "imports": settings.import_dir}
