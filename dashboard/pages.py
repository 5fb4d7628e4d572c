"""Every page of the app, registered explicitly (no filesystem discovery) with its callbacks."""

from __future__ import annotations

import dash


def register(app: dash.Dash) -> None:
    """Register the pages' layouts and wire their callbacks on `app`."""
    from dashboard.callbacks import home as home_callbacks
    from dashboard.layouts import home

    dash.register_page("home", path="/", title="Wallboard", layout=home.layout)
    app.layout = home.shell()
    home_callbacks.register(app)
