"""The Dash app: kiosk views for TVs, the manager drill-down and the HTTP API on one Flask server."""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Callable

import dash

from kpi.config import Config, load_config
from kpi.config.settings import Settings
from kpi.store import Store, open_store

log = logging.getLogger("wallboard")

INDEX_HTML = """<!DOCTYPE html>
<html>
    <head>
        {%metas%}
        <title>{%title%}</title>
        {%favicon%}
        {%css%}
        <script>
            /* TVs get their dark page before the app renders, so a reload never flashes white. */
            if (location.pathname.indexOf("/kiosk/") === 0) { document.documentElement.className = "wb-tv"; }
        </script>
    </head>
    <body>
        {%app_entry%}
        <footer>
            {%config%}
            {%scripts%}
            {%renderer%}
        </footer>
    </body>
</html>"""


def create_app(
    settings: Settings | None = None,
    *,
    config: Config | None = None,
    store: Store | None = None,
    clock: Callable[[], datetime] | None = None,
) -> dash.Dash:
    """Build the whole app from settings (environment) and the YAML config.

    Args:
        settings: where the store and config are, and the secrets; read from the environment if None.
        config: the validated YAML config; loaded from ``settings.config_path`` if None.
        store: an existing store to serve (the demo shares its in-process store); opened from
            settings if None.
        clock: the current time, for tests that pin "now".
    """
    from dashboard import api, callback_requests, metrics, not_found, pages, probes, redis_down, request_ids
    from dashboard.cache import shared_cache
    from dashboard.context import AppContext
    from kpi.read.ended_cache import use_memo

    settings = settings or Settings.from_env()
    config = config or load_config(settings.config_path)
    store = store or open_store(settings.redis_url, settings.namespace, for_requests=True)
    log.info(
        "store: %s%s",
        store.kind,
        "" if store.kind == "redis" else " (in-process: figures are lost on exit; set REDIS_URL)",
    )

    app = dash.Dash(
        __name__,
        use_pages=True,
        pages_folder="",
        assets_folder=str(_assets_folder()),
        title="Wallboard",
        update_title=None,
        suppress_callback_exceptions=True,
        compress=True,
    )
    app.index_string = INDEX_HTML
    context = AppContext(settings, config, store)
    if clock is not None:
        context.clock = clock
    context.cache = shared_cache(app.server, store, config)
    use_memo(store, context.cache)
    context.install(app.server)
    redis_down.install(app.server, store)
    if settings.secret_key:
        app.server.secret_key = settings.secret_key
    app.server.config["SESSION_COOKIE_SECURE"] = settings.secure_cookies
    probes.install(app.server)
    metrics.install(app.server)
    request_ids.install(app.server)
    api.register(app.server)
    pages.register(app)
    callback_requests.install(app)
    not_found.install(app)
    return app


def _assets_folder():  # noqa: ANN202 - a Path
    from pathlib import Path

    return Path(__file__).resolve().parent / "assets"
