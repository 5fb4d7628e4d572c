"""One agent's detail for a manager: every metric over time against the team median, ranks, share of team."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from statistics import median

import pandas as pd

from dashboard.services.manage.memo import memoized
from kpi.config import Config
from kpi.model.agents import Agent
from kpi.model.contributions import Figures
from kpi.model.metrics import Metric
from kpi.model.viewer import Viewer
from kpi.read.rankings import combined_figures, figures_in_buckets, rank_among
from kpi.read.windows import Choice, Window, covering_buckets, trend_points, trend_windows
from kpi.store.base import Store

SERIES_COLUMNS = ["metric", "x", "bucket", "value", "team_median", "rank", "ranked", "share"]
SUMMARY_COLUMNS = [
    "metric",
    "label",
    "value",
    "previous",
    "team_median",
    "rank",
    "ranked",
    "share",
    "share_of",
    "count",
    "team_count",
]


@dataclass(frozen=True)
class AgentDetail:
    """Everything the agent page shows."""

    agent: Agent
    teammates: int
    series: pd.DataFrame
    """One row per metric and trend point: `SERIES_COLUMNS`."""
    summary: pd.DataFrame
    """One row per metric for the whole window: `SUMMARY_COLUMNS`."""

    @property
    def active_metrics(self) -> list[str]:
        """The metrics the agent's team has any figures for in the window (the others say nothing)."""
        return [str(m) for m in self.summary.loc[self.summary["team_count"] > 0, "metric"]]


def find_agent(store: Store, viewer: Viewer, agent_id: str) -> tuple[Agent, list[str]] | None:
    """The agent and their team's agent ids, or None when unknown or not visible to `viewer`."""
    agents = store.agents()
    agent = agents.get(agent_id)
    if not viewer.can_see_agent(agent):
        return None
    assert agent is not None
    team = [i for i, a in agents.items() if agent.team is not None and a.team == agent.team] or [agent_id]
    return agent, sorted(team)


def share_of(metric: Metric) -> str:
    """What the agent's share is a share of: the team's total for sums and counts, else its volume.

    A share of a mean or an NPS would mean nothing, so for those it is the share of the ratings or calls.
    """
    return "total" if metric.aggregation in ("sum", "count") else "volume"


def _share(team: dict[str, Figures], member: str, metric: Metric) -> float | None:
    """The member's part of the team's total (sum and count metrics) or of its volume (means, NPS)."""
    mine = team.get(member, Figures())
    if metric.aggregation == "sum":
        whole = sum(f.total for f in team.values())
        return mine.total / whole if whole else None
    whole = sum(f.count for f in team.values())
    return mine.count / whole if whole else None


def _measure(team: dict[str, Figures], member: str, metric: Metric) -> dict[str, object]:
    active = [f.value(metric.aggregation) for f in team.values() if f.count > 0]
    rank, ranked = rank_among(team, member, metric)
    mine = team.get(member, Figures())
    return {
        "value": mine.value(metric.aggregation),
        "team_median": median(active) if active else None,
        "rank": rank,
        "ranked": ranked,
        "share": _share(team, member, metric),
        "count": mine.count,
        "team_count": sum(f.count for f in team.values()),
    }


@memoized
def agent_detail(
    store: Store,
    config: Config,
    viewer: Viewer,
    agent_id: str,
    choice: Choice,
    window: Window,
    previous: Window,
    *,
    today: date | None = None,
) -> AgentDetail | None:
    """The agent's figures for every metric, or None when `viewer` may not see this agent.

    Team medians are over the teammates active in each point; ranks are within the team, among those who
    reach the metric's `min_volume`.
    """
    found = find_agent(store, viewer, agent_id)
    if found is None:
        return None
    agent, team = found
    current, _ = trend_windows(choice, window, today)
    points = trend_points(current)
    now_buckets = [b for _, b in covering_buckets(window)]
    before_buckets = [b for _, b in covering_buckets(previous)]
    series_rows, summary_rows = [], []
    for metric in config.metrics.values():
        by_bucket = figures_in_buckets(store, config, metric.name, [p.bucket for p in points], "agent", team)
        window_now = combined_figures(store, config, metric.name, now_buckets, "agent", team)
        mine_before = combined_figures(store, config, metric.name, before_buckets, "agent", [agent_id])
        for point in points:
            row = _measure(by_bucket.get(point.bucket, {}), agent_id, metric)
            row.pop("count")
            row.pop("team_count")
            series_rows.append(
                {"metric": metric.name, "x": pd.Timestamp(point.start), "bucket": point.bucket, **row}
            )
        now = _measure(window_now, agent_id, metric)
        before = mine_before.get(agent_id, Figures())
        summary_rows.append(
            {
                "metric": metric.name,
                "label": metric.label or metric.name,
                "previous": before.value(metric.aggregation),
                "share_of": share_of(metric),
                **now,
            }
        )
    return AgentDetail(
        agent,
        len(team),
        pd.DataFrame(series_rows, columns=SERIES_COLUMNS),
        pd.DataFrame(summary_rows, columns=SUMMARY_COLUMNS),
    )
