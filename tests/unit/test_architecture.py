"""House rules that keep the code base livable: layering, no reflex below the UI, migrations matching the models."""

import ast
import os
import subprocess
import sys
from collections import deque
from pathlib import Path
from typing import NamedTuple

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

# --- the import graph ---------------------------------------------------------------------------------------

Graph = dict[str, set[str]]


def module_name(path: Path, top: Path = ROOT) -> str:
    """customer_app/a/b.py -> customer_app.a.b (relative to the folder holding the app); __init__.py is the package."""
    parts = path.relative_to(top).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports_in(tree: ast.AST, package: str, modules: set[str]) -> set[str]:
    """The modules among `modules` that a file's import statements import, those inside functions too."""
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:  # relative to the importing module's package
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            names = [f"{base}.{alias.name}" for alias in node.names if f"{base}.{alias.name}" in modules] or [base]
        else:
            continue
        for named in names:
            name = named
            while name and name not in modules:  # `import a.b.name` and `from a.b import name` import a.b
                name = name.rpartition(".")[0]
            found |= {name} if name else set()
    return found


def import_graph(root: Path = ROOT / "customer_app") -> Graph:
    """{module: the app's modules it imports}, read from the source of every file under `root`."""
    files = {module_name(path, root.parent): path for path in sorted(root.rglob("*.py"))}
    graph = {}
    for name, path in files.items():
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        graph[name] = imports_in(ast.parse(path.read_text()), package, set(files)) - {name}
    return graph


# --- the rules ----------------------------------------------------------------------------------------------

# A package imports only itself, packages of earlier layers and the leaves; packages of one layer are peers.
LAYERS = [
    {"core"},
    {"ui"},
    {"access"},
    {"audit"},
    {"customers"},
    {"records"},
    {"transfer", "commerce"},
    {"portal"},
    {"admin", "customer_page"},
    {"pages"},
]
RANK = {package: rank for rank, layer in enumerate(LAYERS) for package in layer}
LEAVES = {"customer_app", "customer_app.settings", "customer_app.errors", "customer_app.routes"}
# Above every layer: the app, its API routes and the pieces it wires in (upload limit, housekeeping, event check), and
# schema.py (it lists every package's tables for alembic).
APP = {
    "customer_app.customer_app",
    "customer_app.api",
    "customer_app.schema",
    "customer_app.housekeeping",
    "customer_app.failures",
    "customer_app.job_worker",
    "customer_app.upload_limit",
    "customer_app.security_headers",
    "customer_app.origins",
    "customer_app.event_check",
    "customer_app.health",
    "customer_app.request_log",
}
# Inside a package: views -> state -> services and models, never back.
BACKWARD = {("state", "view"), ("service", "state"), ("service", "view")}

# Temporary: imports that break the rules today and are being removed in changes made in parallel. Delete an
# entry together with its import (a test below fails when an entry no longer matches a real import).
KNOWN_EXCEPTIONS = {}


class Violation(NamedTuple):
    """A broken rule: which module imports which (for a cycle, `imported` spells out the whole loop)."""

    rule: str
    module: str
    imported: str


def package_of(module: str) -> str:
    """The capability package a module belongs to ("" for the leaves and the app)."""
    return "" if module in LEAVES | APP else module.split(".")[1]


def kind_of(module: str) -> str:
    """view (views/ folders and the page compositions), state (state/ folders) or service (everything else)."""
    folders = module.split(".")[2:]
    if "views" in folders or package_of(module) == "pages":
        return "view"
    return "state" if "state" in folders else "service"


def rank_of(module: str) -> int:
    """The module's layer; the leaves come before every layer, the app and unknown packages after them all."""
    if module in LEAVES:
        return -1
    return RANK.get(package_of(module), len(LAYERS))


def broken_rules(module: str, imported: str) -> list[str]:
    """The rules one import breaks."""
    if module in APP:
        return []
    same_package = package_of(module) == package_of(imported) and module not in LEAVES
    rules = []
    if not (same_package or imported in LEAVES or rank_of(imported) < rank_of(module)):
        rules.append("package order")
    if (kind_of(module), kind_of(imported)) in BACKWARD:
        rules.append("views -> state -> services")
    if package_of(module) == "ui" and (
        kind_of(imported) == "state" or not (package_of(imported) in ("ui", "core") or imported in LEAVES)
    ):
        rules.append("ui purity")
    return rules


