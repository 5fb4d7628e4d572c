"""Callback of the goals tab of ``/manage``."""

from __future__ import annotations

from typing import Any

import dash
from dash import Output
from dash.exceptions import PreventUpdate

from dashboard import ids
from dashboard.callbacks.manage.common import FILTERS, VIEW, filters_from, require_viewer
from dashboard.context import get_context
from dashboard.layouts.manage.goals import goal_list
from dashboard.services.manage.goals import goal_wording, visible_goals


def register(app: dash.Dash) -> None:
    """Wire the goals tab's callback on `app`."""
    app.callback(Output(ids.MANAGE_GOALS, "children"), *FILTERS, VIEW)(render_goals)


def render_goals(
    metric: str | None,
    team: str | None,
    period: str | None,
    day: str | None,
    start: str | None,
    end: str | None,
    view: str | None,
) -> Any:
    """The visible goals of the chosen metric, period and team, measured in the chosen window."""
    viewer = require_viewer()
    if view != "goals":
        raise PreventUpdate
    context = get_context()
    filters = filters_from(metric, team, period, day, start, end)
    found = visible_goals(context.store, context.config, viewer, filters, context.clock())
    return goal_list([goal_wording(goal) for goal in found])
