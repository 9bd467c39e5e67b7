"""A backup brings back the database, the pictures and the import files exactly; a bad archive changes nothing."""

import io
import json
import tarfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, text
from sqlmodel import Session

from customer_app.access import auth
from customer_app.access.models import StaffUser
from customer_app.core import backup, migrations
from customer_app.core.backup import BackupError
from customer_app.core.db import make_engine
from customer_app.customers.customers import create_customer
from customer_app.customers.validation import validate_customer
from customer_app.records.notes import add_note
from customer_app.transfer.models import ImportChange, ImportJob
from tests.unit.databases import postgres_schema, sqlite_engine_at

COMPARED = ("customer", "customer_note", "import_job", "import_change", "staff_user", "audit_event")
PICTURE = b"RIFF\x00\x00WEBPVP8 picture bytes"
IMPORT_FILE = b"name,email\nAda Lee,ada@example.com\n"


@pytest.fixture(params=("sqlite", "postgresql"))
def workspace(request, tmp_path: Path) -> Iterator[tuple[str, dict[str, Path]]]:
    """A migrated database of its own (the restore replaces it) and its picture and import folders."""
    folders = {"uploads": tmp_path / "uploaded_files", "imports": tmp_path / "data" / "imports"}
    if request.param == "sqlite":
        (tmp_path / "data").mkdir()
        engine = sqlite_engine_at(tmp_path / "data" / "customers.db")
        engine.dispose()
        yield str(engine.url), folders
    else:
        with postgres_schema() as engine:
            yield engine.url.render_as_string(hide_password=False), folders


def _engine(url: str) -> Engine:
    return make_engine(url)


def _fill(url: str, folders: dict[str, Path]) -> None:
    """Customers with a note, an import that created one of them, a picture and an import file."""
    engine = _engine(url)
    with Session(engine, expire_on_commit=False) as session:
        user = StaffUser(email="ada@example.com", email_key="ada@example.com", name="Ada Admin", role="admin")
        session.add(user)
        session.commit()
        actor = auth.actor_of(user, "127.0.0.1")
        ada = create_customer(
            validate_customer({"first_name": "Ada", "last_name": "Lee"}, phone_region="US"),
            actor=actor,
            session=session,
        )
        bob = create_customer(
            validate_customer({"first_name": "Bob", "last_name": "Öztürk"}, phone_region="US"),
            actor=actor,
            session=session,
        )
        session.flush()
        add_note(ada.id, "Call back on Monday", actor=actor, session=session)
        job = ImportJob(file_name="people.csv", stored_as="abc123", status="done", created_count=1)
        session.add(job)
        session.flush()
        session.add(ImportChange(job_id=job.id, customer_id=bob.id, action="create", after='{"first_name": "Bob"}'))
        session.commit()
    engine.dispose()
    (folders["uploads"] / "pictures").mkdir(parents=True)
    (folders["uploads"] / "pictures" / "k3y-512.webp").write_bytes(PICTURE)
    folders["imports"].mkdir(parents=True)
    (folders["imports"] / "abc123").write_bytes(IMPORT_FILE)


def _rows(url: str) -> dict[str, list]:
    engine = _engine(url)
    try:
        with engine.connect() as connection:
            return {t: [tuple(r) for r in connection.execute(text(f"SELECT * FROM {t} ORDER BY id"))] for t in COMPARED}
    finally:
        engine.dispose()


