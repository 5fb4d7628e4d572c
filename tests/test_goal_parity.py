"""The TV and /manage show every goal of the demo with the same figure, target and status words."""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

from dashboard.layouts.kiosk.views import goals as tv_goals
from dashboard.layouts.manage.goals import goal_list as manage_goal_list
from dashboard.services.manage.filters import Filters
from dashboard.services.manage.goals import goal_wording, visible_goals
from kpi.config import Config
from kpi.config.goals import Goal, goal_list
from kpi.config.screens import TeamGoalsView
from kpi.model.viewer import Viewer
from kpi.read.kiosk_views import team_goals
from kpi.store import RedisStore
from wallboard.demo import DemoFeed

NOW = datetime(2026, 11, 25, 13, 0, tzinfo=timezone.utc)
"""A Wednesday afternoon in Oslo: days, weeks and months all under way."""
ADMIN = Viewer("ada", "admin", frozenset())


def _text(component: Any) -> str:
    """Every string inside a rendered component, in order."""
    if component is None:
        return ""
    if isinstance(component, (str, int, float)):
        return str(component)
    if isinstance(component, (list, tuple)):
        return "".join(_text(child) for child in component)
    return _text(getattr(component, "children", None))


def _within(component: Any, class_name: str) -> list[Any]:
    """Components whose class list holds `class_name`, depth first."""
    if isinstance(component, (list, tuple)):
        return [found for child in component for found in _within(child, class_name)]
    if component is None or isinstance(component, (str, int, float)):
        return []
    mine = [component] if class_name in (getattr(component, "className", None) or "").split() else []
    return mine + _within(getattr(component, "children", None), class_name)


def _squeezed(text: str) -> str:
    return "".join(text.split()).lower()


def _tv(store: RedisStore, config: Config, goal: Goal) -> tuple[str, str, str]:
    """(figure, target, status) of `goal` as the TV's goals view draws it."""
    view = TeamGoalsView(type="team_goals", period=goal.period, teams=[goal.team])
    data = team_goals(store, config, view, NOW)
    row = _within(tv_goals(view, data), "wb-goal")[[p.goal for p in data].index(goal)]
    return tuple(_text(_within(row, name)) for name in ("wb-goal-value", "wb-goal-target", "wb-goal-status"))


def _manage(store: RedisStore, config: Config, goal: Goal) -> str:
    """The figure line of `goal` on the goals tab of /manage, filtered to its metric, period and team."""
    filters = Filters(metric=goal.metric, period=goal.period, anchor=NOW.date(), team=goal.team)  # type: ignore[arg-type]
    (progress,) = visible_goals(store, config, ADMIN, filters, NOW)
    return _text(_within(manage_goal_list([goal_wording(progress)]), "mg-goal-figure"))


def test_every_demo_goal_reads_the_same_on_the_tv_and_in_manage(
    redis_store: RedisStore, config: Config
) -> None:
    DemoFeed(redis_store, config, days=40, tick_seconds=1, clock=lambda: NOW).backfill()
    goals = goal_list(config.goals)
    assert len(goals) == 8 and {g.period for g in goals} == {"day", "week", "month"}
    for goal in goals:
        value, target, status = _tv(redis_store, config, goal)
        line = _manage(redis_store, config, goal)
        assert value and target and status, goal
        assert _squeezed(line).startswith(_squeezed(f"{value} of {target}")), (goal, line)
        assert _squeezed(line).endswith(_squeezed(status)), (goal, line)
