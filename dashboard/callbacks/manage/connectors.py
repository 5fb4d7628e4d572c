"""Callback of the connector health tab of ``/manage`` (admins only)."""

from __future__ import annotations

from typing import Any

import dash
from dash import Output
from dash.exceptions import PreventUpdate

from dashboard import ids
from dashboard.callbacks.manage.common import VIEW, require_viewer
from dashboard.context import get_context
from dashboard.layouts.manage.connectors import admins_only, consent_note, health_table
from dashboard.services.manage.connectors import connector_health
from dashboard.services.me import hidden_by_choice


def register(app: dash.Dash) -> None:
    """Wire the connector health tab's callback on `app`."""
    app.callback(Output(ids.MANAGE_CONNECTORS, "children"), VIEW)(render_connectors)


def render_connectors(view: str | None) -> Any:
    """Each connector's last success, last error, lag and record counts, and how many agents chose to stay
    off the TVs (a count, never names) — admins only."""
    viewer = require_viewer()
    if view != "connectors":
        raise PreventUpdate
    if not viewer.sees_all:
        return admins_only()
    context = get_context()
    return [
        health_table(connector_health(context.store, context.config)),
        consent_note(hidden_by_choice(context.store)),
    ]
