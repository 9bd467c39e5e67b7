"""Reflex configuration: the app name, the database, and which pages may call the backend."""

import reflex as rx
from reflex.constants import StateManagerMode
from reflex.plugins.sitemap import SitemapPlugin

from customer_app.origins import AllowedOrigins
from customer_app.settings import settings

config = rx.Config(
    app_name="customer_app",
    db_url=settings.database_url,
    telemetry_enabled=False,
    trusted_proxy_hops=settings.trusted_proxy_hops,
    disable_plugins=[SitemapPlugin],
    plugins=[rx.plugins.RadixThemesPlugin(theme=rx.theme(accent_color="indigo", radius="medium"))],
    show_built_with_reflex=False,
    cors_allowed_origins=AllowedOrigins(),  # PUBLIC_URL and the configured frontend, not Reflex's "*"
    # Several workers share tabs' state through Redis. One worker keeps it in memory: the disk manager lists and
    # stats every saved state after each batch of writes, a sixth of a busy worker's time at 200 open pages, to
    # keep states across restarts that a page's own reload (its token stays in the browser) recovers anyway.
    state_manager_mode=StateManagerMode.REDIS if settings.redis_url else StateManagerMode.MEMORY,
)
