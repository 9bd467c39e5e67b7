"""Reflex configuration: the app name, the database, and which pages may call the backend."""

import reflex as rx
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
)
