"""Copy a database into a file and back: SQLite through its online backup API, PostgreSQL through pg_dump/pg_restore.

Both directions are all-or-nothing. SQLite's backup API copies a consistent snapshot while the app keeps writing, and
writes the destination in one transaction; PostgreSQL's restore runs as one psql transaction that first drops what
the schema holds, so a failure anywhere leaves the database as it was.
"""

import os
import re
import shutil
import sqlite3
import subprocess
from pathlib import Path
from urllib.parse import unquote

from sqlalchemy import make_url, text
from sqlalchemy.engine import URL

from customer_app.core.db import make_engine


class BackupError(Exception):
    """A backup or restore that cannot go ahead; the message says why and what to do."""


def kind(database_url: str) -> str:
    """ "sqlite" or "postgresql" (anything else is refused)."""
    name = make_url(database_url).get_backend_name()
    if name not in ("sqlite", "postgresql"):
        raise BackupError(f"Backups support SQLite and PostgreSQL, not {name}.")
    return name


def sqlite_path(database_url: str) -> Path:
    """The file of a SQLite URL (an in-memory database has none)."""
    database = make_url(database_url).database
    if not database or database == ":memory:":
        raise BackupError("This SQLite database lives in memory: there is no file to back up or restore.")
    return Path(database)


def dump(database_url: str, target: Path) -> None:
    """Write the database into `target` (a SQLite file, or pg_dump's custom format)."""
    if kind(database_url) == "sqlite":
        source = sqlite_path(database_url)
        if not source.exists():
            raise BackupError(f"There is no database at {source}: nothing to back up.")
        _sqlite_copy(source, target)
    else:
        _run(
            [_pg_tool("pg_dump", database_url), "-Fc", "--no-owner", *_schema_args(database_url), "-f", str(target)],
            database_url,
        )


def load(database_url: str, source: Path) -> None:
    """Replace the database's contents with `source` in one transaction (nothing changes if it fails)."""
    if kind(database_url) == "sqlite":
        target = sqlite_path(database_url)
        target.parent.mkdir(parents=True, exist_ok=True)
        _sqlite_copy(source, target)
    else:
        _pg_load(database_url, source)


def check_copy(database_url: str, copy: Path) -> None:
    """Refuse a SQLite copy that is damaged, before it replaces anything (pg_restore checks its own format)."""
    if kind(database_url) != "sqlite":
        return
    try:
        with sqlite3.connect(f"file:{copy}?mode=ro", uri=True) as connection:
            verdict = connection.execute("PRAGMA integrity_check").fetchone()[0]
    except sqlite3.DatabaseError as exc:
        raise BackupError(f"The database in this backup cannot be read: {exc}.") from exc
    if verdict != "ok":
        raise BackupError(f"The database in this backup is damaged: {verdict}.")


def _sqlite_copy(source: Path, target: Path) -> None:
    # One step (pages=-1) copies the whole file inside one read transaction of the source and one write transaction
    # of the target: readers see the old database or the new one, never a mix.
    with sqlite3.connect(source, timeout=30) as src, sqlite3.connect(target, timeout=30) as dst:
        src.backup(dst)
    src.close()
    dst.close()


# --- PostgreSQL -------------------------------------------------------------------------------------------------


def _libpq(database_url: str) -> tuple[str, dict[str, str]]:
    """The connection string for libpq's tools, and the environment carrying the password (never on the command
    line, where `ps` would show it)."""
    url: URL = make_url(database_url)
    env = dict(os.environ)
    if url.password:
        env["PGPASSWORD"] = str(url.password)
    plain = url.set(drivername="postgresql", password=None)
    return plain.render_as_string(hide_password=False), env


def schema(database_url: str) -> str:
    """The schema the app's tables live in: the first of a `search_path` option, else public."""
    options = unquote(str(make_url(database_url).query.get("options", "")))
    found = re.search(r"search_path=([A-Za-z_][A-Za-z0-9_]*)", options)
    return found.group(1) if found else "public"


def _schema_args(database_url: str) -> list[str]:
    # A URL naming a schema of its own backs up that schema only; otherwise the whole database.
    name = schema(database_url)
    return [] if name == "public" else ["--schema", name]


