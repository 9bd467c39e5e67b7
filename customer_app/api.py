"""HTTP routes beside the Reflex app: downloads of private files, never through the public upload folder."""

from urllib.parse import quote

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import PlainTextResponse, StreamingResponse
from starlette.routing import Route

from customer_app.core import db
from customer_app.errors import NotFoundError
from customer_app.transfer.downloads import PREFIX, resolve_link

_PRIVATE = {"Cache-Control": "no-store", "X-Content-Type-Options": "nosniff"}


def download(request: Request):
    """Stream the file behind a download link to its holder."""
    try:
        with db.session_scope() as session:
            path, name = resolve_link(request.path_params["token"], session=session)
    except NotFoundError as exc:
        return PlainTextResponse(str(exc), status_code=404, headers=_PRIVATE)
    try:
        handle = path.open("rb")  # opened now, so a file deleted a moment later still downloads whole
    except OSError:
        return PlainTextResponse("This file is no longer available. Start the export again.", 404, headers=_PRIVATE)
    headers = _PRIVATE | {"Content-Disposition": _disposition(name)}
    return StreamingResponse(_chunks(handle), media_type=_media_type(name), headers=headers)


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
    return "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


api = Starlette(routes=[Route(PREFIX + "{token}", download)])
