"""Headers every HTTP answer carries (pages, downloads, API): no framing, no sniffing, no referrer to other sites.

The Content-Security-Policy lets pages load scripts, styles, pictures, fonts and connections from the workspace's
own address only. Two allowances are what the built frontend needs (found by loading every page in Chromium with
the policy on, tests/e2e/test_production_headers.py): inline scripts and styles, because React Router writes its
start-up scripts into each page and the theme writes style tags and attributes; and eval, because Reflex runs the
scripts a handler sends (`rx.call_script`) with it. Everything else (fonts, workers, manifests) falls back to 'self'.
"""

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from customer_app import routes

CONTENT_SECURITY_POLICY = "; ".join(
    (
        "default-src 'self'",
        "script-src 'self' 'unsafe-inline' 'unsafe-eval'",
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self'",
        "connect-src 'self'",
        "frame-ancestors 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "object-src 'none'",
    )
)
HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=()",
}

# Pages whose address holds a one-time token: not even the workspace's own pages get it as a referrer.
TOKEN_PAGES = tuple(
    route.split("[", 1)[0]
    for route in (routes.RESET, routes.INVITE, routes.PORTAL_REGISTER, routes.PORTAL_RESET, routes.PORTAL_CONFIRM_EMAIL)
)


def headers_for(path: str) -> dict[str, str]:
    """The headers an answer for `path` carries."""
    return HEADERS | {"Referrer-Policy": "no-referrer"} if path.startswith(TOKEN_PAGES) else HEADERS


def add_security_headers(app: ASGIApp) -> ASGIApp:
    """Wrap the backend so each HTTP response gets HEADERS (a header the response set itself is kept)."""

    async def with_headers(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return await app(scope, receive, send)

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in headers_for(scope.get("path", "")).items():
                    if name not in headers:
                        headers[name] = value
            await send(message)

        return await app(scope, receive, send_with_headers)

    return with_headers
