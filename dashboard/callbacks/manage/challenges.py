"""Callback of the challenges tab of ``/manage``."""

from __future__ import annotations

from typing import Any

import dash
from dash import Output
from dash.exceptions import PreventUpdate

from dashboard import ids
from dashboard.callbacks.manage.common import VIEW, require_viewer
from dashboard.context import get_context
from dashboard.layouts.manage.challenges import challenges_tab
from dashboard.services.manage.challenges import challenges_page


def register(app: dash.Dash) -> None:
    """Wire the challenges tab's callback on `app`."""
    app.callback(Output(ids.MANAGE_CHALLENGES, "children"), VIEW)(render_challenges)


def render_challenges(view: str | None) -> Any:
    """Running, upcoming and ended challenges with the standings the viewer may see."""
    viewer = require_viewer()
    if view != "challenges":
        raise PreventUpdate
    context = get_context()
    return challenges_tab(challenges_page(context.store, context.config, viewer, context.clock()))
