"""An import before it writes customers: the sample files, the sheets and columns of an upload, a refused file,
the preview's report link, and the thread that runs a started import."""

import csv
import io

import pytest
from openpyxl import Workbook, load_workbook
from sqlmodel import select

from customer_app.access.models import DownloadLink
from customer_app.customers.custom_fields import FieldDefinition, add_field
from customer_app.customers.models import Customer
from customer_app.errors import ImportFileError, PermissionDenied
from customer_app.transfer import import_uploads, imports
from customer_app.transfer.import_rows import Plan
from customer_app.transfer.models import ImportJob
from tests.unit.spreadsheet_files import workbook
from tests.unit.transfer.test_imports import csv_bytes, upload


@pytest.fixture(autouse=True)
def private_folders(tmp_path, monkeypatch):
    monkeypatch.setenv("IMPORT_DIR", str(tmp_path / "imports"))
    return tmp_path / "imports"


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_the_sample_file_has_a_column_for_each_custom_field(file_format, session, admin):
    add_field(FieldDefinition("Tier"), actor=admin, session=session)
    data, name = import_uploads.sample_file(file_format, actor=admin, session=session)
    assert name == f"customers-sample.{file_format}"
    if file_format == "csv":
        headers = next(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    else:
        headers = [cell.value for cell in next(load_workbook(io.BytesIO(data))["Customers"].iter_rows())]
    assert headers[0] == "Kind"
    assert headers[-1] == "Tier"


def test_the_columns_of_the_chosen_sheet_come_with_three_samples_and_a_suggested_mapping(session, admin, tmp_path):
    rows = [["Name", "Email", "Notes"], ["Acme", "a@example.com", ""], ["Beta", "b@example.com", "x"]]
    rows += [["Gamma", "c@example.com", ""], ["Delta", "d@example.com", "y"], ["Eve", "e@example.com", "z"]]
    rows += [["Fay", "f@example.com", "never sampled"]]
    book = workbook(tmp_path / "two.xlsx", {"Other": [["Nothing"], ["here"]], "Customers": rows})
    job = upload(session, admin, book.read_bytes(), "two.xlsx")
    assert import_uploads.sheet_names(job.id, actor=admin, session=session) == ["Other", "Customers"]
    found = import_uploads.read_columns(job.id, "Customers", actor=admin, session=session)
    session.commit()
    assert found.headers == ["Name", "Email", "Notes"]
    # three values per column, blank cells passed over
    assert found.samples == ["Acme, Beta, Gamma", "a@example.com, b@example.com, c@example.com", "x, y, z"]
    assert (found.mapping, found.remembered) == (["name", "email", "footnotes"], False)
    assert found.targets["email"] == "Email"
    session.expire_all()
    assert session.get(ImportJob, job.id).sheet == "Customers"


def test_a_file_that_cannot_be_used_is_deleted_and_its_job_says_why(session, admin):
    job = upload(session, admin, csv_bytes([("Ada", "Lovelace", "ada@example.com", "")]))
    stored = imports.upload_path(job)
    import_uploads.fail_upload(job.id, "Only one column was found.", actor=admin, session=session)
    session.commit()
    session.expire_all()
    failed = session.get(ImportJob, job.id)
    assert (failed.status, failed.message, failed.stored_as) == ("failed", "Only one column was found.", "")
    assert not stored.exists()


def test_the_preview_links_the_rows_to_fix_only_when_there_are_some(session, admin):
    plan = Plan(["first_name", "last_name", "email", "phone"])
    clean = upload(session, admin, csv_bytes([("Ada", "Lovelace", "ada@example.com", "")]))
    found, link = import_uploads.preview(clean.id, plan, actor=admin, session=session)
    assert found.counts["new"] == 1
    assert link == ""
    broken = upload(session, admin, csv_bytes([("Bad", "Phone", "bad@example.com", "12")]))
    found, link = import_uploads.preview(broken.id, plan, actor=admin, session=session)
    session.commit()
    assert found.counts["error"] == 1
    assert link.startswith("/api/download/")
    stored = session.exec(select(DownloadLink)).one()
    assert stored.download_name == "rows-to-fix-people.csv.xlsx"
    assert stored.path.endswith(".errors.xlsx")


@pytest.mark.parametrize("caller", ["staff", "reader", "signed out"])
def test_only_admins_reach_any_step_before_the_import(caller, request, session, admin):
    job = upload(session, admin, csv_bytes([("Ada", "Lovelace", "ada@example.com", "")]))
    actor = None if caller == "signed out" else request.getfixturevalue(caller)
    steps = {
        "sample": lambda: import_uploads.sample_file("csv", actor=actor, session=session),
        "sheets": lambda: import_uploads.sheet_names(job.id, actor=actor, session=session),
        "columns": lambda: import_uploads.read_columns(job.id, "", actor=actor, session=session),
        "fail": lambda: import_uploads.fail_upload(job.id, "No.", actor=actor, session=session),
        "preview": lambda: import_uploads.preview(job.id, Plan(["", "", "email", ""]), actor=actor, session=session),
    }
    for name, step in steps.items():
        with pytest.raises(PermissionDenied):
            step()
        session.rollback()
        assert session.get(ImportJob, job.id).status == "uploaded", name


TITLED = [
    ["Customer list — exported 2026"],
    ["First name", "Last name", "E-mail", "Company"],
    ["Ada", "Lovelace", "ada@example.com", "Engines Ltd"],
    ["Alan", "Turing", "alan@example.com", "Bletchley"],
    ["Ada", "Byron", "ada@example.com", ""],
]


def _titled_xlsx(tmp_path) -> bytes:
    """A workbook whose first row is a title merged across the table."""
    book = Workbook()
    for row in TITLED:
        book.active.append(row)
    book.active.merge_cells("A1:D1")
    book.save(tmp_path / "titled.xlsx")
    return (tmp_path / "titled.xlsx").read_bytes()


def _imported(session, engine, admin, job, mapping):
    found, _link = import_uploads.preview(job.id, Plan(mapping), actor=admin, session=session)
    session.commit()
    imports.start_import(job.id, actor=admin, session=session)
    session.commit()
    imports.run_import(job.id, actor=admin, engine=engine)
    session.expire_all()
    return found


def test_a_title_row_above_the_header_is_skipped_and_lines_stay_the_files_own(session, engine, admin, tmp_path):
    job = upload(session, admin, _titled_xlsx(tmp_path), "titled.xlsx")
    found = import_uploads.read_columns(job.id, "Sheet", actor=admin, session=session)
    session.commit()
    assert found.headers == ["First name", "Last name", "E-mail", "Company"]
    assert found.mapping == ["first_name", "last_name", "email", "company_name"]
    assert found.header_line == 2
    assert [line for line, _text in found.top_rows] == [1, 2, 3, 4, 5]
    preview = _imported(session, engine, admin, job, found.mapping)
    assert (preview.counts["new"], preview.counts["duplicate"], preview.total) == (2, 1, 3)
    duplicate = next(row for row in preview.rows if row.status == "duplicate")
    assert (duplicate.line, duplicate.message) == (5, "Same Email as line 3; only the first is imported.")
    names = sorted(c.display_name for c in session.exec(select(Customer)))
    assert names == ["Ada Lovelace", "Alan Turing"]
    assert session.get(ImportJob, job.id).header_line == 2


def test_a_csv_report_imports_from_the_header_below_its_report_name_and_section(session, engine, admin):
    text = "Customer report\n\nSection: active customers\nFirst name,Last name,E-mail\n"
    text += "Grace,Hopper,grace@example.com\nBad,Mail,not-an-email\n"
    job = upload(session, admin, text.encode(), "report.csv")
    found = import_uploads.read_columns(job.id, "", actor=admin, session=session)
    session.commit()
    assert (found.mapping, found.header_line) == (["first_name", "last_name", "email"], 4)
    preview = _imported(session, engine, admin, job, found.mapping)
    assert [(row.line, row.status) for row in preview.rows] == [(5, "new"), (6, "error")]
    assert [c.display_name for c in session.exec(select(Customer))] == ["Grace Hopper"]


def test_the_admin_can_put_the_header_on_another_row_and_the_preview_uses_it(session, admin, tmp_path):
    job = upload(session, admin, _titled_xlsx(tmp_path), "titled.xlsx")
    import_uploads.read_columns(job.id, "Sheet", actor=admin, session=session)
    session.commit()
    chosen = import_uploads.read_columns(job.id, "Sheet", actor=admin, session=session, header_line=3)
    session.commit()
    assert (chosen.headers, chosen.header_line) == (["Ada", "Lovelace", "ada@example.com", "Engines Ltd"], 3)
    preview, _link = import_uploads.preview(
        job.id, Plan(["first_name", "last_name", "email", ""]), actor=admin, session=session
    )
    # Row 3 is the header now: only the two rows under it are customers.
    assert (preview.total, [row.line for row in preview.rows]) == (2, [4, 5])
    again = import_uploads.read_columns(job.id, "Sheet", actor=admin, session=session)
    assert again.header_line == 2  # reading without a choice finds the real header again


def test_a_header_row_that_is_not_offered_is_refused_and_the_saved_row_stays(session, admin, tmp_path):
    job = upload(session, admin, _titled_xlsx(tmp_path), "titled.xlsx")
    import_uploads.read_columns(job.id, "Sheet", actor=admin, session=session)
    session.commit()
    with pytest.raises(ImportFileError, match="Row 99 cannot be the header"):
        import_uploads.read_columns(job.id, "Sheet", actor=admin, session=session, header_line=99)
    session.rollback()
    assert session.get(ImportJob, job.id).header_line == 2
