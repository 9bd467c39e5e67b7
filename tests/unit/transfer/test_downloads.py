"""Download links: the signed-in browser of the person who made a fresh link gets the private file by posting its
sign-in along; a plain visit, anyone else's browser, or anything stale is refused."""

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlmodel import select
from starlette.testclient import TestClient

from customer_app.access import auth, downloads
from customer_app.access.downloads import LINK_TTL, NOT_YOURS, create_link
from customer_app.access.models import DownloadLink
from customer_app.api import api
from customer_app.core.columns import utcnow

EXPIRED = "This download link has expired. Start the export again."


@pytest.fixture(autouse=True)
def folders(tmp_path, monkeypatch) -> dict[str, Path]:
    """Private export and import folders of this test (the settings read them on every access)."""
    exports, imports = tmp_path / "exports", tmp_path / "imports"
    exports.mkdir()
    imports.mkdir()
    monkeypatch.setenv("EXPORT_DIR", str(exports))
    monkeypatch.setenv("IMPORT_DIR", str(imports))
    return {"exports": exports, "imports": imports}


@pytest.fixture
def client(app_db) -> Iterator[TestClient]:
    """A browser talking to the download route, which reads the test database."""
    with TestClient(api) as client:
        yield client


@pytest.fixture
def signed_in(admin_user, session_token) -> str:
    """The sign-in token the admin's browser keeps."""
    return session_token(admin_user)


@pytest.fixture
def fetch(client, signed_in):
    """Download as the admin's page does: post the link with the browser's sign-in."""
    return lambda url, holder=signed_in: client.post(url, data={"session": holder})


@pytest.fixture
def export_file(folders) -> Path:
    path = folders["exports"] / "Xk2-private.csv"
    path.write_bytes("\ufeffCustomer ID,Name\r\n1,Zoë\r\n".encode())
    return path


def link_to(path: Path, admin, session, name: str = "customers.csv") -> str:
    url = create_link(path, name, actor=admin, session=session)
    session.commit()
    return url


def assert_gone(response) -> None:
    assert response.status_code == 404
    assert response.text == EXPIRED
    assert response.headers["cache-control"] == "no-store"


def assert_not_theirs(response) -> None:
    assert response.status_code == 403
    assert response.text == NOT_YOURS
    assert response.headers["cache-control"] == "no-store"


def test_the_holder_of_a_link_downloads_the_exact_file_and_nothing_caches_it(fetch, admin, session, export_file):
    url = link_to(export_file, admin, session)
    assert url.startswith("/api/download/")
    response = fetch(url)
    assert response.status_code == 200
    assert response.content == export_file.read_bytes()
    assert response.headers["content-disposition"] == 'attachment; filename="customers.csv"'
    assert response.headers["cache-control"] == "no-store"
    assert response.headers["x-content-type-options"] == "nosniff"
    assert fetch(url).content == export_file.read_bytes()  # usable again until it expires


def test_an_import_report_in_the_import_folder_downloads_too(fetch, admin, session, folders):
    report = folders["imports"] / "report.xlsx"
    report.write_bytes(b"PK\x03\x04 report")
    response = fetch(link_to(report, admin, session, "import-errors.xlsx"))
    assert response.status_code == 200
    assert response.content == b"PK\x03\x04 report"
    assert 'filename="import-errors.xlsx"' in response.headers["content-disposition"]


def test_an_unknown_token_says_the_link_has_expired(fetch, admin, session, export_file):
    link_to(export_file, admin, session)
    assert_gone(fetch("/api/download/not-a-real-token"))


def test_a_link_stops_working_when_it_expires(fetch, admin, session, export_file):
    url = link_to(export_file, admin, session)
    link = session.exec(select(DownloadLink)).one()
    assert link.expires_at - utcnow() <= LINK_TTL
    assert link.expires_at - utcnow() > LINK_TTL - timedelta(minutes=1)
    link.expires_at = utcnow() - timedelta(seconds=1)
    session.add(link)
    session.commit()
    assert_gone(fetch(url))


