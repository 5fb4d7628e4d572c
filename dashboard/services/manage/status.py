"""Goals progress and connector health for the manager pages (each optional: empty when not configured)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from kpi.config import Config
from kpi.model.periods import bucket_of, elapsed_fraction
from kpi.model.viewer import Viewer
from kpi.read.rankings import member_reading
from kpi.store.base import Store

HEALTH_FIELDS = (
    "status",
    "last_success_at",
    "last_error_at",
    "last_error",
    "lag_seconds",
    "records",
    "events",
    "last_run_finished_at",
)


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
    goals = getattr(config, "goals", None)
    if not goals:
        return []
    try:
        from kpi.config.goals import goal_list
    except ImportError:
        return []
    found = []
    for goal in goal_list(goals):
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


def connector_health(store: Store, config: Config) -> list[dict[str, Any]]:
    """One row per configured or reporting connector with its health fields; empty when there are none."""
    try:
        from kpi.store.sync_state import sync_state_for
    except ImportError:
        health: dict[str, dict[str, str]] = {}
    else:
        try:
            health = sync_state_for(store).health()
        except TypeError:
            health = {}
    names = sorted(set(config.connectors) | set(health))
    return [
        {"connector": name, **{f: health.get(name, {}).get(f, "") for f in HEALTH_FIELDS}} for name in names
    ]
