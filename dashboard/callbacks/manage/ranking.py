"""Callbacks of the ranking tab of ``/manage``: every agent in view, the quick search and the CSV export."""

from __future__ import annotations

import json
from typing import Any

import dash
from dash import Input, Output, State
from dash.exceptions import PreventUpdate

from dashboard import ids
from dashboard.callbacks.manage.common import FILTERS, VIEW, view_request
from dashboard.layouts.manage.ranking import RANKING_GRID_OPTIONS, ranking_columns
from dashboard.services.manage import overview as data


def register(app: dash.Dash) -> None:
    """Wire the ranking tab's callbacks on `app`."""
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
    note = f"{len(frame) - unranked:,} ranked agents, {filters.comparison}"
    if unranked:
        note += f"; {unranked} below the minimum volume of {metric_.min_volume} are listed last"
    rows = json.loads(frame.to_json(orient="records"))
    return rows, ranking_columns(metric_), note


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
