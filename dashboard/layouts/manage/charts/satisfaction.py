"""The NPS / CSAT tab's charts: the score on its own chart, and the responses (or volume) under it."""

from __future__ import annotations

from typing import TYPE_CHECKING

from dashboard.layouts.manage.charts.style import (
    INK,
    NPS_COLORS,
    Figure,
    axis_title,
    count_axis,
    date_axis,
    empty_figure,
    figure,
    iso_dates,
    json_numbers,
)
from kpi.model.metrics import Metric

if TYPE_CHECKING:
    import pandas as pd

MARGIN = {"l": 80, "r": 16}
"""One left margin for both charts, so that their days line up."""


def score_figure(frame: pd.DataFrame, metric: Metric) -> Figure:
    """The score per point on its own axis and gridlines; NPS on its fixed −100…100 scale."""
    if frame.empty or frame["count"].sum() == 0:
        return empty_figure("No responses in this period")
    fmt = f",.{metric.decimals}f"
    data = [
        {
            "type": "scatter",
            "mode": "lines+markers",
            "x": iso_dates(frame["x"]),
            "y": json_numbers(frame["value"]),
            "name": metric.label or metric.name,
            "line": {"color": INK, "width": 2.5},
            "customdata": [int(c) for c in frame["count"]],
            "hovertemplate": f"%{{x}}: %{{y:{fmt}}} {metric.unit} · %{{customdata}} responses<extra></extra>",
        }
    ]
    scale = (
        {"range": [-105, 105], "tickvals": [-100, -50, 0, 50, 100], "zeroline": True}
        if metric.aggregation == "nps"
        else {}
    )
    return figure(
        data,
        show_legend=False,
        xaxis=date_axis(list(frame["x"])),
        yaxis={"title": {"text": axis_title(metric)}, "automargin": False, **scale},
        margin=MARGIN,
    )


def responses_figure(frame: pd.DataFrame, metric: Metric) -> Figure:
    """NPS: promoters, passives and detractors stacked per point; other scores: the responses per point."""
    if frame.empty or frame["count"].sum() == 0:
        return empty_figure("No responses in this period")
    x = iso_dates(frame["x"])
    if metric.aggregation == "nps":
        data = [
            {
                "type": "bar",
                "x": x,
                "y": json_numbers(frame[part]),
                "name": part.capitalize(),
                "marker": {"color": NPS_COLORS[part]},
            }
            for part in ("detractors", "passives", "promoters")
        ]
    else:
        data = [
            {
                "type": "bar",
                "x": x,
                "y": json_numbers(frame["count"]),
                "name": "Responses",
                "marker": {"color": "#94a3b8"},
            }
        ]
    largest = int(frame["count"].max())
    return figure(
        data,
        show_legend=metric.aggregation == "nps",
        barmode="stack",
        xaxis=date_axis(list(frame["x"])),
        yaxis=count_axis(largest, title={"text": "responses"}, automargin=False),
        margin=MARGIN,
    )
