"""Which web pages may call the backend from a browser: the workspace's own (PUBLIC_URL) and the frontend Reflex is
configured with (its deploy_url: the same address in production, a port of its own while developing and testing).

Reflex's default lets every site's pages call the API with the browser's credentials and open its websocket.
"""

from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from reflex.config import get_config

from customer_app.settings import settings

if TYPE_CHECKING:  # rxconfig imports this module: loading the app's machinery here would be circular
    from reflex.app import App

DEFAULT_PORTS = {"http": 80, "https": 443}


def origin_of(url: str | None) -> str:
    """The origin browsers name for pages under `url` (scheme://host, and the port unless the default), or ""."""
    try:
        parts = urlsplit((url or "").strip())
        port = parts.port
    except ValueError:
        return ""
    if parts.scheme not in DEFAULT_PORTS or not parts.hostname:
        return ""
    host = f"[{parts.hostname}]" if ":" in parts.hostname else parts.hostname
    return f"{parts.scheme}://{host}" + ("" if port in (None, DEFAULT_PORTS[parts.scheme]) else f":{port}")


def allowed(origin: object, environ: object = None) -> bool:
    """Whether pages from `origin` may call the backend (the websocket server passes its `environ` too).

    Read at each request: the test harness tells Reflex where its frontend listens only after the backend started.
    """
    wanted = {origin_of(settings.public_url), origin_of(get_config().deploy_url)} - {""}
    return isinstance(origin, str) and origin_of(origin) in wanted


class AllowedOrigins(tuple[str, ...]):
    """`cors_allowed_origins` for rxconfig: it lists PUBLIC_URL's origin and answers `in` with `allowed`, which is
    how Starlette's CORS middleware asks."""

    def __new__(cls):
        return super().__new__(cls, (origin_of(settings.public_url),))

    def __contains__(self, origin: object) -> bool:
        return allowed(origin)


def guard_websocket(app: "App") -> None:
    """Give the websocket server the same check (Reflex hands it a copy of the list, fixed at start)."""
    if app.sio is not None:
        app.sio.eio.cors_allowed_origins = allowed
