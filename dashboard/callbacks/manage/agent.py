"""Callbacks of the agent page: period ↔ URL, and the agent's cards and charts (only for a visible agent)."""

from __future__ import annotations

from typing import Any

import dash
from dash import Input, Output
from dash.exceptions import PreventUpdate

from dashboard import ids
from dashboard.callbacks.manage.common import filters_from, require_viewer
from dashboard.context import get_context
from dashboard.layouts.manage.cards import agent_cards
from dashboard.layouts.manage.charts.agent import agent_metrics_figure, agent_ranks_figure, agent_share_figure
from dashboard.layouts.manage.charts.style import PALETTE, empty_figure
from dashboard.layouts.manage.common import picker_styles
from dashboard.layouts.manage.game import game_panel
from dashboard.services.manage.agent import agent_detail
from dashboard.services.manage.filters import Filters, to_query
from dashboard.services.manage.game import agent_game
from kpi.read.windows import describe, granularity, trend_windows

RANKS_TITLE = "Rank in the team on each day"
PERIOD = [
    Input(ids.MANAGE_AGENT_PERIOD, "value"),
    Input(ids.MANAGE_AGENT_DATE, "date"),
    Input(ids.MANAGE_AGENT_RANGE, "start_date"),
    Input(ids.MANAGE_AGENT_RANGE, "end_date"),
    Input(ids.MANAGE_AGENT_ID, "data"),
]


def register(app: dash.Dash) -> None:
    """Wire the agent page's callbacks on `app`."""
    app.callback(
        Output(ids.MANAGE_AGENT_URL, "search"),
        Output(ids.MANAGE_AGENT_BACK, "href"),
        Output(ids.MANAGE_AGENT_DATE + "-field", "style"),
        Output(ids.MANAGE_AGENT_RANGE + "-field", "style"),
        *PERIOD,
    )(sync_agent_filters)
    app.callback(
        Output(ids.MANAGE_AGENT_CARDS, "children"),
        Output(ids.MANAGE_AGENT_METRICS, "figure"),
        Output(ids.MANAGE_AGENT_RANKS, "figure"),
        Output(ids.MANAGE_AGENT_RANKS_TITLE, "children"),
        Output(ids.MANAGE_AGENT_SHARE, "figure"),
        Output(ids.MANAGE_AGENT_GAME, "children"),
        *PERIOD,
    )(render_agent)


def _filters(
    period: str | None, day: str | None, start: str | None, end: str | None, page: dict[str, Any] | None
) -> Filters:
    page = page or {}
    return filters_from(page.get("metric"), page.get("team"), period, day, start, end)


def sync_agent_filters(
    period: str | None, day: str | None, start: str | None, end: str | None, page: dict[str, Any] | None
) -> tuple[Any, ...]:
    """Mirror the period in the URL and in the link back to the overview."""
    require_viewer()
    filters = _filters(period, day, start, end, page)
    query = to_query(filters)
    return (query, "/manage" + query, *picker_styles(filters.period))


def render_agent(
    period: str | None, day: str | None, start: str | None, end: str | None, page: dict[str, Any] | None
) -> tuple[Any, ...]:
    """The agent's cards and charts; nothing at all for an agent the viewer may not see."""
    viewer = require_viewer()
    if not page or not page.get("id"):
        raise PreventUpdate
    context = get_context()
    filters = _filters(period, day, start, end, page)
    detail = agent_detail(
        context.store,
        context.config,
        viewer,
        page["id"],
        filters.period,
        filters.window,
        filters.previous,
        today=filters.today,
    )
    if detail is None:
        raise PreventUpdate
    game = game_panel(agent_game(context.store, context.config, page["id"], detail.series, context.clock()))
    active = detail.active_metrics
    if not active:
        message = f"No figures for {detail.agent.name}'s team in {describe(filters.shown)}"
        empty = empty_figure(message)
        return agent_cards(detail, context.config), empty, empty, RANKS_TITLE, empty, game
    step = granularity(trend_windows(filters.period, filters.window, filters.today)[0])
    return (
        agent_cards(detail, context.config),
        agent_metrics_figure(detail.series, context.config, PALETTE[0], active),
        agent_ranks_figure(detail.series, context.config, step),
        f"Rank in the team on each {step}",
        agent_share_figure(detail.summary),
        game,
    )
