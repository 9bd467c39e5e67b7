"""HTTP routes beside the Reflex app: downloads of private files, never through the public upload folder."""

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import FileResponse, PlainTextResponse
from starlette.routing import Route

from customer_app import db
from customer_app.errors import NotFoundError
from customer_app.services.downloads import PREFIX, resolve_link

_PRIVATE = {"Cache-Control": "no-store", "X-Content-Type-Options": "nosniff"}


def download(request: Request):
    """Stream the file behind a download link to its holder."""
    try:
        with db.session_scope() as session:
            path, name = resolve_link(request.path_params["token"], session=session)
    except NotFoundError as exc:
        return PlainTextResponse(str(exc), status_code=404, headers=_PRIVATE)
    return FileResponse(path, filename=name, headers=_PRIVATE)


api = Starlette(routes=[Route(PREFIX + "{token}", download)])
