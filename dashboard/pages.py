"""Every page of the app, registered explicitly (no filesystem discovery) with its callbacks."""

from __future__ import annotations

from pathlib import Path

import dash


def register(app: dash.Dash) -> None:
    """Register the pages' layouts and wire their callbacks on `app`."""
    from dashboard import agent_auth
    from dashboard import auth as manage_auth
    from dashboard.callbacks import history as history_callbacks
    from dashboard.callbacks import home as home_callbacks
    from dashboard.callbacks import kiosk as kiosk_callbacks
    from dashboard.callbacks import manage as manage_callbacks
    from dashboard.callbacks import me as me_callbacks
    from dashboard.layouts import home
    from dashboard.layouts.kiosk import page as kiosk
    from dashboard.layouts.manage import agent as manage_agent
    from dashboard.layouts.manage import overview as manage
    from dashboard.layouts.me import page as me
    from dashboard.services.kiosk import access as kiosk_access

    dash.register_page("home", path="/", title="Wallboard", layout=home.layout)
    dash.register_page("kiosk", path_template="/kiosk/<screen>", title=kiosk.title, layout=kiosk.layout)
    dash.register_page("manage", path="/manage", title="Manage · Wallboard", layout=manage.layout)
    dash.register_page(
        "manage_agent",
        path_template="/manage/agent/<agent_id>",
        title=manage_agent.title,
        layout=manage_agent.layout,
    )
    dash.register_page("me", path="/me", title=me.TITLE, layout=me.layout)
    app.layout = _shell
    history_callbacks.register(app)
    home_callbacks.register(app)
    kiosk_access.install(app.server, Path(app.config.assets_folder))
    kiosk_callbacks.register(app)
    manage_auth.install(app.server)
    manage_callbacks.register(app)
    agent_auth.install(app.server)
    me_callbacks.register(app)


def _shell():  # noqa: ANN202 - a Dash component
    """The app-wide frame, built at each page load so that it says whether the history is still loading.

    Dash also builds it once at an app's first request, whatever the route: only a layout request
    (``/_dash-layout``) reads the store, so that ``/healthz`` and the like never ask Redis.
    """
    from flask import has_request_context, request

    from dashboard.context import get_context
    from dashboard.layouts import home
    from kpi.store.base import StoreUnavailable
    from kpi.store.history_state import history_loading

    if not (has_request_context() and request.path.endswith("_dash-layout")):
        return home.shell(False)
    try:
        loading = history_loading(get_context().store)
    except StoreUnavailable:
        loading = False
    return home.shell(loading)
