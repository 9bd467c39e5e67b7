"""HTTP routes beside the Reflex app: health and readiness, and downloads of private files (never through the public
upload folder).

A download is a form the page posts with the browser's sign-in token: sign-in lives in local storage, which a plain
link would not carry, and a bare link is a bearer token anyone who saw it could use.
"""

import asyncio
from urllib.parse import quote

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response, StreamingResponse
from starlette.routing import Route

from customer_app import health
from customer_app.access.downloads import HOLDER_FIELD, PREFIX, resolve_link
from customer_app.core import db
from customer_app.errors import NotFoundError, PermissionDenied, PortalDenied
from customer_app.portal import documents, sign_in

_PRIVATE = {"Cache-Control": "no-store", "X-Content-Type-Options": "nosniff"}
FORM_MAX_BYTES = 4096  # the token field and nothing else: a bigger form is not the page's


async def download(request: Request):
    """Stream the file behind a download link to the signed-in person who made it."""
    holder = await _holder(request)
    try:
        with db.session_scope() as session:
            path, name = resolve_link(request.path_params["token"], holder, session=session)
    except NotFoundError as exc:
        return PlainTextResponse(str(exc), status_code=404, headers=_PRIVATE)
    except PermissionDenied as exc:
        return PlainTextResponse(str(exc), status_code=403, headers=_PRIVATE)
    try:
        handle = path.open("rb")  # opened now, so a file deleted a moment later still downloads whole
    except OSError:
        return PlainTextResponse("This file is no longer available. Start the export again.", 404, headers=_PRIVATE)
    headers = _PRIVATE | {"Content-Disposition": _disposition(name)}
    return StreamingResponse(_chunks(handle), media_type=_media_type(name), headers=headers)


async def _holder(request: Request) -> str:
    """The sign-in token the page posted with the download ("" for a plain visit of the link, or anything else)."""
    length = request.headers.get("content-length", "")
    if request.method != "POST" or not length.isdigit() or int(length) > FORM_MAX_BYTES:
        return ""
    value = (await request.form(max_files=0)).get(HOLDER_FIELD)
    return value if isinstance(value, str) else ""


def _disposition(name: str) -> str:
    """Save-as with the file's name; a name that is not plain ASCII travels encoded (RFC 6266)."""
    plain = name.encode("ascii", "replace").decode().replace('"', "'")
    if plain == name:
        return f'attachment; filename="{name}"'
    return f"attachment; filename=\"{plain}\"; filename*=utf-8''{quote(name)}"


def _chunks(handle):
    with handle:
        yield from iter(lambda: handle.read(1 << 16), b"")


def _media_type(name: str) -> str:
    if name.endswith(".csv"):
        return "text/csv; charset=utf-8"
    if name.endswith(".pdf"):
        return "application/pdf"
    return "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


async def portal_document(request: Request):
    """A portal document's PDF for the browser whose portal session was posted along (rendered in a thread)."""
    holder, number = await _holder(request), request.path_params["document_id"]

    def render() -> tuple[str, bytes] | None:
        with db.session_scope() as session:
            scope = sign_in.resolve(holder, session=session)
            return documents.my_pdf(number, scope=scope, session=session) if scope else None

    try:
        found = await asyncio.to_thread(render)
    except (NotFoundError, PortalDenied) as exc:
        return PlainTextResponse(str(exc), status_code=404, headers=_PRIVATE)
    if found is None:
        return PlainTextResponse("Sign in to the client portal.", status_code=401, headers=_PRIVATE)
    name, data = found
    headers = _PRIVATE | {"Content-Disposition": _disposition(name)}
    return Response(data, media_type="application/pdf", headers=headers)


api = Starlette(
    routes=[
        *health.routes,
        Route(PREFIX + "{token}", download, methods=["GET", "POST"]),
        Route(documents.PDF_PATH + "{document_id:int}", portal_document, methods=["POST"]),
    ]
)
