"""The agent page's charts: every metric against the team median, the rank in the team, the share of it."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from dashboard.layouts.manage.charts.style import (
    INK,
    MUTED,
    PALETTE,
    TITLE_PX,
    Figure,
    axis,
    axis_title,
    count_axis,
    date_axis,
    empty_figure,
    figure,
    iso_dates,
    json_numbers,
)
from kpi.config import Config

if TYPE_CHECKING:
    import pandas as pd


def agent_metrics_figure(series: pd.DataFrame, config: Config, color: str, names: list[str]) -> Figure:
    """Small multiples: each of the metrics `names` over time, the agent (solid) against the team median."""
    cols = 2
    rows = (len(names) + cols - 1) // cols
    cell_px, gap_px = 190, 90
    plot_px = rows * cell_px + (rows - 1) * gap_px
    gap_y, cell_h = gap_px / plot_px, cell_px / plot_px
    data: list[dict[str, Any]] = []
    layout: dict[str, Any] = {"annotations": []}
    for index, name in enumerate(names):
        metric = config.metric(name)
        row, col = divmod(index, cols)
        suffix = "" if index == 0 else str(index + 1)
        top = 1 - row * (cell_h + gap_y)
        layout[f"xaxis{suffix}"] = date_axis(
            list(series["x"].unique()), domain=[col * 0.54, col * 0.54 + 0.46], anchor=f"y{suffix}"
        )
        part = series[series["metric"] == name]
        place = {
            "domain": [top - cell_h, top - 0.08 * cell_h],
            "anchor": f"x{suffix}",
            "autorange": "reversed" if metric.lower_is_better else True,
        }
        layout[f"yaxis{suffix}"] = (
            count_axis(_largest(part["value"]), **place) if metric.aggregation == "count" else axis(**place)
        )
        layout["annotations"].append(
            {
                "text": axis_title(metric),
                "showarrow": False,
                "xref": "paper",
                "yref": "paper",
                "x": col * 0.54 + 0.23,
                "y": top,
                "yanchor": "bottom",
                "font": {"size": TITLE_PX, "color": INK},
            }
        )
        axes = {"xaxis": f"x{suffix}", "yaxis": f"y{suffix}"}
        x = iso_dates(part["x"])
        data.append(
            {
                "type": "scatter",
                "mode": "lines",
                "x": x,
                "y": json_numbers(part["team_median"]),
                "name": "Team median",
                "legendgroup": "median",
                "showlegend": index == 0,
                "line": {"color": MUTED, "dash": "dash", "width": 1.5},
                **axes,
            }
        )
        data.append(
            {
                "type": "scatter",
                "mode": "lines+markers",
                "x": x,
                "y": json_numbers(part["value"]),
                "name": "Agent",
                "legendgroup": "agent",
                "showlegend": index == 0,
                "line": {"color": color, "width": 2.5},
                "marker": {"size": 5},
                **axes,
            }
        )
    layout["legend"] = {"y": 1.0, "yanchor": "bottom", "x": 0, "orientation": "h"}
    return figure(data, height=plot_px + 110, margin={"t": 64, "b": 46}, **layout)


def _largest(values: pd.Series) -> int:
    top = values.max()
    return int(top) if top == top and top is not None else 0


def agent_ranks_figure(series: pd.DataFrame, config: Config, step: str) -> Figure:
    """The agent's rank within the team in each `step` (day, week or month), one line per metric (1 on top).

    A point ranks that step alone, so it can differ from the card's rank over the whole period.
    """
    ranked = series[series["rank"].notna()]
    if ranked.empty:
        return empty_figure("Not ranked in this period (below the minimum volume)")
    data = []
    for index, metric in enumerate(config.metrics.values()):
        part = ranked[ranked["metric"] == metric.name]
        if part.empty:
            continue
        data.append(
            {
                "type": "scatter",
                "mode": "lines+markers",
                "x": iso_dates(part["x"]),
                "y": json_numbers(part["rank"]),
                "name": metric.label or metric.name,
                "line": {"color": PALETTE[index % len(PALETTE)], "width": 2},
                "customdata": json_numbers(part["ranked"]),
                "hovertemplate": f"{metric.label or metric.name}: #%{{y}} of %{{customdata}} that {step}"
                "<extra></extra>",
            }
        )
    small = ranked["ranked"].max() <= 15
    return figure(
        data,
        xaxis=date_axis(list(series["x"].unique())),
        yaxis={
            "autorange": "reversed",
            "title": {"text": "rank in team"},
            **({"tick0": 1, "dtick": 1} if small else {}),
        },
    )


def agent_share_figure(summary: pd.DataFrame) -> Figure:
    """The agent's share of the team's total (sums, counts) or of its volume (means, NPS) per metric."""
    rows = summary[summary["share"].notna()]
    if rows.empty:
        return empty_figure("No team results in this period")
    rows = rows.iloc[::-1]
    labels = [f"{label} ({basis})" for label, basis in zip(rows["label"], rows["share_of"])]
    data = [
        {
            "type": "bar",
            "orientation": "h",
            "x": [s * 100 for s in rows["share"]],
            "y": labels,
            "marker": {"color": PALETTE[0]},
            "text": [f"{s:.1%}" for s in rows["share"]],
            "textposition": "outside",
            "cliponaxis": False,
            "hovertemplate": "%{y}: %{x:.1f}%<extra></extra>",
        }
    ]
    return figure(
        data,
        show_legend=False,
        xaxis={
            "title": {"text": "% of the team's total or volume"},
            "ticksuffix": "%",
            "range": [0, max(rows["share"]) * 100 * 1.2],
        },
    )


def points_figure(points: pd.DataFrame) -> Figure:
    """The agent's game points per point of the window (columns x and value)."""
    data = [
        {
            "type": "bar",
            "x": iso_dates(points["x"]),
            "y": json_numbers(points["value"]),
            "marker": {"color": PALETTE[0]},
            "name": "Points",
            "hovertemplate": "%{x}: %{y:,.0f} points<extra></extra>",
        }
    ]
    return figure(
        data,
        show_legend=False,
        height=240,
        margin={"l": 48, "r": 10, "t": 10, "b": 36},
        xaxis=date_axis(list(points["x"])),
        yaxis={"title": {"text": "points"}},
    )
