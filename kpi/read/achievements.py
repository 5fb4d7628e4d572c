"""An agent's badges with their progress, and their level: what `/me` and the agent API show.

Progress reads the same daily history as the evaluation, so "37 of 50" and the award agree. Team badges
are shown with the agent's current team's progress and awards.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from kpi.config import Config
from kpi.config.goals import goal_list
from kpi.game.achievements import Achievement
from kpi.game.criteria import reaches
from kpi.game.levels import Level, level_of
from kpi.model.contributions import Figures
from kpi.model.periods import bucket_of, span_of
from kpi.read.achievement_history import FIRST_YEAR, History, read_pairs
from kpi.read.goal_progress import goal_met
from kpi.read.rankings import ranks_of
from kpi.store.awards import awards_for
from kpi.store.base import Store


@dataclass(frozen=True)
class BadgeProgress:
    """One badge as one agent sees it: earned (when, how often) or not yet, and how far along."""

    id: str
    name: str
    criterion: str
    group: str
    icon: str
    team: bool
    """A team badge: earned by the agent's team together."""
    earned_at: date | None
    """The day it was last earned; None when never."""
    times: int
    progress: float | None
    """How far along now (this period's figure, the current run, channels covered …); None when it has no
    measure (a save) or not yet (a personal best before enough history). For a champion: the current rank."""
    target: float | None
    test: bool

    def public(self) -> dict[str, object]:
        return {
            "id": self.id,
            "name": self.name,
            "criterion": self.criterion,
            "group": self.group,
            "icon": self.icon,
            "earned_at": self.earned_at.isoformat() if self.earned_at else None,
            "times": self.times,
            "progress": self.progress,
            "target": self.target,
        }


def progress(store: Store, config: Config, agent_id: str, now: datetime) -> list[BadgeProgress]:
    """Every configured badge for one agent, in config order (test badges included, flagged)."""
    agent = store.agents([agent_id]).get(agent_id)
    team = agent.team if agent else None
    subjects = [("agent", agent_id)] + ([("team", team)] if team else [])
    history = History(store, config, now, subjects)
    history.preload(read_pairs(config))
    held = awards_for(store).held(subjects)
    found = []
    for badge in config.achievements.values():
        member = agent_id if badge.scope == "agent" else team
        mine = [a for a in held.get((badge.scope, member or ""), {}).values() if a.badge == badge.id]
        done, goal = _measure(store, history, badge, member) if member else (None, None)
        found.append(
            BadgeProgress(
                badge.id,
                badge.name,
                badge.criterion,
                badge.group,
                badge.icon,
                badge.scope == "team",
                max((a.earned_on for a in mine), default=None),
                len(mine),
                done,
                goal,
                badge.test,
            )
        )
    return found


def lifetime(store: Store, config: Config, metric: str, agent_id: str) -> float:
    """An agent's lifetime figure of a metric; 0 when the metric is not configured or has no events."""
    if metric not in config.metrics:
        return 0.0
    aggregation = config.metric(metric).aggregation
    years = [str(y) for y in range(FIRST_YEAR, date.today().year + 2)]
    by_year = store.figures_by_bucket(metric, years, "agent", [agent_id], aggregation=aggregation)
    total = sum((f.get(agent_id, Figures()) for f in by_year.values()), Figures())
    return total.value(aggregation) or 0.0


def agent_level(store: Store, config: Config, agent_id: str) -> Level:
    """The agent's level from their lifetime points (0 points when the levels' metric is not configured)."""
    return level_of(lifetime(store, config, config.levels.metric, agent_id), config.levels)


def _measure(
    store: Store, history: History, badge: Achievement, member: str
) -> tuple[float | None, float | None]:
    """(progress, target) of one badge for one holder now."""
    today, config = history.today, history.config
    if badge.kind == "team_goal":
        goals = [g for g in goal_list(config.goals, badge.period) if g.team == member]
        bucket = bucket_of(today, badge.period)
        met = sum(
            goal_met(
                config.metric(g.metric),
                g.target,
                _in(history, g.metric, "team", member, badge.period, bucket),
            )
            for g in goals
        )
        return float(met), float(len(goals))
    if badge.kind == "every_channel":
        bucket = bucket_of(today, badge.period)
        covered = sum(
            _figures(history, m, "agent", member, badge.period, bucket).count >= 1
            for m in badge.channels.values()
        )
        return float(covered), float(len(badge.channels))
    if badge.kind == "save":
        return None, None
    metric = config.metric(badge.metrics[0])
    volume = getattr(badge, "min_volume", None) or metric.min_volume
    if badge.kind == "champion":
        bucket = bucket_of(today, badge.period)
        rank = ranks_of(store, config, metric.name, bucket, "agent", [member]).get(member)
        return (float(rank) if rank else None), float(badge.top)
    if badge.kind == "streak":
        return float(_current_run(history, badge, member)), float(badge.days)
    if badge.kind == "personal_best":
        return _versus_best(history, badge, member, volume)
    daily = history.daily(metric.name, badge.scope, member)
    if badge.kind == "milestone":
        figures = sum(daily.values(), Figures())
    else:
        figures = _figures(
            history, metric.name, badge.scope, member, badge.period, bucket_of(today, badge.period)
        )
    if figures.count < volume and not metric.cumulative:
        return float(figures.count), float(volume)
    return figures.value(metric.aggregation) or 0.0, badge.target


def _figures(history: History, metric: str, scope: str, member: str, period: str, bucket: str) -> Figures:
    daily = history.daily(metric, scope, member)  # type: ignore[arg-type]
    span = span_of(period, bucket)  # type: ignore[arg-type]
    return sum((f for d, f in daily.items() if span.first <= d <= span.last), Figures())


def _in(history: History, metric: str, scope: str, member: str, period: str, bucket: str) -> float | None:
    figures = history.period_figures(metric, scope, member, period, bucket)  # type: ignore[arg-type]
    return figures.value(history.metric(metric).aggregation)


def _current_run(history: History, badge: Achievement, member: str) -> int:
    """Working days in a row that count, back from today (today only once it counts)."""
    metric = history.metric(badge.metrics[0])
    daily = history.daily(metric.name, "agent", member)
    calendar, run = history.config.work_calendar, 0
    for day in reversed(history.days([metric.name], "agent")):
        if not calendar.working(day):
            continue
        counts = reaches(metric, daily.get(day, Figures()), badge.at_least, badge.min_count)  # type: ignore[union-attr]
        if day == history.today and not counts:
            continue
        if not counts:
            break
        run += 1
    return run


def _versus_best(
    history: History, badge: Achievement, member: str, volume: int
) -> tuple[float | None, float | None]:
    """This period's figure against the best earlier one (None before enough periods count)."""
    metric = history.metric(badge.metrics[0])
    daily = history.daily(metric.name, "agent", member)
    period = badge.period  # type: ignore[union-attr]
    totals: dict[str, Figures] = {}
    for day, figures in daily.items():
        bucket = bucket_of(day, period)
        totals[bucket] = totals.get(bucket, Figures()) + figures
    current = bucket_of(history.today, period)
    earlier = [f.value(metric.aggregation) for b, f in totals.items() if b != current and f.count >= volume]
    values = [v for v in earlier if v is not None]
    if len(values) < badge.min_history:  # type: ignore[union-attr]
        return None, None
    best = min(values) if metric.lower_is_better else max(values)
    return totals.get(current, Figures()).value(metric.aggregation), best
