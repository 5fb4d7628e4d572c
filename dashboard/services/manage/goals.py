"""Each team's goals for the manager pages: the figure against the target, the pace, and their wording."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from dashboard.services.manage.formatting import format_value
from kpi.config import Config
from kpi.config.goals import goal_list
from kpi.model.metrics import Metric
from kpi.model.periods import bucket_of, elapsed_fraction
from kpi.model.viewer import Viewer
from kpi.read.rankings import member_reading
from kpi.store.base import Store


@dataclass(frozen=True)
class GoalProgress:
    """A team's figure against its target in the bucket that contains the chosen day."""

    team: str
    metric: str
    label: str
    period: str
    bucket: str
    target: float
    actual: float
    elapsed: float
    lower_is_better: bool
    cumulative: bool
    """True for counts and sums, which grow through the bucket and so have a pace; false for means and NPS."""

    @property
    def progress(self) -> float:
        """How far along the target is (capped at 2 so a bar stays readable)."""
        if self.lower_is_better:
            return min(2.0, self.target / self.actual) if self.actual else 0.0
        return min(2.0, self.actual / self.target)

    @property
    def on_pace(self) -> bool:
        """Ahead of the straight line from zero to the target (counts and sums), else at the target."""
        if self.lower_is_better:
            return self.actual <= self.target
        if not self.cumulative:
            return self.actual >= self.target
        return self.actual >= self.target * self.elapsed


def goals_progress(
    store: Store, config: Config, viewer: Viewer, day: date, now: datetime
) -> list[GoalProgress]:
    """Each configured goal of a team `viewer` may see; empty when no `goals:` are configured."""
    found = []
    for goal in goal_list(config.goals):
        if not viewer.can_see_team(goal.team) or goal.metric not in config.metrics:
            continue
        metric = config.metric(goal.metric)
        bucket = bucket_of(day, goal.period)
        value = member_reading(store, config, goal.metric, bucket, "team", goal.team).value or 0.0
        found.append(
            GoalProgress(
                goal.team,
                goal.metric,
                metric.label or metric.name,
                goal.period,
                bucket,
                goal.target,
                value,
                elapsed_fraction(goal.period, bucket, now, config.zone, config.office_hours),
                metric.lower_is_better,
                metric.aggregation in ("count", "sum"),
            )
        )
    return found


def of_team(goals: list[GoalProgress], team: str | None) -> list[GoalProgress]:
    """The goals of `team`, or all of them when no team is chosen."""
    return [goal for goal in goals if team is None or goal.team == team]


@dataclass(frozen=True)
class GoalWording:
    """How ``/manage`` words and draws one goal."""

    team: str
    what: str
    """What the goal is about, after the team's name: `` · Tickets solved · week 2026-W48``."""
    figures: str
    """The figure against the target, the progress and the verdict: ``42 of 100 · 42% · behind pace``."""
    on_pace: bool
    fill_percent: float
    """How much of the bar is filled (0–100)."""
    pace_percent: float | None
    """Where a steady pace would be by now (0–100); None for means and NPS, which have no pace."""


def goal_wording(goal: GoalProgress, metric: Metric) -> GoalWording:
    """The words and bar of `goal`; counts and sums are on or behind pace, the others on or off target."""
    if goal.cumulative:
        verdict = "on pace" if goal.on_pace else "behind pace"
    else:
        verdict = "on target" if goal.on_pace else "off target"
    actual = format_value(goal.actual, metric.decimals, metric.unit)
    target = format_value(goal.target, metric.decimals, metric.unit)
    return GoalWording(
        team=goal.team,
        what=f" · {goal.label} · {goal.period} {goal.bucket}",
        figures=f"{actual} of {target} · {goal.progress:.0%} · {verdict}",
        on_pace=goal.on_pace,
        fill_percent=min(100.0, goal.progress * 100),
        pace_percent=goal.elapsed * 100 if goal.cumulative else None,
    )
