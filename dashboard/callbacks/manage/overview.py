"""Callbacks of ``/manage``: filters ↔ URL, the overview charts, drill-downs, the ranking and its export.

Every callback checks the signed-in viewer first and answers nothing without one; the services only
ever return what that viewer may see.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

import dash
from dash import Input, Output, State, ctx, html
from dash.exceptions import PreventUpdate

from dashboard import ids
from dashboard.callbacks.manage.common import filters_from, picker_styles, require_viewer, view_request
from dashboard.context import get_context
from dashboard.layouts.manage import charts
from dashboard.layouts.manage.common import card, format_value
from dashboard.layouts.manage.overview import RANKING_GRID_OPTIONS
from dashboard.services.manage import overview as data
from dashboard.services.manage.filters import Filters, describe, to_query
from dashboard.services.manage.status import connector_health, goals_progress
from kpi.model.metrics import Metric
from kpi.read.windows import granularity, trend_windows

FILTERS = [
    Input(ids.MANAGE_METRIC, "value"),
    Input(ids.MANAGE_TEAM, "value"),
    Input(ids.MANAGE_PERIOD, "value"),
    Input(ids.MANAGE_DATE, "date"),
    Input(ids.MANAGE_RANGE, "start_date"),
    Input(ids.MANAGE_RANGE, "end_date"),
]
VIEW = Input(ids.MANAGE_VIEW, "value")


def register(app: dash.Dash) -> None:
    """Wire the ``/manage`` callbacks on `app`."""
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
    app.callback(
        Output(ids.MANAGE_GRID, "rowData"),
        Output(ids.MANAGE_GRID, "columnDefs"),
        Output(ids.MANAGE_RANKING_NOTE, "children"),
        *FILTERS,
        VIEW,
    )(render_ranking)
    app.clientside_callback(
        "function(text) { return Object.assign({}, "
        + json.dumps(RANKING_GRID_OPTIONS)
        + ", {quickFilterText: text || ''}); }",
        Output(ids.MANAGE_GRID, "dashGridOptions"),
        Input(ids.MANAGE_SEARCH, "value"),
    )
    app.callback(
        Output(ids.MANAGE_DOWNLOAD, "data"),
        Input(ids.MANAGE_EXPORT, "n_clicks"),
        *[State(i.component_id, i.component_property) for i in FILTERS],
        State(ids.MANAGE_SEARCH, "value"),
        prevent_initial_call=True,
    )(export_ranking)
    app.callback(
        Output(ids.MANAGE_SAT_CHART, "figure"), *FILTERS, VIEW, Input(ids.MANAGE_SAT_METRIC, "value")
    )(render_satisfaction)
    app.callback(Output(ids.MANAGE_GOALS, "children"), *FILTERS, VIEW)(render_goals)
    app.callback(Output(ids.MANAGE_CONNECTORS, "children"), VIEW)(render_connectors)


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


def _change_text(metric: Metric, value: float | None, previous: float | None) -> tuple[str, str]:
    if value is None or previous is None:
        return "no figure to compare", ""
    change = value - previous
    better = change < 0 if metric.lower_is_better else change > 0
    tone = "" if change == 0 else ("up" if better else "down")
    pct = f" ({change / abs(previous):+.1%})" if previous else ""
    sign = "+" if change >= 0 else "−"
    return f"{sign}{format_value(abs(change), metric.decimals)}{pct} vs previous", tone


def _cards(
    filters: Filters, metric: Metric, summary: data.Summary, scope: data.ViewScope, active_agents: int
) -> list[html.Div]:
    change, tone = _change_text(metric, summary.value, summary.previous)
    value = format_value(summary.value, metric.decimals, metric.unit)
    previous = format_value(summary.previous, metric.decimals, metric.unit)
    if metric.aggregation in ("count", "sum") and summary.value is not None and active_agents:
        third = card(
            "Per active agent",
            format_value(summary.value / active_agents, 1, metric.unit),
            f"{active_agents:,} agents with figures",
        )
    else:
        third = card("Volume", f"{summary.count:,}", f"{summary.previous_count:,} in the previous period")
    teams = f"{len(scope.teams)} team{'s' if len(scope.teams) != 1 else ''}"
    return [
        card(metric.label or metric.name, value, change, tone),
        card("Previous period", previous, describe(filters.previous)),
        third,
        card("In view", f"{len(scope.agents):,} agents", f"{teams} · {describe(filters.window)}"),
    ]


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
    trend = data.team_trend(store, config, scope, metric_.name, filters.period, filters.window)
    ranking = data.full_ranking(store, config, scope, metric_.name, filters.window, filters.previous)
    current, previous = trend_windows(filters.period, filters.window)
    step = {"day": "daily", "week": "weekly", "month": "monthly"}[granularity(current)]
    title = (
        f"{metric_.label or metric_.name} per team · {step}, {describe(current)} "
        f"vs {describe(previous)} (dashed)"
    )
    if filters.team and filters.team in scope.teams:
        agents = charts.agents_figure(ranking, metric_, filters.team, all_teams)
        hint = f"{filters.team}, {describe(filters.window)}. Click a bar to open the agent's page."
    else:
        teams = data.team_values(store, config, scope, metric_.name, filters.window)
        agents = charts.teams_figure(teams, metric_, all_teams)
        hint = f"{describe(filters.window)}. Click a team to see its agents."
    active = int((ranking["count"] > 0).sum())
    return (
        _cards(filters, metric_, summary, scope, active),
        title,
        charts.trend_figure(trend, metric_, all_teams),
        agents,
        hint,
        charts.distribution_figure(ranking, metric_, all_teams),
    )


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
    from urllib.parse import quote

    return f"/manage/agent/{quote(str(agent_id), safe='')}{search or ''}"


def _columns(metric: Metric) -> list[dict[str, object]]:
    number = {"function": f"params.value == null ? '–' : d3.format(',.{metric.decimals}f')(params.value)"}
    signed = {"function": f"params.value == null ? '–' : d3.format('+,.{metric.decimals}f')(params.value)"}
    percent = {"function": "params.value == null ? '–' : d3.format('+.1f')(params.value) + '%'"}
    unit = f" ({metric.unit})" if metric.unit else ""
    return [
        {"field": "rank", "headerName": "#", "maxWidth": 80},
        {"field": "name", "headerName": "Agent", "minWidth": 180, "cellClass": "mg-link"},
        {"field": "team", "headerName": "Team"},
        {
            "field": "value",
            "headerName": f"{metric.label or metric.name}{unit}",
            "valueFormatter": number,
            "type": "rightAligned",
        },
        {"field": "previous", "headerName": "Previous", "valueFormatter": number, "type": "rightAligned"},
        {
            "field": "change",
            "headerName": "Change",
            "valueFormatter": signed,
            "type": "rightAligned",
            "cellClassRules": {
                "mg-up": f"params.value {'<' if metric.lower_is_better else '>'} 0",
                "mg-down": f"params.value {'>' if metric.lower_is_better else '<'} 0",
            },
        },
        {"field": "change_pct", "headerName": "Change %", "type": "rightAligned", "valueFormatter": percent},
        {"field": "count", "headerName": "Volume", "type": "rightAligned"},
    ]


def render_ranking(
    metric: str | None,
    team: str | None,
    period: str | None,
    day: str | None,
    start: str | None,
    end: str | None,
    view: str | None,
) -> tuple[Any, ...]:
    """Every agent in view, ranked, with the change versus the previous period."""
    if view != "ranking":
        raise PreventUpdate
    asked = view_request(metric, team, period, day, start, end)
    filters, metric_ = asked.filters, asked.metric
    frame = data.full_ranking(
        asked.context.store, asked.context.config, asked.scope, metric_.name, filters.window, filters.previous
    )
    unranked = int(frame["rank"].isna().sum())
    note = (
        f"{len(frame) - unranked:,} ranked agents, {describe(filters.window)} vs {describe(filters.previous)}"
    )
    if unranked:
        note += f"; {unranked} below the minimum volume of {metric_.min_volume} are listed last"
    rows = json.loads(frame.to_json(orient="records"))
    return rows, _columns(metric_), note


def export_ranking(
    _clicks: int | None,
    metric: str | None,
    team: str | None,
    period: str | None,
    day: str | None,
    start: str | None,
    end: str | None,
    search: str | None,
) -> dict[str, Any]:
    """The ranking in view (after the search) as a CSV download."""
    asked = view_request(metric, team, period, day, start, end)
    filters, metric_ = asked.filters, asked.metric
    frame = data.search_ranking(
        data.full_ranking(
            asked.context.store,
            asked.context.config,
            asked.scope,
            metric_.name,
            filters.window,
            filters.previous,
        ),
        search,
    )
    name = f"ranking-{metric_.name}-{filters.window.first}-{filters.window.last}.csv"
    return {
        "content": data.ranking_csv(frame, metric_),
        "filename": name,
        "type": "text/csv",
        "base64": False,
    }


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
    return charts.satisfaction_figure(frame, asked.metric)


def render_goals(
    metric: str | None,
    team: str | None,
    period: str | None,
    day: str | None,
    start: str | None,
    end: str | None,
    view: str | None,
) -> Any:
    """Each visible team's progress and pace against its targets, for the chosen day."""
    viewer = require_viewer()
    if view != "goals":
        raise PreventUpdate
    context = get_context()
    filters = filters_from(metric, team, period, day, start, end)
    now: datetime = context.clock()
    found = [
        g
        for g in goals_progress(context.store, context.config, viewer, filters.anchor, now)
        if filters.team is None or g.team == filters.team
    ]
    if not found:
        return html.P(
            "No goals configured for the teams in view (add a goals: section to the config).",
            className="mg-empty",
        )
    rows: list[html.Div] = [
        html.P(
            "The bar is the progress towards the target; the black mark is where a "
            "steady pace would be by now.",
            className="mg-hint",
        )
    ]
    for goal in found:
        metric_ = context.config.metric(goal.metric)
        if goal.cumulative:
            pace = "on pace" if goal.on_pace else "behind pace"
        else:
            pace = "on target" if goal.on_pace else "off target"
        rows.append(
            html.Div(
                className="mg-goal",
                children=[
                    html.Div(
                        [html.B(goal.team), f" · {goal.label} · {goal.period} {goal.bucket}"],
                        className="mg-goal-name",
                    ),
                    html.Div(
                        className="mg-goal-bar",
                        children=[
                            html.Div(
                                className=f"mg-goal-fill {'ok' if goal.on_pace else 'late'}",
                                style={"width": f"{min(100.0, goal.progress * 100):.1f}%"},
                            ),
                            html.Div(className="mg-goal-pace", style={"left": f"{goal.elapsed * 100:.1f}%"})
                            if goal.cumulative
                            else None,
                        ],
                    ),
                    html.Div(
                        f"{format_value(goal.actual, metric_.decimals, metric_.unit)} of "
                        f"{format_value(goal.target, metric_.decimals, metric_.unit)} · "
                        f"{goal.progress:.0%} · {pace}",
                        className=f"mg-goal-figure {'ok' if goal.on_pace else 'late'}",
                    ),
                ],
            )
        )
    return rows


