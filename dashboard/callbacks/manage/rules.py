"""Callback of the rules tab of ``/manage``."""

from __future__ import annotations

from typing import Any

import dash
from dash import Output
from dash.exceptions import PreventUpdate

from dashboard import ids
from dashboard.callbacks.manage.common import VIEW, require_viewer
from dashboard.context import get_context
from dashboard.layouts.manage.rules import rules_tab
from dashboard.services.manage.rules import rules_page


def register(app: dash.Dash) -> None:
    """Wire the rules tab's callback on `app`."""
    app.callback(Output(ids.MANAGE_RULES, "children"), VIEW)(render_rules)


def render_rules(view: str | None) -> Any:
    """The rules in words and their effect over 30 days, for the teams the viewer may see."""
    viewer = require_viewer()
    if view != "rules":
        raise PreventUpdate
    context = get_context()
    return rules_tab(rules_page(context.store, context.config, viewer, context.clock()))