def test_expired_links_are_cleared_when_a_new_one_is_made(admin, session, export_file):
    link_to(export_file, admin, session)
    old = session.exec(select(DownloadLink)).one()
    old.expires_at = utcnow() - timedelta(seconds=1)
    session.add(old)
    session.commit()
    fresh = link_to(export_file, admin, session).removeprefix("/api/download/")
    assert [link.token_hash for link in session.exec(select(DownloadLink))] == [downloads.token_hash(fresh)]


@pytest.mark.parametrize("change", ["deactivated", "demoted to staff", "made read-only"])
def test_a_link_dies_with_its_holders_right_to_export(change, fetch, admin, admin_user, session, export_file):
    url = link_to(export_file, admin, session)
    assert fetch(url).status_code == 200
    if change == "deactivated":
        admin_user.active = False
    else:
        admin_user.role = "staff" if change == "demoted to staff" else "read_only"
    session.add(admin_user)
    session.commit()
    assert_gone(fetch(url))


def test_a_link_whose_holder_was_deleted_is_gone(fetch, admin, admin_user, session, export_file):
    url = link_to(export_file, admin, session)
    session.execute(text("DELETE FROM staff_session WHERE user_id = :id"), {"id": admin_user.id})
    session.execute(text("DELETE FROM staff_user WHERE id = :id"), {"id": admin_user.id})
    session.commit()
    assert_gone(fetch(url))


def test_a_link_to_a_file_outside_the_private_folders_is_refused(fetch, admin, session, tmp_path):
    elsewhere = tmp_path / "elsewhere" / "secrets.txt"
    elsewhere.parent.mkdir()
    elsewhere.write_text("not for download")
    assert not any(elsewhere.is_relative_to(folder) for folder in downloads.private_folders())
    assert_gone(fetch(link_to(elsewhere, admin, session, "secrets.txt")))


def test_a_link_cannot_climb_out_of_the_export_folder(fetch, admin, session, folders, tmp_path):
    (tmp_path / "outside.txt").write_text("not for download")
    sneaky = folders["exports"] / ".." / "outside.txt"
    assert_gone(fetch(link_to(sneaky, admin, session, "outside.txt")))


def test_a_link_to_a_folder_is_refused(fetch, admin, session, folders):
    assert_gone(fetch(link_to(folders["exports"], admin, session, "exports")))


def test_a_link_to_a_deleted_file_is_gone(fetch, admin, session, export_file):
    url = link_to(export_file, admin, session)
    export_file.unlink()
    assert_gone(fetch(url))


def test_only_the_hash_of_the_token_is_stored(admin, session, engine, export_file):
    raw = link_to(export_file, admin, session).removeprefix("/api/download/")
    assert len(raw) >= 40  # unguessable
    with engine.connect() as connection:
        stored = [tuple(map(str, row)) for row in connection.execute(text("SELECT * FROM download_link"))]
    assert len(stored) == 1
    assert not any(raw in value for value in stored[0])
    assert downloads.token_hash(raw) in stored[0]


def test_a_link_opened_without_the_makers_sign_in_is_refused_and_says_why(client, fetch, admin, session, export_file):
    url = link_to(export_file, admin, session)
    assert_not_theirs(client.get(url))  # pasted into another browser, a chat preview, a proxy log replayed
    assert_not_theirs(client.post(url))
    assert_not_theirs(fetch(url, "not-a-session"))
    assert fetch(url).status_code == 200


def test_a_link_posted_with_someone_elses_sign_in_is_refused(
    fetch, admin, make_user, session_token, session, export_file
):
    url = link_to(export_file, admin, session)
    other_admin = make_user("admin", email="bo@example.com", name="Bo Admin")
    assert_not_theirs(fetch(url, session_token(other_admin)))


def test_a_link_stops_working_when_its_makers_session_ends(fetch, admin, signed_in, session, export_file):
    url = link_to(export_file, admin, session)
    auth.sign_out(signed_in, session=session)
    session.commit()
    assert_not_theirs(fetch(url))


def test_a_form_bigger_than_a_sign_in_is_refused(fetch, admin, session, export_file):
    url = link_to(export_file, admin, session)
    assert_not_theirs(fetch(url, "x" * 10_000))
