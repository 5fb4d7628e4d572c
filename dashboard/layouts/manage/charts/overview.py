"""The overview's charts: the per-team trend, the team and agent bars to drill down, the distribution."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from dashboard.layouts.manage.charts.style import (
    Figure,
    axis_title,
    color_of,
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


def trend_figure(frame: pd.DataFrame, metric: Metric, teams: list[str]) -> Figure:
    """One solid line per team for the chosen period and a dashed one for the period before it."""
    if frame.empty or frame["value"].notna().sum() == 0:
        return empty_figure("No figures in this period")
    fmt = f",.{metric.decimals}f"
    active = sorted(frame.loc[frame["value"].notna(), "team"].unique())
    groups = {key: rows for key, rows in frame.groupby(["series", "team"], sort=False)}
    data = []
    for series in ("previous", "current"):
        current = series == "current"
        for team in active:
            rows = groups.get((series, team), frame.iloc[0:0])
            name = team if current else f"{team} · previous"
            data.append(
                {
                    "type": "scatter",
                    "mode": "lines+markers",
                    "name": name,
                    "legendgroup": team,
                    "x": iso_dates(rows["x"]),
                    "y": json_numbers(rows["value"]),
                    "opacity": 1.0 if current else 0.45,
                    "line": {
                        "color": color_of(team, teams),
                        "dash": "solid" if current else "dash",
                        "width": 2.5 if current else 1.5,
                    },
                    "marker": {"size": 6 if current else 4},
                    "customdata": [[team, b, int(c)] for b, c in zip(rows["bucket"], rows["count"])],
                    "hovertemplate": f"<b>{name}</b><br>%{{customdata[1]}}: %{{y:{fmt}}} {metric.unit}"
                    "<br>volume %{customdata[2]}<extra>click to drill down</extra>",
                }
            )
    return figure(
        data,
        xaxis=date_axis(list(frame["x"].unique())),
        yaxis={
            "title": {"text": axis_title(metric)},
            "autorange": "reversed" if metric.lower_is_better else True,
        },
    )


def agents_figure(frame: pd.DataFrame, metric: Metric, team: str, teams: list[str]) -> Figure:
    """The agents of one team, best first (at most 40); a bar opens the agent's page."""
    rows = frame[frame["value"].notna()].head(40)
    if rows.empty:
        return empty_figure(f"No agent figures for {team} in this period")
    rows = rows.iloc[::-1]
    return _clickable_bars(
        rows,
        metric,
        labels=list(rows["name"]),
        color=color_of(team, teams),
        clicked=[["agent", i, int(c)] for i, c in zip(rows["id"], rows["count"])],
        hint="click for the agent's page",
        bar_height=24,
    )


def teams_figure(frame: pd.DataFrame, metric: Metric, teams: list[str]) -> Figure:
    """Every team in view, best first; a bar drills down to that team."""
    rows = frame[frame["value"].notna()]
    if rows.empty:
        return empty_figure("No team figures in this period")
    rows = rows.iloc[::-1]
    return _clickable_bars(
        rows,
        metric,
        labels=list(rows["team"]),
        color=[color_of(t, teams) for t in rows["team"]],
        clicked=[["team", t, int(c)] for t, c in zip(rows["team"], rows["count"])],
        hint="click to drill down",
        bar_height=48,
    )


def _clickable_bars(
    rows: pd.DataFrame,
    metric: Metric,
    *,
    labels: list[str],
    color: str | list[str],
    clicked: list[list[Any]],
    hint: str,
    bar_height: int,
) -> Figure:
    """Horizontal bars with their figures; `clicked` is what a click on each bar hands to the callbacks."""
    data = [
        {
            "type": "bar",
            "orientation": "h",
            "x": json_numbers(rows["value"]),
            "y": labels,
            "marker": {"color": color},
            "customdata": clicked,
            "text": [f"{v:,.{metric.decimals}f}" for v in rows["value"]],
            "textposition": "outside",
            "cliponaxis": False,
            "hovertemplate": f"<b>%{{y}}</b><br>%{{x}} {metric.unit} · volume %{{customdata[2]}}"
            f"<extra>{hint}</extra>",
        }
    ]
    return figure(
        data,
        show_legend=False,
        height=bar_height * len(rows) + 110,
        xaxis={"title": {"text": axis_title(metric)}},
        yaxis={"automargin": True},
    )


def distribution_figure(frame: pd.DataFrame, metric: Metric, teams: list[str]) -> Figure:
    """How the metric spreads across the agents in view: a histogram per team with box plots above."""
    rows = frame[frame["value"].notna()]
    if rows.empty:
        return empty_figure("No agent figures in this period")
    bins, largest = _bins(rows)
    data = []
    for team, values in sorted(rows.groupby("team")["value"]):
        values = json_numbers(values)
        color = color_of(team, teams)
        data.append(
            {
                "type": "box",
                "x": values,
                "name": team,
                "orientation": "h",
                "boxpoints": False,
                "marker": {"color": color},
                "showlegend": False,
                "legendgroup": team,
                "xaxis": "x",
                "yaxis": "y",
            }
        )
        data.append(
            {
                "type": "histogram",
                "x": values,
                "name": team,
                "marker": {"color": color},
                "opacity": 0.7,
                "legendgroup": team,
                "xbins": bins,
                "xaxis": "x",
                "yaxis": "y2",
            }
        )
    return figure(
        data,
        barmode="overlay",
        xaxis={"anchor": "y2", "title": {"text": axis_title(metric)}},
        yaxis={"domain": [0.74, 1], "showticklabels": len(data) <= 12},
        yaxis2=count_axis(largest, domain=[0, 0.68], title={"text": "agents"}),
    )


def _bins(rows: pd.DataFrame, count: int = 30) -> tuple[dict[str, float], int]:
    """Shared histogram bins (about `count` of them) and the most agents of one team in one bin."""
    low, high = float(rows["value"].min()), float(rows["value"].max())
    size = (high - low) / count if high > low else 1.0
    start = low - size / 2 if high == low else low
    slots = (rows["value"] - start) // size
    largest = int(rows.assign(slot=slots).groupby(["team", "slot"]).size().max())
    return {"start": start, "end": high + size, "size": size}, largest
