"""Callbacks of the overview tab of ``/manage``: filters ↔ URL, the cards and charts, and drilling down.

Every callback checks the signed-in viewer first and answers nothing without one; the services only
ever return what that viewer may see.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any
from urllib.parse import quote

import dash
from dash import Input, Output, State, ctx
from dash.exceptions import PreventUpdate

from dashboard import ids
from dashboard.callbacks.manage.common import FILTERS, VIEW, filters_from, require_viewer, view_request
from dashboard.context import get_context
from dashboard.layouts.manage.cards import overview_cards
from dashboard.layouts.manage.charts.overview import (
    agents_figure,
    distribution_figure,
    teams_figure,
    trend_figure,
)
from dashboard.layouts.manage.common import picker_styles
from dashboard.services.manage import overview as data
from dashboard.services.manage.filters import to_query
from kpi.read.windows import describe, granularity, trend_windows

if TYPE_CHECKING:
    import pandas as pd


def register(app: dash.Dash) -> None:
    """Wire the overview's callbacks on `app`."""
    app.callback(
        Output(ids.MANAGE_URL, "search"),
        Output(ids.MANAGE_DATE + "-field", "style"),
        Output(ids.MANAGE_RANGE + "-field", "style"),
        Output(ids.MANAGE_AGENT, "options"),
        *FILTERS,
        VIEW,
    )(sync_filters)
    app.callback(
        Output(ids.MANAGE_CARDS, "children"),
        Output(ids.MANAGE_TREND_TITLE, "children"),
        Output(ids.MANAGE_TREND, "figure"),
        Output(ids.MANAGE_AGENTS_CHART, "figure"),
        Output(ids.MANAGE_AGENTS_CHART, "style"),
        Output(ids.MANAGE_AGENTS_HINT, "children"),
        Output(ids.MANAGE_DISTRIBUTION, "figure"),
        *FILTERS,
        VIEW,
    )(render_overview)
    app.callback(
        Output(ids.MANAGE_TEAM, "value"),
        Input(ids.MANAGE_TREND, "clickData"),
        Input(ids.MANAGE_AGENTS_CHART, "clickData"),
        prevent_initial_call=True,
    )(drill_to_team)
    app.callback(
        Output(ids.MANAGE_NAV, "href"),
        Input(ids.MANAGE_AGENTS_CHART, "clickData"),
        Input(ids.MANAGE_GRID, "cellClicked"),
        Input(ids.MANAGE_AGENT, "value"),
        State(ids.MANAGE_URL, "search"),
        prevent_initial_call=True,
    )(open_agent)


def sync_filters(
    metric: str | None,
    team: str | None,
    period: str | None,
    day: str | None,
    start: str | None,
    end: str | None,
    view: str | None,
) -> tuple[Any, ...]:
    """Mirror the filters in the URL, show the right date picker, and list the agents to open."""
    viewer = require_viewer()
    filters = filters_from(metric, team, period, day, start, end, view)
    scope = data.view_scope(get_context().store, viewer, filters.team)
    options = sorted(
        ({"label": f"{a.name} · {a.team}", "value": a.id} for a in scope.agents.values()),
        key=lambda o: o["label"].lower(),
    )
    return (to_query(filters), *picker_styles(filters.period), options)


def render_overview(
    metric: str | None,
    team: str | None,
    period: str | None,
    day: str | None,
    start: str | None,
    end: str | None,
    view: str | None,
) -> tuple[Any, ...]:
    """Cards, the per-team trend, the selected team's agents and the distribution across agents."""
    if view not in (None, "overview"):
        raise PreventUpdate
    asked = view_request(metric, team, period, day, start, end)
    filters, metric_, scope = asked.filters, asked.metric, asked.scope
    store, config = asked.context.store, asked.context.config
    all_teams = scope.visible_teams
    summary = data.summary(store, config, scope, metric_.name, filters.window, filters.previous)
    trend = data.team_trend(store, config, scope, metric_.name, filters.period, filters.window, filters.today)
    ranking = data.full_ranking(store, config, scope, metric_.name, filters.window, filters.previous)
    current, previous = trend_windows(filters.period, filters.window, filters.today)
    step = {"day": "daily", "week": "weekly", "month": "monthly"}[granularity(current)]
    title = (
        f"{metric_.label or metric_.name} per team · {step}, {describe(current)} "
        f"vs {describe(previous)} (dashed)"
    )
    teams = data.team_values(store, config, scope, metric_.name, filters.window)
    one_team = filters.team if filters.team in scope.teams else _only(teams)
    if one_team:
        agents = agents_figure(ranking, metric_, one_team, all_teams)
        hint = f"{one_team}, {describe(filters.shown)}. Click a bar to open the agent's page."
    else:
        agents = teams_figure(teams, metric_, all_teams)
        hint = f"{describe(filters.shown)}. Click a team to see its agents."
    active = int((ranking["count"] > 0).sum())
    return (
        overview_cards(filters, metric_, summary, scope, active),
        title,
        trend_figure(trend, metric_, all_teams),
        agents,
        {"height": f"{agents['layout'].get('height', 320)}px"},
        hint,
        distribution_figure(ranking, metric_, all_teams),
    )


def _only(teams: pd.DataFrame) -> str | None:
    """The one team with figures, if only one has any: a single team's bar says nothing, its agents do."""
    active = teams.loc[teams["value"].notna(), "team"]
    return str(active.iloc[0]) if len(active) == 1 else None


def _clicked(click: dict[str, Any] | None) -> list[Any]:
    try:
        return list(click["points"][0]["customdata"])  # type: ignore[index]
    except (TypeError, KeyError, IndexError):
        return []


def drill_to_team(trend_click: dict[str, Any] | None, bar_click: dict[str, Any] | None) -> str:
    """Clicking a team's line in the trend, or its bar, filters the page to that team."""
    require_viewer()
    if ctx.triggered_id == ids.MANAGE_TREND and _clicked(trend_click):
        return str(_clicked(trend_click)[0])
    clicked = _clicked(bar_click)
    if ctx.triggered_id == ids.MANAGE_AGENTS_CHART and clicked[:1] == ["team"]:
        return str(clicked[1])
    raise PreventUpdate


def open_agent(
    bar_click: dict[str, Any] | None, cell: dict[str, Any] | None, chosen: str | None, search: str | None
) -> str:
    """Open the agent's page from a bar of the team chart, a ranking row or the agent picker."""
    require_viewer()
    agent_id = None
    if ctx.triggered_id == ids.MANAGE_AGENTS_CHART and _clicked(bar_click)[:1] == ["agent"]:
        agent_id = _clicked(bar_click)[1]
    elif ctx.triggered_id == ids.MANAGE_GRID and cell:
        agent_id = cell.get("rowId")
    elif ctx.triggered_id == ids.MANAGE_AGENT:
        agent_id = chosen
    if not agent_id:
        raise PreventUpdate
    return f"/manage/agent/{quote(str(agent_id), safe='')}{search or ''}"
