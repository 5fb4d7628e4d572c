"""The daily figures achievements are judged on, read once per evaluation, and what they deserve.

History runs from the first month in which a judged metric has figures up to today (office time):
daily counters per holder, from which lifetime, period and streak figures are summed. Champion badges also
read the period's board, since a rank depends on everyone's figures.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from kpi.config import Config
from kpi.config.goals import goal_list
from kpi.game import criteria
from kpi.game.achievements import Achievement, Champion, TeamGoal
from kpi.game.criteria import Daily, Found
from kpi.game.levels import level_badge
from kpi.model.awards import Subject
from kpi.model.contributions import Figures, Scope
from kpi.model.metrics import Aggregation, Metric
from kpi.model.periods import Period, bucket_of, days_between, local_day, span_of
from kpi.read.gated_points import gated_metric
from kpi.read.goal_progress import goal_met
from kpi.read.rankings import figures_in_buckets, ranking
from kpi.store.base import Store

FIRST_YEAR = 2000
"""Events are never older (see `kpi.model.events`)."""


@dataclass(frozen=True)
class Rule:
    """One thing that can be awarded: a configured achievement, or reaching a level (`badge` is None)."""

    id: str
    name: str
    scope: Scope
    celebrate: bool
    test: bool
    badge: Achievement | None = None
    level_at: float = 0.0


def rules_of(config: Config) -> list[Rule]:
    """Every achievement of the config, then each level above the first (when its metric is configured)."""
    rules = [Rule(b.id, b.name, b.scope, b.celebrate, b.test, b) for b in config.achievements.values()]
    levels = config.levels
    if levels.metric in config.metrics:
        rules += [
            Rule(level_badge(i), step.name, "agent", levels.celebrate, False, level_at=step.at)
            for i, step in enumerate(levels.steps)
            if i > 0
        ]
    return rules


class History:
    """Daily figures of some holders (all when `subjects` is None), loaded per metric on first use."""

    def __init__(self, store: Store, config: Config, now: datetime, subjects: Collection[Subject] | None):
        self.store, self.config = store, config
        self.today = local_day(now, config.zone)
        self._members: dict[Scope, list[str]] | None = None
        if subjects is not None:
            self._members = {"agent": [], "team": []}
            for scope, member in sorted(set(subjects)):
                self._members[scope].append(member)
        self._first: dict[tuple[str, Scope], date | None] = {}
        self._days: dict[tuple[tuple[str, ...], Scope], list[date]] = {}
        self._daily: dict[tuple[str, Scope], dict[str, dict[date, Figures]]] = {}
        self._gated: dict[tuple[str, Scope, Period], dict[str, dict[str, Figures]]] = {}

    def members(self, scope: Scope) -> list[str] | None:
        return None if self._members is None else self._members[scope]

    def _first_month(self, metric: str, scope: Scope) -> date | None:
        """The first day of the first month with figures (years, then that year's months: two reads)."""
        if (metric, scope) not in self._first:
            years = [str(y) for y in range(FIRST_YEAR, self.today.year + 1)]
            by_year = self._read(metric, years, scope)
            year = next((int(y) for y in years if by_year[y]), None)
            first = None
            if year is not None:
                months = [f"{year}-{m:02d}" for m in range(1, 13)]
                by_month = self._read(metric, months, scope)
                month = next(int(m[5:]) for m in months if by_month[m])
                first = date(year, month, 1)
            self._first[(metric, scope)] = first
        return self._first[(metric, scope)]

    def _read(self, metric: str, buckets: list[str], scope: Scope) -> dict[str, dict[str, Figures]]:
        members = self.members(scope)
        if members is not None and not members:
            return {bucket: {} for bucket in buckets}
        aggregation = self.config.metric(metric).aggregation
        return self.store.figures_by_bucket(metric, buckets, scope, members, aggregation=aggregation)

    def preload(self, pairs: Collection[tuple[str, Scope]]) -> None:
        """Load the daily figures of several (metric, scope) pairs in three round trips per scope (their
        years, the months of those years, the days from the first month), not three per pair."""
        for scope in ("agent", "team"):
            metrics = sorted({m for m, s in pairs if s == scope and (m, s) not in self._daily})
            members = self.members(scope)  # type: ignore[arg-type]
            if metrics and (members is None or members):
                self._preload(metrics, scope)  # type: ignore[arg-type]

    def _preload(self, metrics: list[str], scope: Scope) -> None:
        years = [str(y) for y in range(FIRST_YEAR, self.today.year + 1)]
        by_year = self._read_many(metrics, years, scope, counts_only=True)
        first_year = {m: next((int(y) for y in years if by_year[m][y]), None) for m in metrics}
        with_data = [m for m in metrics if first_year[m] is not None]
        for metric in metrics:
            self._first[(metric, scope)] = None
        if not with_data:
            return
        months = [f"{y}-{n:02d}" for y in sorted({first_year[m] for m in with_data}) for n in range(1, 13)]
        by_month = self._read_many(with_data, months, scope, counts_only=True)
        for metric in with_data:
            month = next(b for b in months if b.startswith(str(first_year[metric])) and by_month[metric][b])
            self._first[(metric, scope)] = date(int(month[:4]), int(month[5:]), 1)
        first = min(d for m in with_data if (d := self._first[(m, scope)]) is not None)
        by_day = self._read_many(with_data, [d.isoformat() for d in days_between(first, self.today)], scope)
        for metric in metrics:
            self._daily[(metric, scope)] = _by_member(by_day.get(metric, {}), self.days([metric], scope))

    def _read_many(
        self, metrics: list[str], buckets: list[str], scope: Scope, *, counts_only: bool = False
    ) -> dict[str, dict[str, dict[str, Figures]]]:
        """Figures of several metrics in one round trip; only the counts (which buckets have figures) when
        `counts_only`, which every aggregation keeps."""
        wanted: dict[str, Aggregation] = {
            m: "count" if counts_only else self.config.metric(m).aggregation for m in metrics
        }
        return self.store.figures_by_metric(wanted, buckets, scope, self.members(scope))

    def days(self, metrics: Sequence[str], scope: Scope) -> list[date]:
        """Every day from the first month with figures of any of `metrics` to today."""
        key = (tuple(metrics), scope)
        if key not in self._days:
            firsts = [d for d in (self._first_month(m, scope) for m in metrics) if d is not None]
            self._days[key] = days_between(min(firsts), self.today) if firsts else []
        return self._days[key]

    def daily(self, metric: str, scope: Scope, member: str) -> Daily:
        key = (metric, scope)
        if key not in self._daily:
            days = self.days([metric], scope)
            self._daily[key] = _by_member(self._read(metric, [d.isoformat() for d in days], scope), days)
        return self._daily[key].get(member, {})

    def period_figures(self, metric: str, scope: Scope, member: str, period: Period, bucket: str) -> Figures:
        """A holder's figures in one bucket as boards and goals show them: the sum of the days, or for
        gated points the bucket's gated points (`kpi.read.gated_points`: a period's factor is not the
        days' factors), read once for every bucket of the history."""
        if not gated_metric(self.config, metric):
            span, daily = span_of(period, bucket), self.daily(metric, scope, member)
            return sum((daily.get(d, Figures()) for d in days_between(span.first, span.last)), Figures())
        key = (metric, scope, period)
        if key not in self._gated:
            buckets = list(criteria.buckets(period, self.days([metric], scope)))
            members = self.members(scope)
            empty = not buckets or (members is not None and not members)
            self._gated[key] = (
                {} if empty else figures_in_buckets(self.store, self.config, metric, buckets, scope, members)
            )
        return self._gated[key].get(bucket, {}).get(member, Figures())

    def metric(self, name: str) -> Metric:
        return self.config.metric(name)


def _by_member(by_bucket: dict[str, dict[str, Figures]], days: list[date]) -> dict[str, dict[date, Figures]]:
    """Daily figures per member over `days`, from figures per day bucket."""
    by_member: dict[str, dict[date, Figures]] = {}
    for day in days:
        for who, figures in by_bucket.get(day.isoformat(), {}).items():
            by_member.setdefault(who, {})[day] = figures
    return by_member


def read_pairs(config: Config) -> set[tuple[str, Scope]]:
    """The daily series the configured badges and levels are judged on, for `History.preload`."""
    pairs: set[tuple[str, Scope]] = set()
    for badge in config.achievements.values():
        names = [g.metric for g in goal_list(config.goals, badge.period)] if badge.kind == "team_goal" else []
        pairs |= {(name, badge.scope) for name in [*badge.metrics, *names] if name in config.metrics}
    if config.levels.metric in config.metrics:
        pairs.add((config.levels.metric, "agent"))
    return pairs


def found_for(history: History, rule: Rule, member: str) -> list[Found]:
    """What one holder has earned of a rule (champion badges excepted: see `champion_winners`)."""
    badge, today = rule.badge, history.today
    if badge is None:
        metric = history.metric(history.config.levels.metric)
        days = history.days([metric.name], "agent")
        return criteria.milestone(history.daily(metric.name, "agent", member), days, metric, rule.level_at, 1)
    if badge.kind == "team_goal":
        return _team_goals(history, badge, member)
    if badge.kind == "every_channel":
        channel_metrics = list(badge.channels.values())
        dailies = [history.daily(m, "agent", member) for m in channel_metrics]
        days = history.days(channel_metrics, "agent")
        return criteria.every_channel(dailies, days, period=badge.period, repeat=badge.repeat)
    metric = history.metric(badge.metrics[0])
    daily = history.daily(metric.name, badge.scope, member)
    days = history.days([metric.name], badge.scope)
    volume = getattr(badge, "min_volume", None) or metric.min_volume
    if badge.kind == "milestone":
        return criteria.milestone(daily, days, metric, badge.target, volume)
    if badge.kind == "period_target":
        return criteria.period_targets(
            daily, days, today, metric, target=badge.target, min_volume=volume, period=badge.period,
            repeat=badge.repeat,
        )  # fmt: skip
    if badge.kind == "streak":
        return criteria.streaks(
            daily, days, today, metric, history.config.work_calendar, length=badge.days,
            at_least=badge.at_least, min_count=badge.min_count, repeat=badge.repeat,
        )  # fmt: skip
    if badge.kind == "save":
        late = badge.after_hours_metric
        return criteria.saves(
            daily,
            history.days(badge.metrics, badge.scope),
            history.config.work_calendar,
            repeat=badge.repeat,
            after_hours=history.daily(late, badge.scope, member) if late else None,
        )
    if badge.kind == "personal_best":
        return criteria.personal_bests(
            daily, days, today, metric, period=badge.period, min_history=badge.min_history, min_volume=volume
        )
    return []


def champion_buckets(history: History, badge: Champion, member: str) -> set[str]:
    """The closed periods in which `member` had enough events to be ranked."""
    metric = history.metric(badge.metric)
    daily = history.daily(metric.name, "agent", member)
    totals: dict[str, int] = {}
    for day, figures in daily.items():
        bucket = bucket_of(day, badge.period)
        totals[bucket] = totals.get(bucket, 0) + figures.count
    return {b for b, n in totals.items() if n >= metric.min_volume and closed(badge.period, b, history.today)}


def champion_winners(store: Store, config: Config, badge: Champion, bucket: str) -> set[str]:
    """Everyone ranked `top` or better on the period's board (ties share a rank, as on every ranking)."""
    limit = badge.top
    while True:
        rows = ranking(store, config, badge.metric, badge.period, bucket, "agent", limit=limit)
        if len(rows) < limit or rows[-1].rank > badge.top:
            return {row.id for row in rows if row.rank <= badge.top}
        limit *= 2


def closed(period: Period, bucket: str, today: date) -> bool:
    return span_of(period, bucket).last < today


def _team_goals(history: History, badge: TeamGoal, team: str) -> list[Found]:
    goals = [g for g in goal_list(history.config.goals, badge.period) if g.team == team]
    if not goals:
        return []
    days = history.days([g.metric for g in goals], "team")
    found = []
    for bucket, span in criteria.buckets(badge.period, days).items():
        if span[-1] >= history.today:
            continue
        met = True
        for goal in goals:
            metric = history.metric(goal.metric)
            figures = history.period_figures(metric.name, "team", team, badge.period, bucket)
            value = figures.value(metric.aggregation)
            met = met and goal_met(metric, goal.target, value)
        if met:
            found.append(criteria.Found(bucket, span[-1], True))
            if not badge.repeat:
                break
    return found
