"""Refresh the start page's leaders when the data version changes."""

from __future__ import annotations

import dash
from dash import Input, Output, State

from dashboard import ids
from dashboard.context import get_context
from dashboard.layouts.home import boards
from dashboard.services.home import todays_leaders


def register(app: dash.Dash) -> None:
    """Wire the start page's callback on `app`."""
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
    return boards(todays_leaders(context.store, context.config, context.clock())), version
