"""The import page's handlers: bad files get a message in the page and change nothing; only admins import."""

import asyncio
import io
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pytest
from openpyxl.utils import get_column_letter
from sqlmodel import func, select

from customer_app.core.models import AuditEvent
from customer_app.customers.models import Customer
from customer_app.transfer import import_files, import_uploads, imports
from customer_app.transfer.import_rows import Plan
from customer_app.transfer.models import ImportJob
from customer_app.transfer.state.importer import ImportState
from tests.unit.reflex_helpers import toast
from tests.unit.spreadsheet_files import text_cell, workbook, xlsx_by_hand


@dataclass
class Upload:
    """What Reflex hands a handler for one uploaded file."""

    filename: str
    file: io.BytesIO
    name: str = ""


@pytest.fixture(autouse=True)
def private_folders(tmp_path, monkeypatch):
    monkeypatch.setenv("IMPORT_DIR", str(tmp_path / "imports"))
    return tmp_path / "imports"


def drive(generator_or_coroutine):
    """Run a handler that may yield (to show a spinner) to its end; return what it yielded or returned."""

    async def run():
        if asyncio.iscoroutine(generator_or_coroutine):
            return [await generator_or_coroutine]
        return [item async for item in generator_or_coroutine]

    return asyncio.run(run())


def import_state(new_tab, user) -> ImportState:
    return new_tab(user).get_substate(ImportState._get_substate_path())


def upload(state: ImportState, name: str, data: bytes):
    return drive(state.handle_upload([Upload(name, io.BytesIO(data))]))


def _truncated(tmp: Path) -> bytes:
    return workbook(tmp / "t.xlsx", {"Customers": [["Email"], ["a@example.com"]]}).read_bytes()[:1500]


def _zip_bomb(tmp: Path) -> bytes:
    path = xlsx_by_hand(tmp / "bomb.xlsx", ['<row r="1"><c r="A1"><v>1</v></c></row>'])
    with zipfile.ZipFile(path, "a", zipfile.ZIP_DEFLATED) as archive, archive.open("xl/media/x.bin", "w") as out:
        for _ in range(20):
            out.write(bytes(1 << 20))
    return path.read_bytes()


def _million_empty_rows(tmp: Path) -> bytes:
    def rows():
        yield f'<row r="1">{text_cell("A1", "Email")}</row>'
        for first in range(2, 1_048_577, 50_000):
            yield "".join(
                f'<row r="{r}"><c r="A{r}" s="1"/></row>' for r in range(first, min(first + 50_000, 1_048_577))
            )

    return xlsx_by_hand(tmp / "million.xlsx", rows(), dimension="A1:A1048576").read_bytes()


def _widest(tmp: Path) -> bytes:
    header = "".join(f'<c r="{get_column_letter(i)}1"><v>{i}</v></c>' for i in range(1, 16_385))
    return xlsx_by_hand(
        tmp / "wide.xlsx", [f'<row r="1">{header}</row>', '<row r="2"><c r="A2"><v>1</v></c></row>']
    ).read_bytes()


BAD_FILES = {
    "truncated xlsx": ("customers.xlsx", _truncated, "may be damaged or incomplete"),
    "xlsx zip bomb": ("customers.xlsx", _zip_bomb, "unpacks to far more data"),
    "a million empty rows": ("customers.xlsx", _million_empty_rows, "header row but no customers"),
    "binary garbage named .csv": ("customers.csv", lambda _tmp: bytes(range(256)) * 64, "does not look like CSV"),
    "wrong delimiter": (
        "customers.csv",
        lambda _tmp: b"Name:Email\nAnn:ann@example.com\n",
        "Only one column was found",
    ),
    "16,384 columns": ("customers.xlsx", _widest, "16,384 columns; at most 200"),
    "header only": ("customers.csv", lambda _tmp: b"First name,Last name,Email\n", "header row but no customers"),
}


@pytest.mark.parametrize("case", list(BAD_FILES), ids=list(BAD_FILES))
def test_bad_files_get_a_clear_message_and_change_nothing(
    case, new_tab, admin_user, session, tmp_path, private_folders
):
    name, make, message = BAD_FILES[case]
    state = import_state(new_tab, admin_user)
    upload(state, name, make(tmp_path))
    assert message in state.error
    assert state.step == "upload"
    assert session.exec(select(func.count()).select_from(Customer)).one() == 0
    assert session.exec(select(func.count()).select_from(AuditEvent)).one() == 0
    assert list(private_folders.iterdir()) == []  # the refused upload is not kept


def test_the_sample_goes_from_upload_to_preview_in_the_page(new_tab, admin_user, session):
    state = import_state(new_tab, admin_user)
    upload(state, "customers-sample.xlsx", import_files.sample_xlsx())
    assert state.step == "sheet"
    assert state.sheets == ["Customers", "Instructions"]
    drive(state.choose_sheet("Customers"))
    assert state.step == "map"
    assert state.headers[:3] == ["Kind", "First name", "Last name"]
    assert state.mapping[:3] == ["kind", "first_name", "last_name"]
    state.set_field("1", "skip")
    state.set_field("2", "skip")  # now the individual has no name at all
    drive(state.preview())
    assert state.step == "preview"
    assert state.counts["new"] == 1
    assert state.counts["error"] == 1
    assert "Enter a first or last name" in state.preview_rows[0]["message"]
    assert state.report_url.startswith("/api/download/")
    assert session.exec(select(func.count()).select_from(Customer)).one() == 0


