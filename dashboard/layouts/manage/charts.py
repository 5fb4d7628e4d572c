"""Plotly figures of the manager pages, built from the services' DataFrames (no data access here).

Figures are plain dicts in plotly's JSON shape: building ``plotly.graph_objects`` validates every property
and costs more than the data queries on a big floor, and the browser validates them anyway.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Iterable

from kpi.config import Config
from kpi.model.metrics import Metric

if TYPE_CHECKING:
    import pandas as pd

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


def color_of(team: str, teams: list[str]) -> str:
    """A stable colour per team (by its place among the sorted teams)."""
    ordered = sorted(teams)
    return PALETTE[ordered.index(team) % len(PALETTE)] if team in ordered else MUTED


def axis_title(metric: Metric) -> str:
    return f"{metric.label or metric.name}" + (f" ({metric.unit})" if metric.unit else "")


def _values(column: Iterable[Any]) -> list[Any]:
    """JSON-safe numbers: NaN and missing become null (a gap in a line)."""
    return [None if v is None or v != v else float(v) for v in column]


def _dates(column: Iterable[Any]) -> list[str]:
    return [f"{v:%Y-%m-%d}" for v in column]


def _axis(**extra: Any) -> dict[str, Any]:
    return {"gridcolor": GRID, "linecolor": GRID, "zeroline": False, "automargin": True, **extra}


def _figure(
    data: list[dict[str, Any]], *, show_legend: bool = True, height: int | None = None, **layout: Any
) -> Figure:
    base: dict[str, Any] = {
        "font": {"family": "Inter, system-ui, sans-serif", "size": 13, "color": INK},
        "margin": {"l": 56, "r": 16, "t": 16, "b": 40},
        "hovermode": "closest",
        "uirevision": "manage",
        "showlegend": show_legend,
        "paper_bgcolor": "rgba(0,0,0,0)",
        "plot_bgcolor": "rgba(0,0,0,0)",
        "legend": {"orientation": "h", "y": -0.18, "x": 0, "font": {"size": 12}},
        "hoverlabel": {"bgcolor": "#ffffff", "bordercolor": GRID, "font": {"color": INK}},
        "xaxis": _axis(),
        "yaxis": _axis(),
    }
    if height:
        base["height"] = height
    for key, value in layout.items():
        merge = isinstance(value, dict) and isinstance(base.get(key), dict)
        base[key] = {**base[key], **value} if merge else value
    return {"data": data, "layout": base}


def empty_figure(message: str) -> Figure:
    """A blank chart that says why it is blank."""
    return _figure(
        [],
        show_legend=False,
        xaxis={"visible": False},
        yaxis={"visible": False},
        annotations=[
            {
                "text": message,
                "showarrow": False,
                "font": {"size": 15, "color": MUTED},
                "xref": "paper",
                "yref": "paper",
                "x": 0.5,
                "y": 0.5,
            }
        ],
    )


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
                    "x": _dates(rows["x"]),
                    "y": _values(rows["value"]),
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
    return _figure(
        data,
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
        bar_height=34,
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
            "x": _values(rows["value"]),
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
    return _figure(
        data,
        show_legend=False,
        height=max(260, bar_height * len(rows) + 80),
        xaxis={"title": {"text": axis_title(metric)}},
        yaxis={"automargin": True},
    )


def distribution_figure(frame: pd.DataFrame, metric: Metric, teams: list[str]) -> Figure:
    """How the metric spreads across the agents in view: a histogram per team with box plots above."""
    rows = frame[frame["value"].notna()]
    if rows.empty:
        return empty_figure("No agent figures in this period")
    data = []
    for team, values in sorted(rows.groupby("team")["value"]):
        values = _values(values)
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
                "nbinsx": 30,
                "xaxis": "x",
                "yaxis": "y2",
            }
        )
    return _figure(
        data,
        barmode="overlay",
        xaxis={"anchor": "y2", "title": {"text": axis_title(metric)}},
        yaxis={"domain": [0.74, 1], "showticklabels": len(data) <= 12},
        yaxis2=_axis(domain=[0, 0.68], title={"text": "agents"}),
    )


def satisfaction_figure(frame: pd.DataFrame, metric: Metric) -> Figure:
    """NPS: promoters, passives and detractors stacked, and the score; other metrics: volume and score."""
    if frame.empty or frame["count"].sum() == 0:
        return empty_figure("No responses in this period")
    x = _dates(frame["x"])
    if metric.aggregation == "nps":
        data = [
            {
                "type": "bar",
                "x": x,
                "y": _values(frame[part]),
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
                "y": _values(frame["count"]),
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
            "y": _values(frame["value"]),
            "name": metric.label or metric.name,
            "yaxis": "y2",
            "line": {"color": INK, "width": 2.5},
        }
    )
    scale = {"range": [-105, 105], "tickvals": [-100, -50, 0, 50, 100]} if metric.aggregation == "nps" else {}
    return _figure(
        data,
        barmode="stack",
        yaxis={"title": {"text": left}},
        yaxis2=_axis(
            overlaying="y", side="right", showgrid=False, title={"text": axis_title(metric)}, **scale
        ),
        margin={"r": 64},
    )


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
        layout[f"xaxis{suffix}"] = _axis(domain=[col * 0.54, col * 0.54 + 0.46], anchor=f"y{suffix}")
        layout[f"yaxis{suffix}"] = _axis(
            domain=[top - cell_h, top - 0.08 * cell_h],
            anchor=f"x{suffix}",
            autorange="reversed" if metric.lower_is_better else True,
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
                "font": {"size": 13, "color": INK},
            }
        )
        part = series[series["metric"] == name]
        axes = {"xaxis": f"x{suffix}", "yaxis": f"y{suffix}"}
        x = _dates(part["x"])
        data.append(
            {
                "type": "scatter",
                "mode": "lines",
                "x": x,
                "y": _values(part["team_median"]),
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
                "y": _values(part["value"]),
                "name": "Agent",
                "legendgroup": "agent",
                "showlegend": index == 0,
                "line": {"color": color, "width": 2.5},
                "marker": {"size": 5},
                **axes,
            }
        )
    layout["legend"] = {"y": 1.0, "yanchor": "bottom", "x": 0, "orientation": "h"}
    return _figure(data, height=plot_px + 110, margin={"t": 64, "b": 46}, **layout)


def agent_ranks_figure(series: pd.DataFrame, config: Config) -> Figure:
    """The agent's rank within the team over time, one line per metric (1 at the top)."""
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
                "x": _dates(part["x"]),
                "y": _values(part["rank"]),
                "name": metric.label or metric.name,
                "line": {"color": PALETTE[index % len(PALETTE)], "width": 2},
                "customdata": _values(part["ranked"]),
                "hovertemplate": "%{y} of %{customdata}",
            }
        )
    small = ranked["ranked"].max() <= 15
    return _figure(
        data,
        yaxis={
            "autorange": "reversed",
            "title": {"text": "rank in team"},
            **({"tick0": 1, "dtick": 1} if small else {}),
        },
    )


def agent_share_figure(summary: pd.DataFrame) -> Figure:
    """The agent's share of the team's result (totals) or volume (means, NPS) per metric."""
    rows = summary[summary["share"].notna()]
    if rows.empty:
        return empty_figure("No team results in this period")
    rows = rows.iloc[::-1]
    data = [
        {
            "type": "bar",
            "orientation": "h",
            "x": [s * 100 for s in rows["share"]],
            "y": list(rows["label"]),
            "marker": {"color": PALETTE[0]},
            "text": [f"{s:.1%}" for s in rows["share"]],
            "textposition": "outside",
            "cliponaxis": False,
            "hovertemplate": "%{y}: %{x:.1f}% of the team<extra></extra>",
        }
    ]
    return _figure(
        data,
        show_legend=False,
        xaxis={"title": {"text": "% of team"}, "ticksuffix": "%", "rangemode": "tozero"},
    )
