"""Points as every reader shows them: each period's points with the quality gate applied, when it is on.

The one place that turns stored points into gated points: the API's leaderboard, TVs, /manage and /me
read points through `gated_points`, `gated_ranking`, `gated_ranks_of` or `leaderboard`. The gate is per
member and per bucket (an agent's CSAT and reopen rate in that day, week, month …); a team's boards use
the team's own CSAT and reopen rate. Negative totals (penalties) are never scaled down. Lifetime points
(levels) are not gated.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

from kpi.config import Config
from kpi.game.quality_gate import Quality
from kpi.model.contributions import Figures, Scope
from kpi.model.events import VALUE_DECIMALS
from kpi.model.periods import Period, check_period, span_of
from kpi.model.scoring import POINTS_METRIC
from kpi.read.rankings import MAX_LIMIT, Row, ranking
from kpi.store.base import Store


@dataclass(frozen=True)
class GatedPoints:
    """A member's points in one bucket, the gate's factor and what it was decided on."""

    points: float
    count: int
    factor: float
    quality: Quality

    @property
    def value(self) -> float:
        """The points × the factor (negative totals unscaled), to `VALUE_DECIMALS` places."""
        scaled = self.points * self.factor if self.points > 0 else self.points
        return round(scaled, VALUE_DECIMALS)


def gate_on(config: Config) -> bool:
    """Whether points are gated (``points.quality_gate.enabled``)."""
    return config.points.quality_gate.enabled


def gated_points(
    store: Store, config: Config, member: str, period: Period, bucket: str, scope: Scope = "agent"
) -> GatedPoints:
    """One agent's (or team's) gated points in a bucket; factor 1 when the gate is off."""
    span_of(check_period(period), bucket)
    return _gated(store, config, bucket, scope, [member]).get(
        member, GatedPoints(0.0, 0, 1.0, Quality(None, 0, 0, 0))
    )


def gated_ranking(
    store: Store,
    config: Config,
    period: Period,
    bucket: str,
    scope: Scope = "agent",
    *,
    team: str | None = None,
    limit: int = 10,
    exclude: Collection[str] = (),
) -> list[Row]:
    """The best `limit` members by gated points, under the rules of `kpi.read.rankings.ranking`.

    Ties share a rank and are ordered as a stored board orders them (by member, descending).
    """
    span_of(check_period(period), bucket)
    return _rows(store, config, bucket, scope, team, exclude)[: max(0, min(limit, MAX_LIMIT))]


def gated_ranks_of(
    store: Store,
    config: Config,
    period: Period,
    bucket: str,
    scope: Scope,
    members: Collection[str],
    *,
    team: str | None = None,
    exclude: Collection[str] = (),
) -> dict[str, int]:
    """Each of `members`' rank by gated points (as `kpi.read.rankings.ranks_of`: 0 without points, left
    out when they have points but no place)."""
    span_of(check_period(period), bucket)
    placed = {row.id: row.rank for row in _rows(store, config, bucket, scope, team, exclude)}
    present = store.figures(POINTS_METRIC, bucket, scope, sorted(members), aggregation="sum")
    return {m: placed[m] for m in members if m in placed} | {m: 0 for m in members if m not in present}


def _rows(
    store: Store, config: Config, bucket: str, scope: Scope, team: str | None, exclude: Collection[str]
) -> list[Row]:
    """Every placed member of a board by gated points, with ranks; ties ordered by member, descending."""
    metric = config.metric(POINTS_METRIC)
    found = _gated(store, config, bucket, scope, None)
    agents = store.agents(list(found)) if scope == "agent" else {}
    if team is not None:
        found = {
            m: g
            for m, g in found.items()
            if (m == team if scope == "team" else m in agents and agents[m].team == team)
        }
    eligible = [(m, g) for m, g in found.items() if m not in exclude and g.count >= metric.min_volume]
    eligible.sort(key=lambda pair: (pair[1].value, pair[0]), reverse=True)
    rows: list[Row] = []
    for index, (member, gated) in enumerate(eligible):
        rank = rows[-1].rank if rows and rows[-1].value == gated.value else index + 1
        agent = agents.get(member)
        fallback = (member, member if scope == "team" else None)
        name, member_team = (agent.name, agent.team) if agent else fallback
        rows.append(Row(rank, member, name, member_team, gated.value, gated.count))
    return rows


def leaderboard(
    store: Store,
    config: Config,
    metric_name: str,
    period: Period,
    bucket: str,
    scope: Scope = "agent",
    *,
    team: str | None = None,
    limit: int = 10,
    exclude: Collection[str] = (),
) -> list[Row]:
    """A ranking of any metric as readers show it: gated points for `points` when the gate is on."""
    if metric_name == POINTS_METRIC and gate_on(config):
        return gated_ranking(store, config, period, bucket, scope, team=team, limit=limit, exclude=exclude)
    return ranking(store, config, metric_name, period, bucket, scope, team=team, limit=limit, exclude=exclude)


def _gated(
    store: Store, config: Config, bucket: str, scope: Scope, members: list[str] | None
) -> dict[str, GatedPoints]:
    """Gated points of `members` (every member with points when None) in one bucket."""
    points = store.figures(POINTS_METRIC, bucket, scope, members, aggregation="sum")
    gate = config.points.quality_gate
    if not gate.enabled or not points:
        quality = Quality(None, 0, 0, 0)
        return {m: GatedPoints(_sum(f), f.count, 1.0, quality) for m, f in points.items()}
    names = sorted(points)
    csat, reopened, solved = (
        store.figures(name, bucket, scope, names, aggregation=config.metric(name).aggregation)
        for name in gate.metrics
    )
    found = {}
    for member, figures in points.items():
        rated = csat.get(member, Figures())
        quality = Quality(
            rated.value("mean"),
            rated.count,
            reopened.get(member, Figures()).count,
            solved.get(member, Figures()).count,
        )
        found[member] = GatedPoints(_sum(figures), figures.count, gate.factor(quality), quality)
    return found


def _sum(figures: Figures) -> float:
    return figures.value("sum") or 0.0