@pytest.mark.parametrize("role", ["staff", "read_only"])
def test_only_admins_may_upload(role, new_tab, make_user, private_folders):
    state = import_state(new_tab, make_user(role))
    (result,) = upload(state, "customers.csv", b"Email\na@example.com\n")
    assert toast(result) == ("error", "Your role does not allow this. Ask an admin if you need it.")
    assert not private_folders.exists() or list(private_folders.iterdir()) == []


def running_import(session, admin) -> int:
    """An import started by `admin` and still running (its thread has not written anything yet)."""
    job = import_uploads.store_upload([b"Email\na@example.com\n"], "people.csv", actor=admin, session=session)
    imports.preview_import(job.id, Plan(["email"]), actor=admin, session=session)
    imports.start_import(job.id, actor=admin, session=session)
    session.commit()
    return job.id


def test_reloading_the_page_follows_the_import_still_running(new_tab, admin_user, admin, session):
    job_id = running_import(session, admin)
    state = import_state(new_tab, admin_user)
    (event,) = drive(state.on_load())
    assert event is ImportState.follow_job  # the page keeps showing its progress
    assert (state.access, state.step, state.job_id, state.file_name) == ("ok", "running", job_id, "people.csv")
    assert state.progress_label == "0 of 1 rows"


@pytest.mark.parametrize("role", ["staff", "read_only"])
def test_others_see_nothing_of_an_import(role, new_tab, make_user, admin, session):
    job_id = running_import(session, admin)
    state = import_state(new_tab, make_user(role))
    (result,) = drive(state.on_load())
    assert toast(result) == ("error", "Your role does not allow this. Ask an admin if you need it.")
    state.job_id = job_id  # as a tampered client could leave it
    (result,) = drive(state.refresh_job())
    assert toast(result) == ("error", "Your role does not allow this. Ask an admin if you need it.")
    assert (state.access, state.step, state.file_name) == ("denied", "upload", "")


@pytest.mark.parametrize("index", ["x", "²", "-1", "999", ""])
def test_a_mapping_change_for_a_column_that_does_not_exist_changes_nothing(new_tab, admin_user, index):
    state = import_state(new_tab, admin_user)
    upload(state, "customers-sample.xlsx", import_files.sample_xlsx())
    drive(state.choose_sheet("Customers"))
    before = list(state.mapping)
    state.set_field(index, "email")
    assert state.mapping == before


REPORT_CSV = b"Customer report\n\nSection: active\nFirst name,Last name,E-mail\nAda,Lovelace,ada@example.com\n"


def test_the_mapping_step_says_which_row_holds_the_header_and_another_can_be_chosen(new_tab, admin_user, session):
    state = import_state(new_tab, admin_user)
    upload(state, "report.csv", REPORT_CSV)
    assert (state.step, state.header_line, state.headers) == ("map", 4, ["First name", "Last name", "E-mail"])
    assert state.mapping == ["first_name", "last_name", "email"]
    assert [row["label"] for row in state.header_rows] == [
        "Row 1: Customer report",
        "Row 3: Section: active",
        "Row 4: First name · Last name · E-mail",
        "Row 5: Ada · Lovelace · ada@example.com",
    ]
    drive(state.choose_header_row("3"))
    assert (state.header_line, state.headers[0], state.error) == (3, "Section: active", "")
    assert session.get(ImportJob, state.job_id).header_line == 3
    drive(state.choose_header_row("4"))
    drive(state.preview())
    assert (state.step, state.counts["new"], state.preview_rows[0]["line"]) == ("preview", 1, "5")


@pytest.mark.parametrize("line", ["2", "6", "x", "-1", ""])
def test_a_header_row_that_was_not_offered_changes_nothing(new_tab, admin_user, line):
    state = import_state(new_tab, admin_user)
    upload(state, "report.csv", REPORT_CSV)
    drive(state.choose_header_row(line))
    assert (state.header_line, state.headers[0], state.error) == (4, "First name", "")


def test_a_header_row_with_nothing_under_it_is_refused_in_the_page(new_tab, admin_user):
    state = import_state(new_tab, admin_user)
    upload(state, "report.csv", REPORT_CSV)
    drive(state.choose_header_row("5"))
    assert state.error == "The file has a header row but no customers under it."
    assert (state.step, state.header_line, state.headers[0]) == ("map", 4, "First name")


def test_only_admins_choose_the_header_row(new_tab, admin_user, make_user):
    state = import_state(new_tab, admin_user)
    upload(state, "report.csv", REPORT_CSV)
    intruder = import_state(new_tab, make_user("staff"))
    intruder.job_id, intruder.header_rows = state.job_id, state.header_rows
    (result,) = drive(intruder.choose_header_row("3"))
    assert toast(result) == ("error", "Your role does not allow this. Ask an admin if you need it.")
    assert intruder.headers == []
