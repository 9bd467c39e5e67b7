"""Every HTTP answer forbids framing and sniffing and keeps the referrer on the site."""

from starlette.applications import Starlette
from starlette.responses import PlainTextResponse
from starlette.routing import Route
from starlette.testclient import TestClient

from customer_app.security_headers import HEADERS, add_security_headers


async def page(request) -> PlainTextResponse:
    return PlainTextResponse("a page")


async def download(request) -> PlainTextResponse:
    return PlainTextResponse("a file", headers={"Referrer-Policy": "no-referrer"})


client = TestClient(
    add_security_headers(Starlette(routes=[Route("/", page), Route("/file", download), Route("/{path:path}", page)]))
)


def test_every_answer_carries_the_security_headers():
    answer = client.get("/")
    assert {name: answer.headers[name] for name in HEADERS} == HEADERS
    policy = answer.headers["content-security-policy"].split("; ")
    assert {"default-src 'self'", "connect-src 'self'", "img-src 'self'", "frame-ancestors 'none'"} <= set(policy)
    assert [d for d in policy if d.startswith("script-src")] == ["script-src 'self' 'unsafe-inline' 'unsafe-eval'"]


def test_a_header_a_response_set_itself_is_kept_once():
    answer = client.get("/file")
    assert answer.headers.get_list("referrer-policy") == ["no-referrer"]
    assert answer.headers["x-frame-options"] == "DENY"


def test_pages_whose_address_holds_a_one_time_token_send_no_referrer_at_all():
    for path in (
        "/clients/register/abc",
        "/clients/reset/abc",
        "/clients/confirm-email/abc",
        "/reset/abc",
        "/invite/abc",
    ):
        assert client.get(path).headers["referrer-policy"] == "no-referrer", path
    assert client.get("/clients/tickets").headers["referrer-policy"] == "same-origin"