def shortest_loop(start: str, graph: Graph) -> list[str]:
    """The shortest chain of imports leading from `start` back to itself ([] when there is none)."""
    paths, queue = {start: [start]}, deque([start])
    while queue:
        module = queue.popleft()
        for imported in sorted(graph.get(module, ())):
            if imported == start:
                return [*paths[module], start]
            if imported not in paths:
                paths[imported] = [*paths[module], imported]
                queue.append(imported)
    return []


def violations(graph: Graph) -> list[Violation]:
    """Every rule the import graph breaks: package order, views -> state -> services, ui purity, and cycles."""
    found = [Violation(rule, m, i) for m in graph for i in graph[m] for rule in broken_rules(m, i)]
    unplaced = [m for m in graph if rank_of(m) == len(LAYERS) and m not in APP]
    found += [Violation("package order", m, "(its package is in no layer)") for m in unplaced]
    looped: set[str] = set()
    for module in sorted(graph):
        loop = [] if module in looped else shortest_loop(module, graph)
        looped |= set(loop)
        found += [Violation("cycle", module, " -> ".join(loop))] if loop else []
    return sorted(set(found))


def real_graph() -> Graph:
    """The app's import graph without the known exceptions."""
    graph = import_graph()
    return {module: imported - {i for m, i in KNOWN_EXCEPTIONS if m == module} for module, imported in graph.items()}


def broken(rule: str, graph: Graph) -> list[Violation]:
    return [v for v in violations(graph) if v.rule == rule]


def test_the_import_graph_sees_every_kind_of_import(tmp_path):
    package = tmp_path / "customer_app"
    (package / "shop").mkdir(parents=True)
    for name in ("__init__", "settings", "shop/__init__", "shop/models", "shop/prices", "shop/orders"):
        (package / f"{name}.py").write_text("")
    (package / "shop" / "orders.py").write_text(
        "import os\nimport customer_app.settings\nfrom .models import Order, Line\n"
        "def total():\n    from customer_app.shop import prices\n"
    )
    graph = import_graph(package)
    assert graph["customer_app.shop.orders"] == {
        "customer_app.settings",
        "customer_app.shop.models",
        "customer_app.shop.prices",
    }
    assert graph["customer_app.shop.models"] == set()


def test_the_import_graph_covers_the_whole_app():
    graph = import_graph()
    assert len(graph) == len(list((ROOT / "customer_app").rglob("*.py")))
    assert "customer_app.customers.customers" in graph["customer_app.customers.state.customer_list"]


def test_packages_import_only_earlier_layers_and_the_leaves():
    assert broken("package order", real_graph()) == []


def test_package_order_notices_a_later_layer_a_peer_and_a_package_in_no_layer():
    graph = {
        "customer_app.customers.customers": {"customer_app.records.notes", "customer_app.settings"},
        "customer_app.records.notes": {"customer_app.transfer.export", "customer_app.customers.customers"},
        "customer_app.transfer.export": {"customer_app.core.db"},
        "customer_app.core.db": {"customer_app.errors"},
        "customer_app.settings": {"customer_app.core.db"},
        "customer_app.shop.orders": set(),
    }
    assert set(broken("package order", graph)) == {
        Violation("package order", "customer_app.customers.customers", "customer_app.records.notes"),
        Violation("package order", "customer_app.records.notes", "customer_app.transfer.export"),
        Violation("package order", "customer_app.settings", "customer_app.core.db"),
        Violation("package order", "customer_app.shop.orders", "(its package is in no layer)"),
    }


def test_inside_a_package_views_use_state_and_state_uses_services():
    assert broken("views -> state -> services", real_graph()) == []


def test_the_direction_check_notices_state_importing_views_and_services_importing_state_or_views():
    graph = {
        "customer_app.records.views.notes": {"customer_app.records.state.notes", "customer_app.records.notes"},
        "customer_app.records.state.notes": {"customer_app.records.views.notes", "customer_app.records.notes"},
        "customer_app.records.notes": {"customer_app.records.state.notes", "customer_app.customers.views.table"},
        "customer_app.customers.views.table": set(),
    }
    assert set(broken("views -> state -> services", graph)) == {
        Violation("views -> state -> services", "customer_app.records.state.notes", "customer_app.records.views.notes"),
        Violation("views -> state -> services", "customer_app.records.notes", "customer_app.records.state.notes"),
        Violation("views -> state -> services", "customer_app.records.notes", "customer_app.customers.views.table"),
    }


def test_ui_imports_no_state_and_no_package_but_core():
    assert broken("ui purity", real_graph()) == []


