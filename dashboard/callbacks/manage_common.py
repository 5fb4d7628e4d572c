"""What every manager callback starts with: the signed-in viewer (or no answer at all) and the filters."""

from __future__ import annotations

from dash.exceptions import PreventUpdate

from dashboard.auth import current_viewer
from dashboard.context import get_context
from dashboard.layouts.manage_parts import HIDDEN, SHOWN
from dashboard.services.manage_filters import Filters, parse_filters
from kpi.access import Viewer
from kpi.periods import local_day


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


def picker_styles(period: str | None) -> tuple[dict[str, str], dict[str, str]]:
    """Show the single date picker, or the range picker for a custom period."""
    return (HIDDEN, SHOWN) if period == "custom" else (SHOWN, HIDDEN)
