"""Headers every HTTP answer carries (pages, downloads, API): no framing, no sniffing, no referrer to other sites.

The policy restricts what cannot break the app: who may frame it, where forms post, base URLs and plugins.
Scripts and styles are left to the defaults, because the compiled frontend inlines some of both.
"""

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

HEADERS = {
    "Content-Security-Policy": "frame-ancestors 'none'; base-uri 'self'; form-action 'self'; object-src 'none'",
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=()",
}


def add_security_headers(app: ASGIApp) -> ASGIApp:
    """Wrap the backend so each HTTP response gets HEADERS (a header the response set itself is kept)."""

    async def with_headers(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return await app(scope, receive, send)

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in HEADERS.items():
                    if name not in headers:
                        headers[name] = value
            await send(message)

        return await app(scope, receive, send_with_headers)

    return with_headers
