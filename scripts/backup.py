"""Back up or restore the whole workspace: `make backup [TO=path]`, `make restore FROM=path CONFIRM=yes`.

A backup is one .tar.gz: the database (SQLite's online backup API, or pg_dump), the pictures and the import files,
with a manifest saying when, from which database and at which migration it was made. It can be taken while the app
runs. A restore replaces all of it, so it says what it would replace and goes ahead only when confirmed; the app
must be stopped (every worker), which it checks by asking the app's health address.
"""

import argparse
import sys
import urllib.request
from datetime import UTC, datetime
from http import HTTPStatus
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import make_url

from customer_app.core import backup
from customer_app.health import HEALTH_PATH
from customer_app.settings import PROJECT_ROOT, settings


def default_target() -> Path:
    """backups/customers-<UTC time>.tar.gz in the project folder."""
    return PROJECT_ROOT / "backups" / f"customers-{datetime.now(UTC):%Y%m%d-%H%M%S}.tar.gz"


def shown_url() -> str:
    """The database's address without its password."""
    return make_url(settings.database_url).render_as_string(hide_password=True)


def app_is_running(base_url: str) -> bool:
    """Whether something answers the app's health address (a running workspace)."""
    try:
        with urllib.request.urlopen(base_url + HEALTH_PATH, timeout=2) as answer:
            return answer.status == HTTPStatus.OK
    except OSError:
        return False


def run_backup(target: Path | None) -> None:
    target = (target or default_target()).resolve()
    manifest = backup.create(target, database_url=settings.database_url, folders=backup.workspace_folders())
    print(f"Backup written to {target}")
    print(f"  {manifest.database} database at migration {manifest.revision}, {manifest.customers} customers")
    print(f"  folders: {', '.join(str(backup.workspace_folders()[n]) for n in manifest.folders)}")


def run_restore(source: Path, *, confirmed: bool) -> None:
    manifest = backup.read_manifest(source)
    backup.check_restorable(manifest, database_url=settings.database_url)
    folders = backup.workspace_folders()
    print(f"Backup {source}: made {manifest.created_at}, {manifest.customers} customers, migration {manifest.revision}")
    print("Restoring it REPLACES, and loses everything written since:")
    print(f"  the database {shown_url()}")
    for name in manifest.folders:
        print(f"  the folder {folders[name]}")
    if not confirmed:
        raise SystemExit("Nothing was changed. To go ahead, run again with CONFIRM=yes (make) or --yes.")
    if app_is_running(settings.public_url):
        raise SystemExit(f"The workspace still answers at {settings.public_url}: stop every worker first.")
    backup.restore(source, database_url=settings.database_url, folders=folders)
    print("Restored. Start the workspace again (make run).")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Back up or restore the whole workspace.")
    commands = parser.add_subparsers(dest="command", required=True)
    make = commands.add_parser("backup", help="write a backup archive")
    make.add_argument("target", nargs="?", type=Path, help="archive to write (default: backups/)")
    undo = commands.add_parser("restore", help="replace the database and files with a backup's")
    undo.add_argument("source", type=Path)
    undo.add_argument("--yes", action="store_true", help="replace without asking again")
    args = parser.parse_args(argv)
    try:
        if args.command == "backup":
            run_backup(args.target)
        else:
            run_restore(args.source, confirmed=args.yes)
    except backup.BackupError as exc:
        raise SystemExit(str(exc)) from exc


if __name__ == "__main__":
    main()
