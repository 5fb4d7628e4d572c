"""The manager overview's data: who is in view, totals, trends per team, the full ranking, NPS detail.

Every function takes a `ViewScope` built for the signed-in viewer, so a lead's data never includes an
agent or team outside their teams, whatever filters the browser sends.

pandas is imported with the module (at app start), not lazily in a request: a first import racing in two
request threads leaves one of them with a half-initialised module.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import pandas as pd

from dashboard.services.manage.memo import memoized
from kpi.config import Config
from kpi.model.agents import Agent
from kpi.model.contributions import Figures
from kpi.model.metrics import Metric
from kpi.model.viewer import Viewer
from kpi.read.rankings import combined_figures, figures_in_buckets, ranks_in
from kpi.read.windows import Choice, Window, covering_buckets, granularity, trend_points, trend_windows
from kpi.store.base import Store

RANKING_COLUMNS = ["rank", "id", "name", "team", "value", "count", "previous", "change", "change_pct"]


@dataclass(frozen=True)
class ViewScope:
    """The teams and agents one viewer may see, narrowed to a chosen team."""

    viewer: Viewer
    teams: list[str]
    agents: dict[str, Agent] = field(default_factory=dict)
    all_visible: bool = False
    """True when nothing is filtered out (an admin looking at every team)."""
    visible_teams: list[str] = field(default_factory=list)
    """Every team the viewer may see, before narrowing to one."""


def view_scope(store: Store, viewer: Viewer, team: str | None = None) -> ViewScope:
    """What `viewer` may see, narrowed to `team` (a team they may not see gives an empty scope)."""
    agents = store.agents()
    known_teams = {agent.team for agent in agents.values() if agent.team}
    visible_teams = viewer.visible_teams(known_teams)
    teams = visible_teams if team is None else [team] if team in visible_teams else []
    chosen = set(teams)
    visible = {i: a for i, a in agents.items() if a.team in chosen}
    return ViewScope(
        viewer, teams, visible, all_visible=viewer.sees_all and team is None, visible_teams=visible_teams
    )


@dataclass(frozen=True)
class Summary:
    """A metric over the teams in view, in the window and the window before."""

    value: float | None
    previous: float | None
    count: int
    previous_count: int

    @property
    def change(self) -> float | None:
        if self.value is None or self.previous is None:
            return None
        return self.value - self.previous


def _buckets(window: Window) -> list[str]:
    return [bucket for _, bucket in covering_buckets(window)]


@memoized
def summary(
    store: Store, config: Config, scope: ViewScope, metric_name: str, window: Window, previous: Window
) -> Summary:
    """The metric for all teams in view together, now and in the previous window."""
    metric = config.metric(metric_name)
    if not scope.teams:
        return Summary(None, None, 0, 0)
    now = sum(
        combined_figures(store, config, metric.name, _buckets(window), "team", scope.teams).values(),
        Figures(),
    )
    before = sum(
        combined_figures(store, config, metric.name, _buckets(previous), "team", scope.teams).values(),
        Figures(),
    )
    return Summary(now.value(metric.aggregation), before.value(metric.aggregation), now.count, before.count)


@memoized
def team_values(
    store: Store, config: Config, scope: ViewScope, metric_name: str, window: Window
) -> pd.DataFrame:
    """Each team in view with its figure in the window, best first. Columns: team, value, count."""
    metric = config.metric(metric_name)
    figures = (
        combined_figures(store, config, metric.name, _buckets(window), "team", scope.teams)
        if scope.teams
        else {}
    )
    rows = [
        {"team": team, "value": f.value(metric.aggregation), "count": f.count} for team, f in figures.items()
    ]
    frame = pd.DataFrame(rows, columns=["team", "value", "count"]).astype({"value": "float64"})
    return frame.sort_values("value", ascending=metric.lower_is_better, kind="stable").reset_index(drop=True)


@memoized
def team_trend(
    store: Store,
    config: Config,
    scope: ViewScope,
    metric_name: str,
    choice: Choice,
    window: Window,
    today: date | None = None,
) -> pd.DataFrame:
    """One row per team, point and series ('current' or 'previous', aligned on the current dates).

    Columns: team, series, x (the first day of the current point), bucket, value, count.
    """
    metric = config.metric(metric_name)
    current, previous = trend_windows(choice, window, today)
    period = granularity(current)
    now_points, before_points = trend_points(current, period), trend_points(previous, period)
    rows: list[dict[str, object]] = []
    if scope.teams:
        buckets = [p.bucket for p in now_points] + [p.bucket for p in before_points]
        by_bucket = figures_in_buckets(
            store, config, metric.name, list(dict.fromkeys(buckets)), "team", scope.teams
        )
        for series, series_points in (("current", now_points), ("previous", before_points)):
            for index, point in enumerate(series_points[: len(now_points)]):
                x = now_points[index].start
                for team in scope.teams:
                    figures = by_bucket[point.bucket].get(team, Figures())
                    rows.append(
                        {
                            "team": team,
                            "series": series,
                            "x": pd.Timestamp(x),
                            "bucket": point.bucket,
                            "value": figures.value(metric.aggregation),
                            "count": figures.count,
                        }
                    )
    return pd.DataFrame(rows, columns=["team", "series", "x", "bucket", "value", "count"])


@memoized
def full_ranking(
    store: Store, config: Config, scope: ViewScope, metric_name: str, window: Window, previous: Window
) -> pd.DataFrame:
    """Every agent in view with their figure in the window, rank, and change versus the previous window.

    Agents below the metric's `min_volume` are listed without a rank, after the ranked ones; ties share
    a rank. Columns: `RANKING_COLUMNS`.
    """
    metric = config.metric(metric_name)
    if not scope.agents:
        return pd.DataFrame(columns=RANKING_COLUMNS)
    members = None if scope.all_visible else sorted(scope.agents)
    now = combined_figures(store, config, metric.name, _buckets(window), "agent", members)
    before = combined_figures(store, config, metric.name, _buckets(previous), "agent", members)
    in_view = {agent_id: figures for agent_id, figures in now.items() if agent_id in scope.agents}
    ranks = ranks_in(in_view, metric)
    rows = []
    for agent_id, figures in in_view.items():
        agent = scope.agents[agent_id]
        old = before.get(agent_id)
        rows.append(
            {
                "rank": ranks.get(agent_id),
                "id": agent_id,
                "name": agent.name,
                "team": agent.team,
                "value": figures.value(metric.aggregation),
                "count": figures.count,
                "previous": old.value(metric.aggregation) if old and old.count >= metric.min_volume else None,
            }
        )
    frame = pd.DataFrame(rows, columns=["rank", "id", "name", "team", "value", "count", "previous"])
    return _ranked(frame, metric)


def _ranked(frame: pd.DataFrame, metric: Metric) -> pd.DataFrame:
    frame = frame.astype({"rank": "Int64", "value": "float64", "previous": "float64", "count": "int64"})
    frame["change"] = frame["value"] - frame["previous"]
    base = frame["previous"].where(frame["previous"] != 0)
    frame["change_pct"] = (frame["change"] / base.abs() * 100).round(1)
    frame = frame.sort_values(
        ["rank", "value", "name"],
        ascending=[True, metric.lower_is_better, True],
        na_position="last",
        kind="stable",
    )
    return frame[RANKING_COLUMNS].reset_index(drop=True)


def search_ranking(frame: pd.DataFrame, text: str | None) -> pd.DataFrame:
    """The rows whose name, id or team contains `text` (case-insensitive); all rows for empty text."""
    needle = (text or "").strip().lower()
    if not needle or frame.empty:
        return frame
    haystack = (
        frame["name"].astype(str)
        + "\t"
        + frame["id"].astype(str)
        + "\t"
        + frame["team"].fillna("").astype(str)
    ).str.lower()
    return frame[haystack.str.contains(needle, regex=False)].reset_index(drop=True)


def ranking_csv(frame: pd.DataFrame, metric: Metric) -> str:
    """The ranking as CSV with a header naming the metric's unit."""
    unit = f" ({metric.unit})" if metric.unit else ""
    out = frame.rename(
        columns={
            "value": f"{metric.label or metric.name}{unit}",
            "count": "volume",
            "previous": "previous period",
            "change_pct": "change %",
        }
    )
    return out.to_csv(index=False, float_format=f"%.{max(metric.decimals, 2)}f")


@memoized
def satisfaction(
    store: Store,
    config: Config,
    scope: ViewScope,
    metric_name: str,
    choice: Choice,
    window: Window,
    today: date | None = None,
) -> pd.DataFrame:
    """Per trend point: promoters, passives and detractors (NPS), volume and score of the teams in view.

    Columns: x, bucket, value, count, promoters, passives, detractors.
    """
    metric = config.metric(metric_name)
    current, _ = trend_windows(choice, window, today)
    rows = []
    points = trend_points(current)
    buckets = [p.bucket for p in points]
    by_bucket = (
        figures_in_buckets(store, config, metric.name, buckets, "team", scope.teams) if scope.teams else {}
    )
    for point in points:
        figures = sum(by_bucket.get(point.bucket, {}).values(), Figures())
        rows.append(
            {
                "x": pd.Timestamp(point.start),
                "bucket": point.bucket,
                "value": figures.value(metric.aggregation),
                "count": figures.count,
                "promoters": figures.promoters,
                "passives": figures.passives,
                "detractors": figures.detractors,
            }
        )
    columns = ["x", "bucket", "value", "count", "promoters", "passives", "detractors"]
    return pd.DataFrame(rows, columns=columns)
