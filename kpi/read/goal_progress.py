"""A team's progress toward its goal: the one rule that the TV, `/manage` and the API all show."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from kpi.config import Config
from kpi.config.goals import Goal, goal_list
from kpi.config.screens import TeamGoalsView
from kpi.model.metrics import Metric
from kpi.model.periods import current_bucket, elapsed_fraction
from kpi.read.rankings import member_reading
from kpi.store.base import Store

PACE_TOLERANCE = 0.95
"""A team at 95 % or more of where it should be by now counts as on track."""
MAX_GOALS = 8
"""At most this many goal bars fit on a screen."""
GoalStatus = Literal["done", "on_track", "behind"]


@dataclass(frozen=True)
class GoalProgress:
    """A team's figure against its target, with where it should be by now."""

    goal: Goal
    metric: Metric
    bucket: str
    value: float | None
    fraction: float
    """The figure as a share of the target (above 1 when exceeded; inverted for lower-is-better means)."""
    expected: float | None
    """The share of the target the team should have reached by now (count and sum metrics only)."""
    status: GoalStatus


def team_goals(store: Store, config: Config, view: TeamGoalsView, now: datetime) -> list[GoalProgress]:
    """Progress of each configured goal (of the view's period and teams) in its current bucket."""
    goals = [g for g in goal_list(config.goals, view.period) if not view.teams or g.team in view.teams]
    return [goal_progress(store, config, goal, now) for goal in goals[:MAX_GOALS]]


def goal_progress(store: Store, config: Config, goal: Goal, now: datetime) -> GoalProgress:
    """One goal's progress; pace applies to counts and sums, which grow through the period."""
    metric = config.metric(goal.metric)
    bucket = current_bucket(goal.period, now, config.zone)
    value = member_reading(store, config, metric.name, bucket, "team", goal.team).value
    if metric.aggregation in ("count", "sum"):
        done = value or 0.0
        fraction = done / goal.target
        expected = elapsed_fraction(goal.period, bucket, now, config.zone, config.office_hours)
        status: GoalStatus = (
            "done" if fraction >= 1 else "on_track" if fraction >= expected * PACE_TOLERANCE else "behind"
        )
        return GoalProgress(goal, metric, bucket, done, fraction, expected, status)
    if value is None:
        return GoalProgress(goal, metric, bucket, None, 0.0, None, "behind")
    if metric.lower_is_better:
        fraction = goal.target / value if value > 0 else 1.0
    else:
        fraction = value / goal.target if goal.target else 1.0
    return GoalProgress(goal, metric, bucket, value, fraction, None, "done" if fraction >= 1 else "behind")
