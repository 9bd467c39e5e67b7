"""Saved export configurations, and export files written into the private export folder."""

import csv
import json
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlmodel import select

from customer_app.access import auth
from customer_app.core import jobs
from customer_app.core.models import BackgroundJob
from customer_app.errors import PermissionDenied, ValidationError
from customer_app.transfer import export, export_jobs
from customer_app.transfer.export import ExportScope, count_rows, write_export
from customer_app.transfer.export_configs import SCOPES, delete_config, list_configs, save_config
from customer_app.transfer.models import ExportConfig


@pytest.fixture(autouse=True)
def export_dir(tmp_path, monkeypatch) -> Path:
    folder = tmp_path / "exports"
    monkeypatch.setenv("EXPORT_DIR", str(folder))
    return folder


def saved(session, admin, name, file_format="csv", scope="all", columns=("email", "last_name")):
    config = save_config(name, file_format, scope, list(columns), actor=admin, session=session)
    session.commit()
    return config


def names(session, actor) -> list[str]:
    return [config.name for config in list_configs(actor=actor, session=session)]


# --- saved configurations -----------------------------------------------------------------------------------


def test_a_saved_configuration_keeps_format_scope_and_column_order(session, admin):
    config = saved(session, admin, "  Mailing   list ", "xlsx", "view", ["email", "first_name", "phone"])
    (stored,) = list_configs(actor=admin, session=session)
    assert stored.id == config.id
    assert stored.name == "Mailing list"
    assert (stored.file_format, stored.scope) == ("xlsx", "view")
    assert json.loads(stored.columns) == ["id", "email", "first_name", "phone"]


def test_configurations_are_listed_by_name(session, admin):
    for name in ("Zeta", "Alpha", "Mid"):
        saved(session, admin, name)
    assert names(session, admin) == ["Alpha", "Mid", "Zeta"]


def test_saving_under_an_existing_name_overwrites_it(session, admin):
    first = saved(session, admin, "Weekly", "csv", "all", ["email"])
    second = saved(session, admin, "Weekly", "xlsx", "selected", ["phone", "email"])
    assert second.id == first.id
    (stored,) = session.exec(select(ExportConfig)).all()
    assert (stored.file_format, stored.scope, json.loads(stored.columns)) == (
        "xlsx",
        "selected",
        ["id", "phone", "email"],
    )


def test_the_customer_id_always_comes_first_whatever_was_chosen(session, admin):
    config = saved(session, admin, "Ids", columns=["email", "id", "last_name", "email"])
    assert json.loads(config.columns) == ["id", "email", "last_name"]


def test_unknown_columns_are_refused_by_name_and_nothing_is_saved(session, admin):
    with pytest.raises(ValidationError) as refused:
        save_config("Leaky", "csv", "all", ["email", "password_hash", "secret"], actor=admin, session=session)
    assert refused.value.errors == {"columns": "Unknown column(s): password_hash, secret."}
    assert names(session, admin) == []


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("", "Give the configuration a name."),
        ("   \t ", "Give the configuration a name."),
        ("x" * 101, "Keep the name under 100 characters."),
    ],
    ids=["empty", "blank", "101 characters"],
)
def test_a_blank_or_too_long_name_is_refused_with_a_message(name, message, session, admin):
    with pytest.raises(ValidationError) as refused:
        save_config(name, "csv", "all", ["email"], actor=admin, session=session)
    assert refused.value.errors == {"config_name": message}
    assert names(session, admin) == []


def test_a_name_of_exactly_100_characters_is_kept(session, admin):
    assert saved(session, admin, "x" * 100).name == "x" * 100


@pytest.mark.parametrize(("file_format", "scope"), [("pdf", "all"), ("csv", "everyone")])
def test_an_unknown_format_or_scope_is_refused(file_format, scope, session, admin):
    with pytest.raises(ValidationError, match="Choose a format and a scope"):
        save_config("Odd", file_format, scope, ["email"], actor=admin, session=session)


def test_every_offered_scope_can_be_saved(session, admin):
    for scope in SCOPES:
        saved(session, admin, f"Scope {scope}", scope=scope)
    assert sorted(c.scope for c in list_configs(actor=admin, session=session)) == sorted(SCOPES)


def test_a_deleted_configuration_is_no_longer_listed(session, admin):
    keep, gone = saved(session, admin, "Keep"), saved(session, admin, "Gone")
    delete_config(gone.id, actor=admin, session=session)
    session.commit()
    assert names(session, admin) == ["Keep"]
    delete_config(gone.id, actor=admin, session=session)  # a second click (or another tab) changes nothing
    assert [c.id for c in list_configs(actor=admin, session=session)] == [keep.id]


def test_staff_and_read_only_may_not_list_save_or_delete(session, admin, staff, reader):
    config = saved(session, admin, "Admins only")
    for caller in (staff, reader, None):
        with pytest.raises(PermissionDenied):
            list_configs(actor=caller, session=session)
        with pytest.raises(PermissionDenied):
            save_config("Mine", "csv", "all", ["email"], actor=caller, session=session)
        with pytest.raises(PermissionDenied):
            delete_config(config.id, actor=caller, session=session)
    session.commit()
    assert names(session, admin) == ["Admins only"]


# --- writing export files -----------------------------------------------------------------------------------


