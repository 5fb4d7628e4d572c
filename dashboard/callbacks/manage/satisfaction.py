"""Callback of the NPS / CSAT tab of ``/manage``."""

from __future__ import annotations

from typing import Any

import dash
from dash import Input, Output
from dash.exceptions import PreventUpdate

from dashboard import ids
from dashboard.callbacks.manage.common import FILTERS, VIEW, view_request
from dashboard.layouts.manage.charts.satisfaction import satisfaction_figure
from dashboard.services.manage import overview as data


def register(app: dash.Dash) -> None:
    """Wire the satisfaction tab's callback on `app`."""
    app.callback(
        Output(ids.MANAGE_SAT_CHART, "figure"), *FILTERS, VIEW, Input(ids.MANAGE_SAT_METRIC, "value")
    )(render_satisfaction)


def render_satisfaction(
    metric: str | None,
    team: str | None,
    period: str | None,
    day: str | None,
    start: str | None,
    end: str | None,
    view: str | None,
    score: str | None,
) -> dict[str, Any]:
    """Promoters, passives and detractors (or volume) with the score, over the trend's points."""
    if view != "satisfaction":
        raise PreventUpdate
    asked = view_request(score or metric, team, period, day, start, end)
    frame = data.satisfaction(
        asked.context.store,
        asked.context.config,
        asked.scope,
        asked.metric.name,
        asked.filters.period,
        asked.filters.window,
    )
    return satisfaction_figure(frame, asked.metric)
