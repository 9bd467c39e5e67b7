"""An upload too big for anything the app accepts is refused before a byte of its body is read, and every upload
handler of the app is known to the guard (tests/e2e/test_upload_guard.py checks who may send them on a real server).
"""

from reflex.utils.format import format_event_handler
from reflex_base.event import resolve_upload_handler_param
from reflex_base.utils.exceptions import UploadValueError
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import PlainTextResponse
from starlette.routing import Route
from starlette.testclient import TestClient

from customer_app.upload_limit import guard_uploads, limit, upload_permissions
from tests.unit.test_handler_guards import app_states

read: list[int] = []


async def upload(request: Request) -> PlainTextResponse:
    """Stands for Reflex's upload endpoint, which spools whatever it is sent."""
    read.append(len(await request.body()))
    return PlainTextResponse("stored")


client = TestClient(guard_uploads(Starlette(routes=[Route("/_upload", upload, methods=["POST"])])))


def test_an_upload_over_the_limit_from_a_client_nobody_signed_in_is_refused_unread():
    read.clear()
    body = b"x" * (limit() + 1)
    answer = client.post("/_upload", content=body, headers={"content-type": "multipart/form-data; boundary=b"})
    assert answer.status_code == 413
    assert read == []


def test_an_upload_that_does_not_say_its_size_is_refused_unread():
    read.clear()
    answer = client.post("/_upload", content=iter([b"x" * 1024] * 4))  # chunked: no Content-Length
    assert answer.status_code == 411
    assert read == []


def test_an_upload_naming_no_upload_handler_of_the_app_is_refused_unread():
    read.clear()
    answer = client.post("/_upload", content=b"x" * 1024, headers={"reflex-event-handler": "state.anything"})
    assert answer.status_code == 403
    assert read == []


def uploads_of(state: type) -> list[str]:
    """The names of a state's handlers that take uploaded files."""
    found = []
    for handler in state.event_handlers.values():
        try:
            resolve_upload_handler_param(handler)
        except (UploadValueError, TypeError):
            continue
        found.append(format_event_handler(handler))
    return found


def test_every_upload_handler_of_the_app_is_guarded_with_a_permission():
    handlers = {name for state in app_states() for name in uploads_of(state)}
    assert len(handlers) >= 2
    assert handlers == set(upload_permissions())
