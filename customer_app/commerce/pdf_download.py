"""A document's PDF handed to the browser: written to the private documents folder and given a short-lived download
link tied to the person asking (never the public upload folder)."""

import secrets
import time

from sqlmodel import Session

from customer_app.access.downloads import LINK_TTL, create_link
from customer_app.commerce.models import Document
from customer_app.commerce.pdf import file_name, render_pdf
from customer_app.core.db import session_scope
from customer_app.core.permissions import Actor
from customer_app.errors import NotFoundError
from customer_app.settings import settings


def pdf_link(document_id: int, *, actor: Actor, session: Session) -> str:
    """A download link (URL path) to the document's PDF for `actor`, valid as long as any download link."""
    data = render_pdf(document_id, actor=actor, session=session)  # checks that the actor may see the document
    document = session.get(Document, document_id)
    if document is None:
        raise NotFoundError("This document does not exist any more.")
    folder = settings.document_dir
    folder.mkdir(parents=True, exist_ok=True)
    _sweep(folder)
    path = folder / f"{secrets.token_urlsafe(16)}.pdf"  # unguessable, so two people's files never meet
    path.write_bytes(data)
    return create_link(path, file_name(document), actor=actor, session=session)


def pdf_link_now(document_id: int, actor: Actor) -> str:
    """`pdf_link` in a transaction of its own: what a page runs in a thread (asyncio.to_thread)."""
    with session_scope() as session:
        return pdf_link(document_id, actor=actor, session=session)


def render_now(document_id: int, actor: Actor) -> None:
    """Render a document's PDF in a transaction of its own, so the cache holds it (what a page runs in a thread
    before a step that needs the PDF, such as e-mailing it)."""
    with session_scope() as session:
        render_pdf(document_id, actor=actor, session=session)


def _sweep(folder) -> None:
    """Delete PDFs older than any link to them can be."""
    cutoff = time.time() - LINK_TTL.total_seconds()
    for old in folder.glob("*.pdf"):
        try:
            if old.stat().st_mtime < cutoff:
                old.unlink()
        except FileNotFoundError:  # another process swept it first
            continue
