"""Short-lived links to private files: the page gets a token, the download route gives the file to the person who made
it, whose browser posts its sign-in with the token (a link copied elsewhere is worth nothing on its own).

Each private folder names what the link's maker must still be allowed to do for the link to work: exports and import
reports need "customer.export", documents' PDFs "customer.view"."""

from datetime import timedelta
from pathlib import Path

from sqlmodel import Session, col, delete, select

from customer_app.access.auth import actor_of, resolve_session
from customer_app.access.models import DownloadLink, StaffUser
from customer_app.core.columns import utcnow
from customer_app.core.permissions import Actor
from customer_app.core.tokens import new_token, token_hash
from customer_app.errors import NotFoundError, PermissionDenied
from customer_app.settings import settings

LINK_TTL = timedelta(minutes=15)
PREFIX = "/api/download/"
HOLDER_FIELD = "session"  # the form field carrying the browser's sign-in token
NOT_YOURS = "This download opens only from the workspace page that made it, for the person signed in there."


def private_folders() -> dict[Path, str]:
    """The only folders a link may point into, each with the permission its maker must keep."""
    return {
        settings.export_dir.resolve(): "customer.export",
        settings.import_dir.resolve(): "customer.export",
        settings.document_dir.resolve(): "customer.view",
    }


def create_link(path: Path, download_name: str, *, actor: Actor, session: Session) -> str:
    """A URL path that downloads `path` as `download_name` for the next 15 minutes."""
    session.exec(delete(DownloadLink).where(col(DownloadLink.expires_at) < utcnow()))
    raw = new_token()
    session.add(
        DownloadLink(
            token_hash=token_hash(raw),
            user_id=actor.id,
            path=str(path.resolve()),
            download_name=download_name,
            expires_at=utcnow() + LINK_TTL,
        )
    )
    session.flush()
    return PREFIX + raw


def resolve_link(raw: str, holder: str, *, session: Session) -> tuple[Path, str]:
    """The file and name behind a link, for the browser signed in (sign-in token `holder`) as the person who made it.

    NotFoundError for a link that is unknown, stale or whose maker may no longer move data; PermissionDenied for
    anyone else, or no one signed in, presenting it.
    """
    link = session.exec(select(DownloadLink).where(col(DownloadLink.token_hash) == token_hash(raw))).first()
    gone = NotFoundError("This download link has expired. Start the export again.")
    if link is None or link.expires_at <= utcnow():
        raise gone
    path = Path(link.path)
    needed = next((need for folder, need in private_folders().items() if path.is_relative_to(folder)), None)
    user = session.get(StaffUser, link.user_id)
    # The maker must still be allowed what the file is for (moving data for exports, seeing customers for PDFs).
    if needed is None or user is None or not user.active or not actor_of(user).can(needed):
        raise gone
    presenter = resolve_session(holder, session=session)
    if presenter is None or presenter.id != user.id:
        raise PermissionDenied(NOT_YOURS)
    if not path.is_file():
        raise gone
    return path, link.download_name