@pytest.fixture
def people(add) -> list:
    return [add(first_name=f"Person{n}", last_name="Example", email=f"p{n}@example.com") for n in range(7)]


def test_an_export_is_written_into_the_export_folder_under_an_unguessable_name(session, admin, people, export_dir):
    path, count = write_export(ExportScope(), ["email", "last_name"], "csv", actor=admin, session=session)
    assert count == 7
    assert path.parent == export_dir
    assert path.suffix == ".csv"
    assert len(path.stem) >= 24
    assert path.stem not in {"customers", "export"}
    table = list(csv.reader(path.read_text(encoding="utf-8-sig").splitlines()))
    assert table[0] == ["Workspace customer ID", "Email", "Last name"]
    assert sorted(row[1] for row in table[1:]) == sorted(p.email for p in people)
    again, _ = write_export(ExportScope(), ["email"], "csv", actor=admin, session=session)
    assert again != path
    assert path.exists()


def test_an_xlsx_export_holds_the_same_rows(session, admin, people, export_dir):
    path, count = write_export(ExportScope(ids=(people[2].id,)), ["email"], "xlsx", actor=admin, session=session)
    assert count == 1
    assert path.parent == export_dir
    assert path.suffix == ".xlsx"
    sheet = load_workbook(path, read_only=True)["Customers"]
    assert [list(row) for row in sheet.iter_rows(values_only=True)] == [
        ["Workspace customer ID", "Email"],
        [people[2].id, people[2].email],
    ]


def test_progress_hears_the_rows_written_every_chunk(session, admin, people, monkeypatch):
    monkeypatch.setattr(export, "CHUNK", 3)
    heard = []
    _, count = write_export(ExportScope(), ["email"], "xlsx", actor=admin, session=session, progress=heard.append)
    assert count == 7
    assert heard == [3, 6]


def test_an_unknown_format_is_refused_and_writes_nothing(session, admin, people, export_dir):
    with pytest.raises(ValidationError) as refused:
        write_export(ExportScope(), ["email"], "pdf", actor=admin, session=session)
    assert refused.value.errors == {"format": "Choose xlsx or CSV."}
    assert not export_dir.exists() or list(export_dir.iterdir()) == []


def test_unknown_columns_are_refused_before_any_file_is_written(session, admin, people, export_dir):
    with pytest.raises(ValidationError, match="password_hash"):
        write_export(ExportScope(), ["password_hash"], "csv", actor=admin, session=session)
    assert not export_dir.exists() or list(export_dir.iterdir()) == []


def test_staff_may_not_write_an_export_and_no_file_is_left(session, staff, people, export_dir):
    with pytest.raises(PermissionDenied):
        write_export(ExportScope(), ["email"], "csv", actor=staff, session=session)
    assert not export_dir.exists() or list(export_dir.iterdir()) == []


@pytest.mark.parametrize(
    ("scope", "expected"),
    [(ExportScope(), 7), (ExportScope(tab="individual", search="p3@example.com"), 1), (ExportScope(tab="trash"), 0)],
    ids=["everything", "tab and search", "empty tab"],
)
def test_count_rows_matches_what_the_export_writes(scope, expected, session, admin, people):
    _, count = write_export(scope, ["email"], "csv", actor=admin, session=session)
    assert count_rows(scope, actor=admin, session=session) == count == expected


def test_count_rows_counts_only_the_chosen_rows(session, admin, people):
    assert count_rows(ExportScope(ids=(people[0].id, people[1].id)), actor=admin, session=session) == 2
    with pytest.raises(PermissionDenied):
        count_rows(ExportScope(), actor=None, session=session)


def test_an_export_job_writes_its_file_for_the_person_who_asked_only(
    session, engine, admin, admin_user, make_user, people, export_dir, monkeypatch
):
    monkeypatch.setattr(export, "CHUNK", 3)
    queued = export_jobs.start(ExportScope(), ["email"], "csv", actor=admin, session=session)
    session.commit()
    assert jobs.work_once("worker", engine=engine)
    session.expire_all()
    job = session.get(BackgroundJob, queued.id)
    assert (job.status, job.done, job.total) == ("done", 7, 7)
    written = export_jobs.written_file(job, actor=admin)
    assert written is not None
    path, count = written
    assert count == 7
    assert path.parent == export_dir
    assert len(path.read_text(encoding="utf-8-sig").splitlines()) == 8  # the header and seven customers
    other_admin = auth.actor_of(make_user("admin", email="other@example.com"))
    assert export_jobs.written_file(job, actor=other_admin) is None  # nobody else gets a link to it


@pytest.mark.parametrize("caller", ["staff", "reader", "signed out"])
def test_others_cannot_queue_an_export(caller, request, session, people, export_dir):
    actor = None if caller == "signed out" else request.getfixturevalue(caller)
    with pytest.raises(PermissionDenied):
        export_jobs.start(ExportScope(), ["email"], "csv", actor=actor, session=session)
    assert session.exec(select(BackgroundJob)).all() == []


def test_an_unknown_format_is_refused_before_anything_is_queued(session, admin):
    with pytest.raises(ValidationError):
        export_jobs.start(ExportScope(), ["email"], "pdf", actor=admin, session=session)
    assert session.exec(select(BackgroundJob)).all() == []
