"""Uploads bigger than anything the app accepts are refused before their body is read.

Reflex's upload endpoint spools the whole multipart body to disk before any handler can look at it, so without
this anyone could send gigabytes. The proxy in front should cap bodies too (see README).
"""

from starlette.types import ASGIApp, Receive, Scope, Send

from customer_app.core.sheet_rules import MAX_BYTES as SPREADSHEET_MAX_BYTES
from customer_app.settings import settings

UPLOAD_PATH = "/_upload"
FORM_OVERHEAD = 64 * 1024  # multipart boundaries and headers around the file
TOO_LARGE = b"This upload is larger than anything the workspace accepts."
NO_LENGTH = b"Uploads must say how large they are (Content-Length)."


def limit() -> int:
    """The largest upload body accepted: the largest file of any kind, plus the form around it."""
    return max(SPREADSHEET_MAX_BYTES, settings.picture_max_bytes) + FORM_OVERHEAD


def refuse_large_uploads(app: ASGIApp) -> ASGIApp:
    """Wrap the backend so an upload without a size, or over `limit()`, is answered 411/413 without reading it."""

    async def guarded(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["path"].rstrip("/").endswith(UPLOAD_PATH):
            length = dict(scope["headers"]).get(b"content-length")
            if length is None or not length.isdigit():
                return await _answer(send, 411, NO_LENGTH)
            if int(length) > limit():
                return await _answer(send, 413, TOO_LARGE)
        return await app(scope, receive, send)

    return guarded


async def _answer(send: Send, status: int, text: bytes) -> None:
    headers = [(b"content-type", b"text/plain; charset=utf-8"), (b"content-length", str(len(text)).encode())]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": text})