def _pg_tool(name: str, database_url: str) -> str:
    """The path of pg_dump, pg_restore or psql, refused when missing or older than the server."""
    path = shutil.which(name)
    if path is None:
        raise BackupError(f"{name} is missing: run `make install` (or `apt-get install postgresql-client`).")
    version = subprocess.run([path, "--version"], capture_output=True, text=True, check=False).stdout
    found = re.search(r"\)\s+(\d+)", version)  # "pg_dump (PostgreSQL) 15.20 (Debian ...)"
    tool_major = int(found.group(1)) if found else 0
    server_major = _server_major(database_url)
    if tool_major < server_major:
        raise BackupError(
            f"{name} is version {tool_major} but the server runs PostgreSQL {server_major}: "
            f"install postgresql-client-{server_major}."
        )
    return path


def _server_major(database_url: str) -> int:
    engine = make_engine(database_url)
    try:
        with engine.connect() as connection:
            return int(connection.execute(text("SHOW server_version_num")).scalar_one()) // 10000
    finally:
        engine.dispose()


def _run(command: list[str], database_url: str, *, stdin=None) -> None:
    conninfo, env = _libpq(database_url)
    command = [*command, "--dbname", conninfo]
    done = subprocess.run(command, env=env, stdin=stdin, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise BackupError(f"{Path(command[0]).name} failed: {done.stderr.strip()[-2000:]}")


def _pg_load(database_url: str, source: Path) -> None:
    """pg_restore writes SQL; psql runs it after dropping the schema's tables, all in one transaction."""
    pg_restore, psql = _pg_tool("pg_restore", database_url), _pg_tool("psql", database_url)
    conninfo, env = _libpq(database_url)
    script = subprocess.run(
        [pg_restore, "--clean", "--if-exists", "--no-owner", "--no-privileges", "-f", "-", str(source)],
        capture_output=True,
        check=False,
    )
    if script.returncode != 0:
        raise BackupError(f"pg_restore cannot read the database in this backup: {script.stderr.decode()[-2000:]}")
    prelude = _drop_tables_sql(database_url)
    command = [psql, "-X", "-q", "-v", "ON_ERROR_STOP=1", "--single-transaction", "-c", prelude, "-f", "-"]
    done = subprocess.run([*command, conninfo], input=script.stdout, env=env, capture_output=True, check=False)
    if done.returncode != 0:
        raise BackupError(f"Restoring the database failed, nothing was changed: {done.stderr.decode()[-2000:]}")


def _drop_tables_sql(database_url: str) -> str:
    # Tables and functions (e.g. the tab counts' trigger function) a later migration added are not in an older
    # backup: --clean would leave them behind, and a function left in the schema stops the schema being dropped.
    name = schema(database_url)
    engine = make_engine(database_url)
    try:
        with engine.connect() as connection:
            tables = connection.execute(
                text("SELECT tablename FROM pg_tables WHERE schemaname = :s"), {"s": name}
            ).scalars()
            quoted = [f'"{name}"."{table}"' for table in tables]
            functions = connection.execute(text(_OWN_FUNCTIONS), {"s": name}).scalars().all()
    finally:
        engine.dispose()
    drops = [f"DROP TABLE IF EXISTS {', '.join(quoted)} CASCADE;"] if quoted else []
    drops += [f"DROP FUNCTION IF EXISTS {function} CASCADE;" for function in functions]
    return " ".join(drops) or "SELECT 1;"


# The schema's own functions (not an extension's), each as a quoted signature DROP FUNCTION accepts.
_OWN_FUNCTIONS = (
    "SELECT quote_ident(n.nspname) || '.' || quote_ident(p.proname) || '(' || "
    "pg_get_function_identity_arguments(p.oid) || ')' FROM pg_proc AS p JOIN pg_namespace AS n ON n.oid = "
    "p.pronamespace WHERE n.nspname = :s AND NOT EXISTS (SELECT 1 FROM pg_depend AS d WHERE d.objid = p.oid "
    "AND d.deptype = 'e')"
)
