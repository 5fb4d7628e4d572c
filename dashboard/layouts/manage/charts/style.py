"""The manager charts' house style: colours, axes and the figure shape every chart is built on.

Figures are plain dicts in plotly's JSON shape: building ``plotly.graph_objects`` validates every property
and costs more than the data queries on a big floor, and the browser validates them anyway.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any, Iterable

from kpi.model.metrics import Metric

Figure = dict[str, Any]
PALETTE = [
    "#2563eb",
    "#db2777",
    "#059669",
    "#d97706",
    "#7c3aed",
    "#0891b2",
    "#dc2626",
    "#65a30d",
    "#4f46e5",
    "#ea580c",
]
GRID = "#e5e7eb"
INK = "#1f2937"
MUTED = "#6b7280"
NPS_COLORS = {"promoters": "#059669", "passives": "#cbd5e1", "detractors": "#dc2626"}
TEXT_PX = 14
"""The smallest text on any manager chart: ticks, legends, labels and notes."""
TITLE_PX = 15
"""Axis titles and the notes over small multiples."""


def color_of(team: str, teams: list[str]) -> str:
    """A stable colour per team (by its place among the sorted teams)."""
    ordered = sorted(teams)
    return PALETTE[ordered.index(team) % len(PALETTE)] if team in ordered else MUTED


def axis_title(metric: Metric) -> str:
    """A value axis's title: the metric and its unit."""
    return f"{metric.label or metric.name}" + (f" ({metric.unit})" if metric.unit else "")


def json_numbers(column: Iterable[Any]) -> list[Any]:
    """JSON-safe numbers: NaN and missing become null (a gap in a line)."""
    return [None if v is None or v != v else float(v) for v in column]


def iso_dates(column: Iterable[Any]) -> list[str]:
    """Dates as plotly reads them on a date axis."""
    return [f"{v:%Y-%m-%d}" for v in column]


def axis(**extra: Any) -> dict[str, Any]:
    """An axis in the house style, with `extra` settings."""
    base = {
        "gridcolor": GRID,
        "linecolor": GRID,
        "zeroline": False,
        "automargin": True,
        "tickfont": {"size": TEXT_PX},
        "title": {"font": {"size": TITLE_PX}},
    }
    return _merged(base, extra)


DAY_MS = 86_400_000


def date_axis(days: list[Any], **extra: Any) -> dict[str, Any]:
    """An axis of dates: ticks on whole days (never 06:00 or 12:00), about a dozen at most.

    `days` are the points' first days; longer spans (weekly, monthly points) are ticked by month. Daily
    axes span half a day either side of the points, so a line chart lines up with a bar chart under it.
    """
    if len(days) < 2:
        return axis(type="date", tickformat="%-d %b", **extra)
    if (max(days) - min(days)).days > 93:
        months = "M1" if (max(days) - min(days)).days <= 400 else "M3"
        return axis(type="date", tickformat="%b %Y", dtick=months, **extra)
    first, last = min(days), max(days)
    step = -(-((last - first).days + 1) // 12)
    half = timedelta(hours=12)
    edges = [f"{_midnight(first) - half:%Y-%m-%d %H:%M}", f"{_midnight(last) + half:%Y-%m-%d %H:%M}"]
    return axis(
        type="date", tickformat="%-d %b", dtick=step * DAY_MS, tick0=f"{first:%Y-%m-%d}", range=edges, **extra
    )


def _midnight(day: Any) -> datetime:
    return datetime(day.year, day.month, day.day)


def count_axis(largest: int, **extra: Any) -> dict[str, Any]:
    """An axis of whole counts (agents, responses): whole ticks only, one per unit when `largest` is small."""
    steps = {"dtick": 1, "tick0": 0} if largest <= 10 else {}
    return axis(tickformat=",d", rangemode="tozero", **steps, **extra)


def figure(
    data: list[dict[str, Any]], *, show_legend: bool = True, height: int | None = None, **layout: Any
) -> Figure:
    """A figure in the house style; `layout` settings are merged into the defaults (dicts key by key)."""
    base: dict[str, Any] = {
        "font": {"family": "Inter, system-ui, sans-serif", "size": TEXT_PX, "color": INK},
        "margin": {"l": 56, "r": 16, "t": 16, "b": 40},
        "hovermode": "closest",
        "uirevision": "manage",
        "showlegend": show_legend,
        "paper_bgcolor": "rgba(0,0,0,0)",
        "plot_bgcolor": "rgba(0,0,0,0)",
        "legend": {"orientation": "h", "y": -0.18, "x": 0, "font": {"size": TEXT_PX}},
        "hoverlabel": {"bgcolor": "#ffffff", "bordercolor": GRID, "font": {"color": INK}},
        "xaxis": axis(),
        "yaxis": axis(),
    }
    if height:
        base["height"] = height
    for key, value in layout.items():
        base[key] = _merged(base[key], value) if isinstance(base.get(key), dict) else value
    return {"data": data, "layout": base}


def _merged(default: Any, value: Any) -> Any:
    """`value` over `default`, dict by dict, so that an axis's `title` text keeps the house title font."""
    if not (isinstance(default, dict) and isinstance(value, dict)):
        return value
    return {**default, **{k: _merged(default.get(k), v) for k, v in value.items()}}


def empty_figure(message: str) -> Figure:
    """A blank chart that says why it is blank."""
    return figure(
        [],
        show_legend=False,
        xaxis={"visible": False},
        yaxis={"visible": False},
        annotations=[
            {
                "text": message,
                "showarrow": False,
                "font": {"size": TITLE_PX, "color": MUTED},
                "xref": "paper",
                "yref": "paper",
                "x": 0.5,
                "y": 0.5,
            }
        ],
    )
