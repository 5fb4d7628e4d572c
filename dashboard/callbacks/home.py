"""Refresh the start page's leaders when the data version changes."""

from __future__ import annotations

import dash
from dash import Input, Output, State, html

from dashboard import ids
from dashboard.context import get_context
from kpi.model.periods import current_bucket
from kpi.read.display_names import hidden_agents, screen_name
from kpi.read.rankings import ranking

TOP = 3


def register(app: dash.Dash) -> None:
    app.callback(
        Output(ids.HOME_BOARDS, "children"),
        Output(ids.HOME_VERSION, "data"),
        Input(ids.HOME_TICK, "n_intervals"),
        State(ids.HOME_VERSION, "data"),
    )(refresh_home)


def refresh_home(_ticks: int | None, seen_version: int | None):  # noqa: ANN201 - Dash outputs
    """Rebuild the boards only when the data changed; otherwise send nothing."""
    context = get_context()
    version = context.store.data_version()
    if version == seen_version:
        return dash.no_update, dash.no_update
    bucket = current_bucket("day", context.clock(), context.config.zone)
    boards = []
    for metric in context.config.metrics.values():
        rows = ranking(
            context.store,
            context.config,
            metric.name,
            "day",
            bucket,
            limit=TOP,
            exclude=hidden_agents(context.config.agents),
        )
        items = [
            html.Li(
                [
                    html.Span(str(row.rank), className="wb-board-rank"),
                    html.Span(
                        screen_name(row.id, row.name, context.config.agents), className="wb-board-name"
                    ),
                    html.Span(
                        f"{row.value:,.{metric.decimals}f} {metric.unit}".strip(), className="wb-board-value"
                    ),
                ]
            )
            for row in rows
        ] or [html.Li("No one yet today", className="wb-board-empty")]
        boards.append(html.Div([html.H3(metric.label or metric.name), html.Ol(items)], className="wb-board"))
    return boards, version
