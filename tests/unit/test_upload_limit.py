"""An upload too big for anything the app accepts is refused before a byte of its body is read."""

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import PlainTextResponse
from starlette.routing import Route
from starlette.testclient import TestClient

from customer_app.upload_limit import limit, refuse_large_uploads

read: list[int] = []


async def upload(request: Request) -> PlainTextResponse:
    """Stands for Reflex's upload endpoint, which spools whatever it is sent."""
    read.append(len(await request.body()))
    return PlainTextResponse("stored")


client = TestClient(refuse_large_uploads(Starlette(routes=[Route("/_upload", upload, methods=["POST"])])))


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


def test_an_upload_within_the_limit_goes_through():
    read.clear()
    answer = client.post("/_upload", content=b"x" * 1024)
    assert answer.status_code == 200
    assert read == [1024]
