"""The PDF button: a read-only colleague's tab gets a short-lived link, the download route gives that person the
PDF from the private documents folder, and refuses it to anyone else's browser."""

import asyncio
import shutil

import pytest
from starlette.testclient import TestClient

from customer_app.access.downloads import NOT_YOURS
from customer_app.api import api
from customer_app.commerce import documents
from customer_app.commerce.state.sales import CustomerSalesState
from customer_app.settings import settings

pytestmark = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="pdftotext is missing: `make install-dev`")


@pytest.fixture(autouse=True)
def document_folder(tmp_path, monkeypatch):
    """A private documents folder of this test (the settings read it on every access)."""
    monkeypatch.setenv("DOCUMENT_DIR", str(tmp_path / "documents"))
    return tmp_path / "documents"


async def steps(handler) -> list:
    """Everything a generator handler yields to the browser."""
    return [event async for event in handler]


def test_a_reader_downloads_the_pdf_and_nobody_else_does(
    new_tab, reader_user, staff_user, staff, add, session, session_token, document_folder
):
    ada = add(first_name="Ada", last_name="Lovelace", email="ada@example.com")
    draft = documents.new_draft(ada.id, "estimate", actor=staff, session=session)
    documents.add_line(draft.id, "Analytical engine", "1", "900", actor=staff, session=session)
    session.commit()
    tab = new_tab(reader_user)
    sales = tab.get_substate(CustomerSalesState._get_substate_path())
    asyncio.run(sales.open_document(str(draft.id)))
    asyncio.run(steps(sales.prepare_pdf()))
    assert sales.pdf_url.startswith("/api/download/")
    assert not sales.pdf_busy
    [stored] = list(document_folder.iterdir())  # written privately, never into the public upload folder
    assert not stored.is_relative_to(settings.upload_dir.resolve())
    with TestClient(api) as client:
        mine = client.post(sales.pdf_url, data={"session": session_token(reader_user)})
        assert mine.status_code == 200
        assert mine.headers["content-type"] == "application/pdf"
        assert f'filename="estimate-draft-{draft.id}.pdf"' in mine.headers["content-disposition"]
        assert mine.content.startswith(b"%PDF-")
        theirs = client.post(sales.pdf_url, data={"session": session_token(staff_user)})
        assert (theirs.status_code, theirs.text) == (403, NOT_YOURS)
        assert client.get(sales.pdf_url).status_code == 403  # a plain visit carries no sign-in


def test_a_tab_nobody_is_signed_in_to_gets_no_pdf(new_tab, staff, add, session, document_folder):
    ada = add(first_name="Ada", email="ada@example.com")
    draft = documents.new_draft(ada.id, "invoice", actor=staff, session=session)
    session.commit()
    sales = new_tab().get_substate(CustomerSalesState._get_substate_path())
    sales.editor.id = str(draft.id)
    asyncio.run(steps(sales.prepare_pdf()))
    assert sales.pdf_url == ""
    assert not document_folder.exists()
