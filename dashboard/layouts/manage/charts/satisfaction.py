"""The NPS / CSAT tab's chart: responses or volume per point, with the score over them."""

from __future__ import annotations

from typing import TYPE_CHECKING

from dashboard.layouts.manage.charts.style import (
    INK,
    NPS_COLORS,
    Figure,
    axis,
    axis_title,
    empty_figure,
    figure,
    iso_dates,
    json_numbers,
)
from kpi.model.metrics import Metric

if TYPE_CHECKING:
    import pandas as pd


def satisfaction_figure(frame: pd.DataFrame, metric: Metric) -> Figure:
    """NPS: promoters, passives and detractors stacked, and the score; other metrics: volume and score."""
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
        left = "responses"
    else:
        data = [
            {
                "type": "bar",
                "x": x,
                "y": json_numbers(frame["count"]),
                "name": "Volume",
                "marker": {"color": "#cbd5e1"},
            }
        ]
        left = "volume"
    data.append(
        {
            "type": "scatter",
            "mode": "lines+markers",
            "x": x,
            "y": json_numbers(frame["value"]),
            "name": metric.label or metric.name,
            "yaxis": "y2",
            "line": {"color": INK, "width": 2.5},
        }
    )
    scale = {"range": [-105, 105], "tickvals": [-100, -50, 0, 50, 100]} if metric.aggregation == "nps" else {}
    return figure(
        data,
        barmode="stack",
        yaxis={"title": {"text": left}},
        yaxis2=axis(
            overlaying="y", side="right", showgrid=False, title={"text": axis_title(metric)}, **scale
        ),
        margin={"r": 64},
    )
