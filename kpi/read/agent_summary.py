"""One agent's own game: points per period, level, badges and their rank on each TV ranking.

`/me` and ``GET /api/v1/agents/<id>/achievements`` both read through here, so they show the same figures.
Badges marked ``test: true`` are left out (they are for ``/manage`` only). A rank never carries another
agent's name: only the agent's own place and value, and the leader's value.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from kpi.config import Config
from kpi.game.levels import Level, level_of
from kpi.model.contributions import Figures
from kpi.model.periods import Period, current_bucket
from kpi.model.scoring import POINTS_METRIC
from kpi.read.achievements import BadgeProgress, agent_level, lifetime, progress
from kpi.read.rankings import figures_in_buckets, ranking, standing
from kpi.store.base import Store

POINT_PERIODS: tuple[Period, ...] = ("day", "week", "month")


@dataclass(frozen=True)
class PointsSummary:
    """An agent's points today, this week, this month and over their whole history."""

    day: float
    week: float
    month: float
    lifetime: float

    def public(self) -> dict[str, float]:
        return {"day": self.day, "week": self.week, "month": self.month, "lifetime": self.lifetime}


@dataclass(frozen=True)
class AgentSummary:
    """What an agent's own page and the agent API show of their game."""

    agent_id: str
    name: str
    points: PointsSummary
    level: Level
    badges: list[BadgeProgress]

    def public(self) -> dict[str, object]:
        return {
            "agent_id": self.agent_id,
            "points": self.points.public(),
            "level": self.level.public(),
            "badges": [
                {k: v for k, v in b.public().items() if k not in ("group", "icon")} for b in self.badges
            ],
        }


@dataclass(frozen=True)
class OwnRank:
    """The agent's place on one ranking a TV shows; `rank` 0 when they have no place yet."""

    metric: str
    period: Period
    team: str | None
    rank: int
    value: float | None
    leader_value: float | None


def known_agent(store: Store, agent_id: str) -> bool:
    """Whether any event named this agent."""
    return agent_id in store.agents([agent_id])


def summary(store: Store, config: Config, agent_id: str, now: datetime) -> AgentSummary:
    """The agent's points, level and every badge that is not in test mode, in config order."""
    agent = store.agents([agent_id]).get(agent_id)
    points = _points(store, config, agent_id, now)
    same = config.levels.metric == POINTS_METRIC
    level = level_of(points.lifetime, config.levels) if same else agent_level(store, config, agent_id)
    return AgentSummary(
        agent_id,
        agent.name if agent else agent_id,
        points,
        level,
        [b for b in progress(store, config, agent_id, now) if not b.test],
    )


def _points(store: Store, config: Config, agent_id: str, now: datetime) -> PointsSummary:
    """Points of the current day, week and month (each gated on its own, as boards show them): one read."""
    if POINTS_METRIC not in config.metrics:
        return PointsSummary(0.0, 0.0, 0.0, 0.0)
    buckets = [current_bucket(period, now, config.zone) for period in POINT_PERIODS]
    found = figures_in_buckets(store, config, POINTS_METRIC, buckets, "agent", [agent_id])
    per_period = [found[b].get(agent_id, Figures()).value("sum") or 0.0 for b in buckets]
    return PointsSummary(*per_period, lifetime(store, config, POINTS_METRIC, agent_id))


def ranked_boards(config: Config, team: str | None) -> list[tuple[str, Period, str | None]]:
    """Each agent ranking the TVs show (metric, period, team), once, that this agent takes part in."""
    found: list[tuple[str, Period, str | None]] = []
    for screen in config.screens.values():
        for view in screen.views:
            if getattr(view, "type", "") != "leaderboard" or view.scope != "agent":  # type: ignore[union-attr]
                continue
            board = (view.metric, view.period, view.team)  # type: ignore[union-attr]
            if board not in found and (board[2] is None or board[2] == team):
                found.append(board)
    if not found and POINTS_METRIC in config.metrics:
        found.append((POINTS_METRIC, "week", None))
    return found


def own_ranks(store: Store, config: Config, agent_id: str, now: datetime) -> list[OwnRank]:
    """The agent's rank, value and the leader's value on each ranking the TVs show."""
    agent = store.agents([agent_id]).get(agent_id)
    found = []
    for metric, period, team in ranked_boards(config, agent.team if agent else None):
        bucket = current_bucket(period, now, config.zone)
        rank, mine = standing(store, config, metric, bucket, agent_id, team=team)
        leader = ranking(store, config, metric, period, bucket, "agent", team=team, limit=1)
        found.append(OwnRank(metric, period, team, rank, mine.value, leader[0].value if leader else None))
    return found