def _files(folders: dict[str, Path]) -> dict[str, bytes]:
    return {
        f"{name}/{path.relative_to(folder)}": path.read_bytes()
        for name, folder in folders.items()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def _change_everything(url: str, folders: dict[str, Path]) -> None:
    engine = _engine(url)
    with engine.begin() as connection:
        connection.execute(text("DELETE FROM customer_note"))
        connection.execute(text("UPDATE customer SET display_name = 'Someone else'"))
        connection.execute(text("DELETE FROM import_change"))
    engine.dispose()
    (folders["uploads"] / "pictures" / "k3y-512.webp").write_bytes(b"overwritten")
    (folders["uploads"] / "pictures" / "new-512.webp").write_bytes(b"added after the backup")
    (folders["imports"] / "abc123").unlink()


def test_a_restore_brings_back_rows_and_files_as_they_were_at_the_backup(workspace, tmp_path):
    url, folders = workspace
    _fill(url, folders)
    rows, files = _rows(url), _files(folders)
    archive = tmp_path / "backups" / "one.tar.gz"

    made = backup.create(archive, database_url=url, folders=folders)
    _change_everything(url, folders)
    assert _rows(url) != rows
    restored = backup.restore(archive, database_url=url, folders=folders)

    assert made.customers == 2
    assert restored.revision == migrations.head()
    assert _rows(url) == rows
    assert _files(folders) == files
    assert rows["customer_note"]
    assert rows["import_change"]


def test_a_backup_from_an_older_release_is_restored_then_migrated_to_this_code(workspace, tmp_path):
    url, folders = workspace
    engine = _engine(url)
    migrations.migrate(engine, _previous_revision(), down=True)
    _fill(url, folders)
    rows = _rows(url)
    archive = tmp_path / "older.tar.gz"
    assert backup.create(archive, database_url=url, folders=folders).revision == _previous_revision()
    migrations.migrate(engine)
    _change_everything(url, folders)

    backup.restore(archive, database_url=url, folders=folders)

    assert migrations.current(engine) == migrations.head()
    assert _rows(url) == rows
    engine.dispose()


def _previous_revision() -> str:
    return str(migrations._script().get_revision(migrations.head()).down_revision)  # pyright: ignore[reportOptionalMemberAccess]


def _tamper(archive: Path, target: Path, **manifest_changes) -> Path:
    """A copy of the archive whose manifest says something else."""
    with tarfile.open(archive, "r:gz") as source, tarfile.open(target, "w:gz") as copy:
        for member in source.getmembers():
            data = source.extractfile(member).read() if member.isfile() else None  # type: ignore[union-attr]
            if member.name == backup.MANIFEST:
                data = json.dumps(json.loads(data) | manifest_changes).encode()  # type: ignore[arg-type]
                member.size = len(data)
            copy.addfile(member, io.BytesIO(data) if data is not None else None)
    return target


def _refused_and_unchanged(url, folders, archive: Path, message: str) -> None:
    rows, files = _rows(url), _files(folders)
    with pytest.raises(BackupError, match=message):
        backup.restore(archive, database_url=url, folders=folders)
    assert _rows(url) == rows
    assert _files(folders) == files


def test_a_file_that_is_not_a_backup_is_refused_and_nothing_changes(workspace, tmp_path):
    url, folders = workspace
    _fill(url, folders)
    not_tar = tmp_path / "notes.tar.gz"
    not_tar.write_bytes(b"just some text")
    _refused_and_unchanged(url, folders, not_tar, "is not a backup of this workspace")

    other_tar = tmp_path / "other.tar.gz"
    with tarfile.open(other_tar, "w:gz") as archive:
        archive.add(folders["imports"], arcname="files")
    _refused_and_unchanged(url, folders, other_tar, "is not a backup of this workspace")


def test_a_backup_from_a_newer_release_is_refused_with_the_way_forward(workspace, tmp_path):
    url, folders = workspace
    _fill(url, folders)
    archive = tmp_path / "good.tar.gz"
    backup.create(archive, database_url=url, folders=folders)
    newer = _tamper(archive, tmp_path / "newer.tar.gz", revision="ffffffffffff")
    _refused_and_unchanged(url, folders, newer, "newer release.*Upgrade the code")


def test_a_damaged_database_in_a_backup_changes_nothing(workspace, tmp_path):
    url, folders = workspace
    _fill(url, folders)
    archive = tmp_path / "good.tar.gz"
    manifest = backup.create(archive, database_url=url, folders=folders)
    broken = tmp_path / "broken.tar.gz"
    with tarfile.open(archive, "r:gz") as source, tarfile.open(broken, "w:gz") as copy:
        for member in source.getmembers():
            data = source.extractfile(member).read() if member.isfile() else None  # type: ignore[union-attr]
            if member.name == backup.DATABASE_FILE[manifest.database]:
                data = data[: len(data) // 2] + b"\x00" * 4096  # type: ignore[index]
                member.size = len(data)
            copy.addfile(member, io.BytesIO(data) if data is not None else None)
    _change_everything(url, folders)
    _refused_and_unchanged(url, folders, broken, "")


def test_a_backup_of_a_postgresql_database_is_not_restored_into_sqlite(tmp_path):
    sqlite_url = str(sqlite_engine_at(tmp_path / "c.db").url)
    with postgres_schema() as engine:
        url = engine.url.render_as_string(hide_password=False)
        backup.create(tmp_path / "pg.tar.gz", database_url=url, folders={})
    with pytest.raises(BackupError, match="holds a postgresql database"):
        backup.restore(tmp_path / "pg.tar.gz", database_url=sqlite_url, folders={})
