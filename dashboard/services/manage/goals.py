"""The goals tab of `/manage`: the goals in view, by the same rule and in the same words as the TV."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from dashboard.services.manage.filters import Filters
from kpi.config import Config
from kpi.model.viewer import Viewer
from kpi.read.goal_progress import GoalProgress, goals_progress
from kpi.store.base import Store


def visible_goals(
    store: Store, config: Config, viewer: Viewer, filters: Filters, now: datetime
) -> list[GoalProgress]:
    """The goals a viewer may see that match the filters above them (team, metric, period).

    Each is measured in its bucket that contains the window's last day, by the rule of
    `kpi.read.goal_progress`; a custom window shows the goals of every period.
    """
    teams = frozenset(team for team in config.goals if viewer.can_see_team(team))
    if filters.team is not None:
        teams &= {filters.team}
    period = None if filters.period == "custom" else filters.period
    return goals_progress(
        store, config, now, period=period, teams=teams, metric=filters.metric, day=filters.window.last
    )


@dataclass(frozen=True)
class GoalWording:
    """How ``/manage`` words and draws one goal."""

    team: str
    what: str
    """What the goal is about, after the team's name: `` · Tickets solved · week 2026-W48``."""
    value: str
    target: str
    figures: str
    """The figure of the target, the share (running totals), the status: ``42 of 100 · 42% · behind pace``."""
    status: str
    """The status in the TV's words (``On track``, ``Target met``, …)."""
    good: bool
    fill_percent: float | None
    """How much of the bar is filled (0–100); None for levels (means, NPS), which get no bar."""
    pace_percent: float | None
    """Where a steady pace would be by now (0–100); None for levels."""


def goal_wording(goal: GoalProgress) -> GoalWording:
    """The words and bar of `goal`."""
    value, target = str(goal.shown_value), str(goal.shown_target)
    share = f" · {goal.fraction:.0%}" if goal.fraction is not None else ""
    return GoalWording(
        team=goal.goal.team,
        what=f" · {goal.metric.label or goal.metric.name} · {goal.goal.period} {goal.bucket}",
        value=value,
        target=target,
        figures=f"{value} of {target}{share} · {goal.words.lower()}",
        status=goal.words,
        good=goal.good,
        fill_percent=min(100.0, goal.fraction * 100) if goal.fraction is not None else None,
        pace_percent=goal.expected * 100 if goal.expected is not None else None,
    )