def test_ui_purity_notices_a_state_and_another_package():
    graph = {
        "customer_app.ui.pager": {"customer_app.ui.paging", "customer_app.routes", "customer_app.ui.state.table"},
        "customer_app.ui.avatar": {
            "customer_app.core.normalize",
            "customer_app.audit.queries",
            "customer_app.customers.state.customer_form",
        },
    }
    assert set(broken("ui purity", graph)) == {
        Violation("ui purity", "customer_app.ui.pager", "customer_app.ui.state.table"),
        Violation("ui purity", "customer_app.ui.avatar", "customer_app.audit.queries"),
        Violation("ui purity", "customer_app.ui.avatar", "customer_app.customers.state.customer_form"),
    }


def test_no_modules_import_each_other():
    assert broken("cycle", real_graph()) == []


def test_the_cycle_check_reports_the_loop():
    graph = {
        "customer_app.customers.a": {"customer_app.customers.b"},
        "customer_app.customers.b": {"customer_app.customers.c", "customer_app.customers.d"},
        "customer_app.customers.c": {"customer_app.customers.a"},
        "customer_app.customers.d": set(),
    }
    loop = ["customer_app.customers.a", "customer_app.customers.b", "customer_app.customers.c"]
    assert broken("cycle", graph) == [Violation("cycle", loop[0], " -> ".join([*loop, loop[0]]))]


def test_a_graph_that_follows_the_rules_has_no_violations():
    allowed = {
        "customer_app.customer_app": {"customer_app.pages.customers", "customer_app.api"},
        "customer_app.pages.customers": {"customer_app.customers.views.table", "customer_app.customers.state.form"},
        "customer_app.customers.views.table": {"customer_app.customers.state.form", "customer_app.ui.pager"},
        "customer_app.customers.state.form": {"customer_app.customers.customers", "customer_app.ui.paged_state"},
        "customer_app.customers.customers": {"customer_app.core.db", "customer_app.access.models"},
        "customer_app.ui.paged_state": {"customer_app.ui.paging", "customer_app.settings"},
    }
    assert violations(allowed) == []


def test_every_known_exception_is_a_real_import_that_breaks_a_rule():
    graph = import_graph()
    for module, imported in sorted(KNOWN_EXCEPTIONS):
        assert imported in graph[module], f"{module} no longer imports {imported}: remove the exception"
        assert violations({module: {imported}, imported: set()}) != []


# --- no reflex below the UI ---------------------------------------------------------------------------------

# Where reflex belongs: state/ and views/ folders, ui/, pages/, and the app itself (customer_app.py, api.py), the
# pieces of it that read Reflex's states (upload_limit) or configuration (origins), the check of the events Reflex
# hands the app (event_check), and the message shown when an event fails (failures).
UI_MODULES = {
    "customer_app.customer_app",
    "customer_app.api",
    "customer_app.upload_limit",
    "customer_app.origins",
    "customer_app.event_check",
    "customer_app.failures",
    "customer_app.request_log",
}


def reflex_free_modules() -> list[str]:
    """Models, services, queries and the leaves: every module that is not UI."""
    graph = import_graph()
    ui = {m for m in graph if kind_of(m) != "service" or package_of(m) in ("ui", "pages") or m in UI_MODULES}
    return sorted(set(graph) - ui)


def source_of(module: str) -> str:
    path = ROOT.joinpath(*module.split("."))
    return (path / "__init__.py" if path.is_dir() else path.with_suffix(".py")).read_text()


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
    modules = reflex_free_modules()
    assert {"customer_app.core.db", "customer_app.customers.models", "customer_app.records.notes"} <= set(modules)
    assert not {"customer_app.ui.paging", "customer_app.customers.state.customer_list"} & set(modules)
    hits = [f"{m}:{line}" for m in modules for line in reflex_imports(source_of(m))]
    assert hits == []


def test_the_import_check_notices_every_way_of_importing_reflex():
    source = (
        "import os\nimport reflex as rx\nfrom reflex.state import State\nfrom reflex_base import x\n"
        "def f():\n    import reflex.event\nfrom .reflexive import y\nimport reflexive\n"
    )
    assert reflex_imports(source) == [2, 3, 4, 6]


def test_importing_models_and_services_does_not_load_reflex_even_indirectly():
    probe = (
        f"import sys\nfor m in {reflex_free_modules()!r}:\n    __import__(m)\n"
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
            return {row for row in rows if "alembic_version" not in row and row != "table:sqlite_sequence"}
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
