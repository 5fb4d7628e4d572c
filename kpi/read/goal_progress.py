"""A team's progress toward its goal: the one rule that the TV, `/manage` and the API all show.

Two kinds of goal:

- **Running totals** (counts and sums, higher is better) grow through the period, so they have a pace:
  a bar filled to the figure, and a marker where a steady pace would be by now (office hours only).
  Status: ``done`` once the target is reached, ``on_track`` at 95 % or more of the pace, else ``behind``.
- **Levels** (means such as CSAT or handle time, NPS, and anything lower-is-better) do not grow: a bar
  toward them means nothing, so they show the figure against the target and whether it is met.
  Status: ``met``, ``missed``, or ``no_data`` before the first event of the period.

A level is compared at the precision it is shown with (CSAT 4.295 reads 4.30 and meets a 4.30 target),
so a screen never says "4.30 of 4.30 — off target".
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Literal

from kpi.config import Config
from kpi.config.goals import Goal, goal_list
from kpi.model.metrics import Metric
from kpi.model.periods import Period, bucket_of, current_bucket, elapsed_fraction
from kpi.read.formatting import Shown, at_shown_precision, format_value
from kpi.read.rankings import member_reading
from kpi.store.base import Store

PACE_TOLERANCE = 0.95
"""A team at 95 % or more of where it should be by now counts as on track."""
GoalStatus = Literal["done", "on_track", "behind", "met", "missed", "no_data"]
STATUS_WORDS: dict[GoalStatus, str] = {
    "done": "Goal reached",
    "on_track": "On track",
    "behind": "Behind pace",
    "met": "Target met",
    "missed": "Off target",
    "no_data": "No data yet",
}
GOOD: frozenset[GoalStatus] = frozenset({"done", "on_track", "met"})


@dataclass(frozen=True)
class GoalProgress:
    """A team's figure against its target in one bucket."""

    goal: Goal
    metric: Metric
    bucket: str
    value: float | None
    """The figure; 0 for a running total without events, None for a level without events."""
    fraction: float | None
    """Running totals: the figure as a share of the target (above 1 when exceeded). Levels: None."""
    expected: float | None
    """Running totals: the share of the target a steady pace reaches by now. Levels: None."""
    status: GoalStatus

    @property
    def running_total(self) -> bool:
        return self.fraction is not None

    @property
    def words(self) -> str:
        """The status as every screen writes it."""
        return STATUS_WORDS[self.status]

    @property
    def shown_value(self) -> Shown:
        """The figure as every screen writes it (big sums shortened, so it fits a TV row)."""
        return format_value(self.value, self.metric, compact=True)

    @property
    def shown_target(self) -> Shown:
        return format_value(self.goal.target, self.metric, compact=True)

    @property
    def good(self) -> bool:
        """Good news (reached, on track or met), for colouring."""
        return self.status in GOOD


def has_pace(metric: Metric) -> bool:
    """Counts and sums where more is better grow toward their target; everything else is a level."""
    return metric.cumulative and not metric.lower_is_better


def goal_progress(
    store: Store, config: Config, goal: Goal, now: datetime, bucket: str | None = None
) -> GoalProgress:
    """One goal's progress in `bucket` (default: the current one) as seen at `now`."""
    metric = config.metric(goal.metric)
    bucket = bucket or current_bucket(goal.period, now, config.zone)
    value = member_reading(store, config, metric.name, bucket, "team", goal.team).value
    if has_pace(metric):
        done = value or 0.0
        fraction = done / goal.target
        expected = elapsed_fraction(goal.period, bucket, now, config.zone, config.office_hours)
        status: GoalStatus = (
            "done" if fraction >= 1 else "on_track" if fraction >= expected * PACE_TOLERANCE else "behind"
        )
        return GoalProgress(goal, metric, bucket, done, fraction, expected, status)
    if value is None:
        return GoalProgress(goal, metric, bucket, None, None, None, "no_data")
    met = level_met(metric, goal.target, value)
    return GoalProgress(goal, metric, bucket, value, None, None, "met" if met else "missed")


def level_met(metric: Metric, target: float, value: float) -> bool:
    """A level's target is met, judged at the precision the figure is shown with."""
    shown = at_shown_precision(value, metric)
    return shown <= target if metric.lower_is_better else shown >= target


def goal_met(metric: Metric, target: float, value: float | None) -> bool:
    """A closed period's goal: a running total reached its target, or a level met it."""
    if has_pace(metric):
        return (value or 0.0) >= target
    return value is not None and level_met(metric, target, value)


def goals_progress(
    store: Store,
    config: Config,
    now: datetime,
    *,
    period: Period | None = None,
    teams: frozenset[str] | None = None,
    metric: str | None = None,
    day: date | None = None,
    limit: int | None = None,
) -> list[GoalProgress]:
    """Progress of the configured goals (of one period, some teams, one metric when given), in config order.

    Args:
        now: the moment pace is measured at.
        period, teams, metric: keep only these goals (None: all).
        day: measure each goal in its bucket that contains this day (default: the current bucket).
        limit: at most this many goals, the first in config order.
    """
    goals = [
        g
        for g in goal_list(config.goals, period)
        if (teams is None or g.team in teams) and (metric is None or g.metric == metric)
    ]
    return [
        goal_progress(store, config, g, now, bucket_of(day, g.period) if day is not None else None)
        for g in goals[:limit]
    ]
