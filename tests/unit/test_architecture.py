"""House rules that keep the code base livable: layering, and migrations that match the models."""

import ast
import os
import subprocess
import sys
from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect, text
from sqlmodel import Session, SQLModel

import customer_app.schema  # noqa: F401  (registers every table on the metadata)
from customer_app.core.permissions import Actor, Role
from customer_app.customers.customers import create_customer
from customer_app.customers.queries import count_customers
from customer_app.customers.validation import validate_customer
from tests.unit.accounts import READER
from tests.unit.databases import migrate, postgres_schema, sqlite_engine_at

ROOT = Path(__file__).resolve().parents[2]
UI_FREE_PACKAGES = ("customer_app/core",)


def reflex_imports(source: str) -> list[int]:
    """Line numbers of every `import reflex...` / `from reflex... import` (reflex_* packages included)."""
    lines = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            modules = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0:
            modules = [node.module or ""]
        else:
            continue
        if any(m == "reflex" or m.startswith(("reflex.", "reflex_")) for m in modules):
            lines.append(node.lineno)
    return sorted(lines)


def test_models_and_services_never_import_reflex():
    modules = [p for package in UI_FREE_PACKAGES for p in sorted((ROOT / package).rglob("*.py"))]
    assert len(modules) >= 5  # the packages are where this test thinks they are
    hits = [f"{m.relative_to(ROOT)}:{line}" for m in modules for line in reflex_imports(m.read_text())]
    assert hits == []


def test_the_import_check_notices_every_way_of_importing_reflex():
    source = (
        "import os\nimport reflex as rx\nfrom reflex.state import State\nfrom reflex_base import x\n"
        "def f():\n    import reflex.event\nfrom .reflexive import y\nimport reflexive\n"
    )
    assert reflex_imports(source) == [2, 3, 4, 6]


def test_importing_models_and_services_does_not_load_reflex_even_indirectly():
    modules = [
        ".".join(p.relative_to(ROOT).with_suffix("").parts)
        for package in UI_FREE_PACKAGES
        for p in sorted((ROOT / package).glob("*.py"))
    ]
    probe = (
        f"import sys\nfor m in {modules!r}:\n    __import__(m)\n"
        "print(sorted(m for m in sys.modules if m.startswith('reflex')))"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    assert result.stdout.strip() == "[]"


# --- migrations ---------------------------------------------------------------------------------------------


def include_object(obj, name, type_, reflected, compare_to):
    """The filter of alembic/env.py: hand-written search structures are not the models' business."""
    if type_ == "table" and (name == "customer_fts" or name.startswith("customer_fts_")):
        return False
    return not (type_ == "index" and name == "ix_customer_search_trgm")


def drift(engine) -> list:
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"include_object": include_object})
        return compare_metadata(context, SQLModel.metadata)


def test_sqlite_migrations_match_the_models(tmp_path):
    engine = sqlite_engine_at(tmp_path / "drift.db")
    try:
        assert drift(engine) == []
    finally:
        engine.dispose()


def test_postgresql_migrations_match_the_models():
    with postgres_schema() as engine:
        assert drift(engine) == []


def test_drift_check_notices_an_index_the_migrations_lack(tmp_path):
    engine = sqlite_engine_at(tmp_path / "drift.db")
    try:
        with engine.begin() as connection:
            connection.execute(text("DROP INDEX ix_customer_active_phone"))
        assert [diff[0] for diff in drift(engine)] == ["add_index"]
    finally:
        engine.dispose()


def schema_objects(engine) -> set[str]:
    with engine.connect() as connection:
        if engine.dialect.name == "sqlite":
            rows = connection.execute(text("SELECT type || ':' || name FROM sqlite_master")).scalars()
            return {row for row in rows if "alembic_version" not in row}
        inspector = inspect(connection)
        return {f"table:{t}" for t in inspector.get_table_names() if t != "alembic_version"} | {
            f"index:{i['name']}" for t in inspector.get_table_names() for i in inspector.get_indexes(t)
        }


def test_sqlite_downgrade_to_base_removes_everything_and_upgrade_rebuilds_it(tmp_path):
    engine = sqlite_engine_at(tmp_path / "roundtrip.db")
    try:
        migrated = schema_objects(engine)
        assert {"table:customer", "table:customer_fts", "trigger:customer_fts_insert"} <= migrated
        migrate(engine, "base", down=True)
        assert schema_objects(engine) == set()
        migrate(engine)
        assert schema_objects(engine) == migrated
        assert drift(engine) == []
    finally:
        engine.dispose()


def test_postgresql_downgrade_to_base_removes_everything_and_upgrade_rebuilds_it():
    with postgres_schema() as engine:
        migrated = schema_objects(engine)
        assert {"table:customer", "index:ix_customer_search_trgm"} <= migrated
        migrate(engine, "base", down=True)
        assert schema_objects(engine) == set()
        migrate(engine)
        assert schema_objects(engine) == migrated


def test_search_index_works_after_a_downgrade_and_upgrade(tmp_path):
    engine = sqlite_engine_at(tmp_path / "again.db")
    try:
        migrate(engine, "base", down=True)
        migrate(engine)
        with Session(engine) as session:
            data = validate_customer({"first_name": "Zoë", "last_name": "Ångström"}, phone_region="US")
            admin = Actor(id=1, email="ada@example.com", name="Ada Admin", role=Role.ADMIN)  # no account row needed
            create_customer(data, actor=admin, session=session)
            session.commit()
            assert count_customers("individual", "angstr", actor=READER, session=session) == 1
    finally:
        engine.dispose()
