"""Callback of the NPS / CSAT tab of ``/manage``: the scores' headlines and the chosen score's charts."""

from __future__ import annotations

from typing import Any

import dash
from dash import Output
from dash.exceptions import PreventUpdate

from dashboard import ids
from dashboard.callbacks.manage.common import FILTERS, VIEW, view_request
from dashboard.layouts.manage.cards import satisfaction_cards
from dashboard.layouts.manage.charts.satisfaction import responses_figure, score_figure
from dashboard.layouts.manage.charts.style import empty_figure
from dashboard.services.manage import overview as data
from dashboard.services.manage.satisfaction import headlines, shown_score
from kpi.read.windows import describe, trend_windows


def register(app: dash.Dash) -> None:
    """Wire the satisfaction tab's callback on `app`."""
    app.callback(
        Output(ids.MANAGE_SAT_CARDS, "children"),
        Output(ids.MANAGE_SAT_TITLE, "children"),
        Output(ids.MANAGE_SAT_CHART, "figure"),
        Output(ids.MANAGE_SAT_RESPONSES, "figure"),
        *FILTERS,
        VIEW,
    )(render_satisfaction)


def render_satisfaction(
    metric: str | None,
    team: str | None,
    period: str | None,
    day: str | None,
    start: str | None,
    end: str | None,
    view: str | None,
) -> tuple[Any, ...]:
    """Each score's figure for the period, then the chosen score (or NPS) and its responses per point."""
    if view != "satisfaction":
        raise PreventUpdate
    asked = view_request(metric, team, period, day, start, end)
    filters, store, config = asked.filters, asked.context.store, asked.context.config
    cards = satisfaction_cards(
        filters, headlines(store, config, asked.scope, filters.window, filters.previous)
    )
    score = shown_score(config, asked.metric.name)
    if score is None:
        empty = empty_figure("No NPS or CSAT metric is configured")
        return cards, "Satisfaction detail", empty, empty
    frame = data.satisfaction(
        store, config, asked.scope, score.name, filters.period, filters.window, filters.today
    )
    shown, _ = trend_windows(filters.period, filters.window, filters.today)
    title = f"{score.label or score.name} · {describe(shown)}"
    return cards, title, score_figure(frame, score), responses_figure(frame, score)