def render_connectors(view: str | None) -> Any:
    """Each connector's last success, last error, lag and record counts (admins only)."""
    viewer = require_viewer()
    if view != "connectors":
        raise PreventUpdate
    if not viewer.sees_all:
        return html.P("Connector health is shown to admins.", className="mg-empty")
    context = get_context()
    rows = connector_health(context.store, context.config)
    if not rows:
        return html.P("No connectors configured.", className="mg-empty")
    head = ["Connector", "Status", "Last success", "Last error", "Error", "Lag", "Records", "Events"]
    body = [
        html.Tr(
            [
                html.Td(r["connector"]),
                html.Td(r["status"] or "never run", className=f"mg-status-{r['status']}"),
                html.Td(r["last_success_at"][:19].replace("T", " ") or "–"),
                html.Td(r["last_error_at"][:19].replace("T", " ") or "–"),
                html.Td(r["last_error"] or "–", className="mg-error-text"),
                html.Td(f"{r['lag_seconds']} s" if r["lag_seconds"] else "–"),
                html.Td(r["records"] or "–"),
                html.Td(r["events"] or "–"),
            ]
        )
        for r in rows
    ]
    return html.Table(
        className="mg-table", children=[html.Thead(html.Tr([html.Th(h) for h in head])), html.Tbody(body)]
    )
