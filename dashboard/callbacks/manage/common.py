"""What every manager callback starts with: the signed-in viewer (or no answer at all) and the filters."""

from __future__ import annotations

from dataclasses import dataclass

from dash import Input
from dash.exceptions import PreventUpdate

from dashboard import ids
from dashboard.auth import current_viewer
from dashboard.context import AppContext, get_context
from dashboard.services.manage.filters import Filters, parse_filters
from dashboard.services.manage.overview import ViewScope, view_scope
from kpi.model.metrics import Metric
from kpi.model.periods import local_day
from kpi.model.viewer import Viewer

FILTERS = [
    Input(ids.MANAGE_METRIC, "value"),
    Input(ids.MANAGE_TEAM, "value"),
    Input(ids.MANAGE_PERIOD, "value"),
    Input(ids.MANAGE_DATE, "date"),
    Input(ids.MANAGE_RANGE, "start_date"),
    Input(ids.MANAGE_RANGE, "end_date"),
]
"""The filters of ``/manage``, in the order every overview callback takes them."""
VIEW = Input(ids.MANAGE_VIEW, "value")
"""The chosen tab: each tab's callback answers only while its tab is shown."""


def require_viewer() -> Viewer:
    """The signed-in viewer; otherwise stop the callback so that it sends no data (HTTP 204)."""
    viewer = current_viewer()
    if viewer is None:
        raise PreventUpdate
    return viewer


def filters_from(
    metric: str | None,
    team: str | None,
    period: str | None,
    day: str | None,
    start: str | None,
    end: str | None,
    view: str | None = None,
) -> Filters:
    """The filters that the controls' values describe (bad values fall back to defaults)."""
    context = get_context()
    query = {
        "metric": metric,
        "team": team,
        "period": period,
        "date": day,
        "from": start,
        "to": end,
        "view": view,
    }
    return parse_filters(query, context.config, local_day(context.clock(), context.config.zone))


@dataclass(frozen=True)
class ViewRequest:
    """One manager view's request: who asks, the filters, the metric and what the viewer may see."""

    context: AppContext
    viewer: Viewer
    filters: Filters
    metric: Metric
    scope: ViewScope


def view_request(
    metric: str | None,
    team: str | None,
    period: str | None,
    day: str | None,
    start: str | None,
    end: str | None,
) -> ViewRequest:
    """The signed-in viewer's request (or no answer at all), with the teams and agents they may see."""
    viewer = require_viewer()
    context = get_context()
    filters = filters_from(metric, team, period, day, start, end)
    return ViewRequest(
        context,
        viewer,
        filters,
        context.config.metric(filters.metric),
        view_scope(context.store, viewer, filters.team),
    )
