"""A challenge instance's standings, computed from the store at any instant (the rules are in kpi.game).

A window is whole days of the office time zone; its figures are read from the fewest stored buckets that
cover it (`covering_buckets`), so a window that does not align with weeks or months costs a few extra
day boards, not a scan. Participants are agents by their latest team.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Callable, Collection

from kpi.config import Config
from kpi.game.challenge_calendar import Instance, midnight
from kpi.game.challenge_scoring import (
    Candidate,
    contributions,
    fair_race,
    personal_best,
    race,
    team_race,
)
from kpi.game.challenges import Challenge
from kpi.model.challenge_results import Progress, Standings
from kpi.model.contributions import Figures
from kpi.model.metrics import Metric
from kpi.model.periods import Span, days_between, span_elapsed
from kpi.read.goal_progress import PACE_TOLERANCE, has_pace, level_met
from kpi.read.rankings import combined_figures, daily_series
from kpi.read.windows import Window, covering_buckets
from kpi.store.base import Store

WindowReader = Callable[[Store, Config, str, date, date], dict[str, Figures]]
"""Reads every agent's figures over a window before an instance (baselines, newcomers)."""
MemberReader = Callable[[Store, Config, str, date, date], Collection[str]]
"""Reads which agents have figures over a window (a `WindowReader` does)."""
NewcomerReader = Callable[[Store, Config, str, Span, Collection[str]], Collection[str]]
"""Which of some agents with figures of a metric over a window have none in the `NEWCOMER_DAYS` before."""
NEWCOMER_DAYS = 90
"""An agent with no event of the metric in this many days before a fair race counts as joining in it."""


def min_volume(challenge: Challenge, metric: Metric) -> int:
    """Events a participant needs to take a place: the challenge's, else the metric's minimum."""
    return challenge.min_volume or metric.min_volume


def window_figures(store: Store, config: Config, metric: str, first: date, last: date) -> dict[str, Figures]:
    """Every agent's counters summed over the days `first`…`last` (one round trip)."""
    buckets = [bucket for _, bucket in covering_buckets(Window(first, last))]
    return combined_figures(store, config, metric, buckets, "agent")


def candidates(store: Store, challenge: Challenge, figures: dict[str, Figures]) -> list[Candidate]:
    """The agents with figures in the window who take part, with their latest name and team."""
    agents = store.agents(list(figures))
    found = []
    for member, counters in figures.items():
        agent = agents.get(member)
        team = agent.team if agent else None
        if challenge.participants.includes(member, team):
            found.append(Candidate(member, agent.name if agent else member, team, counters))
    return found


def standings(store: Store, config: Config, instance: Instance, now: datetime) -> Standings:
    """Every participant of `instance` placed by its kind's rule, as the store holds the figures now.

    Pace and "to date" baselines use `now` (clamped to the window: after the end, the whole window).
    """
    return standings_with(store, config, instance, now, window_figures)


def standings_with(
    store: Store,
    config: Config,
    instance: Instance,
    now: datetime,
    before: WindowReader,
    during: WindowReader = window_figures,
) -> Standings:
    """`standings`, reading the windows before the instance (baselines, newcomers) with `before` and
    the instance's own window with `during`."""
    challenge = instance.challenge
    metric = config.metric(challenge.metric)
    figures = during(store, config, metric.name, instance.first, instance.last)
    found = candidates(store, challenge, figures)
    volume = min_volume(challenge, metric)
    if challenge.kind == "race":
        return race(metric, found, volume)
    if challenge.kind == "team_vs_team":
        return team_race(metric, found, challenge.participants.teams, challenge.team_score, volume)
    if challenge.kind == "collaborative":
        entries = contributions(metric, found, volume)
        return Standings("agent", "value", entries, progress(config, instance, metric, found, now))
    if challenge.kind == "personal_best":
        return _personal_best(store, config, instance, metric, found, now, volume, before)
    return _fair_race(store, config, instance, metric, found, volume, before)


def progress(
    config: Config, instance: Instance, metric: Metric, found: list[Candidate], now: datetime
) -> Progress:
    """The participants' combined figure against the target, with pace (goal progress's rule and words)."""
    return progress_of(config, instance, metric, sum((c.figures for c in found), Figures()), now)


def progress_of(
    config: Config, instance: Instance, metric: Metric, combined: Figures, now: datetime
) -> Progress:
    """`progress` from the participants' figures already summed."""
    target = float(instance.challenge.target or 0.0)
    value = combined.value(metric.aggregation)
    if has_pace(metric):
        done = value or 0.0
        fraction = done / target if target else 1.0
        expected = span_elapsed(instance.span, now, config.zone, config.office_hours)
        status = (
            "done" if fraction >= 1 else "on_track" if fraction >= expected * PACE_TOLERANCE else "behind"
        )
        return Progress(done, target, round(fraction, 4), round(expected, 4), status)
    if value is None:
        return Progress(None, target, None, None, "no_data")
    return Progress(value, target, None, None, "met" if level_met(metric, target, value) else "missed")


def working_days(config: Config, span: Span) -> int:
    """Working days of `span` (office days less holidays; every day when there are none)."""
    days = days_between(span.first, span.last)
    return sum(1 for d in days if config.work_calendar.working(d)) or len(days)


def _personal_best(
    store: Store,
    config: Config,
    instance: Instance,
    metric: Metric,
    found: list[Candidate],
    now: datetime,
    volume: int,
    read: WindowReader,
) -> Standings:
    before, scale = baseline_window(config, instance, now)
    baselines = read(store, config, metric.name, before.first, before.last)
    return personal_best(metric, found, baselines, scale, volume)


def baseline_window(config: Config, instance: Instance, now: datetime) -> tuple[Span, float]:
    """A personal best's baseline weeks, and the scale of a running total's baseline to date."""
    weeks = instance.challenge.baseline_weeks
    before = Span(instance.first - timedelta(weeks=weeks), instance.first - timedelta(days=1))
    elapsed = span_elapsed(instance.span, now, config.zone, config.office_hours)
    return before, working_days(config, instance.span) * elapsed / working_days(config, before)


def joined_on(
    store: Store,
    config: Config,
    instance: Instance,
    metric: Metric,
    members: Collection[str],
    find: NewcomerReader | None = None,
) -> dict[str, date]:
    """When each participant joined, where that falls inside the window: the configured `joined` day, else
    (for an agent without an event of the metric in the `NEWCOMER_DAYS` before) their first event's day."""
    people = config.challenges.people
    joined = {m: people[m].joined for m in members if m in people and people[m].joined}
    unknown = [m for m in members if m not in joined]
    if unknown:
        newcomers = (find or newcomers_by(window_figures))(store, config, metric.name, instance.span, unknown)
        if newcomers:
            series = daily_series(
                store, config, metric.name, "agent", instance.first, instance.last, list(newcomers)
            )
            for member in newcomers:
                days = [d for d, by_member in series.items() if member in by_member]
                if days:
                    joined[member] = min(days)
    return {m: d for m, d in joined.items() if d > instance.first}  # type: ignore[misc]


def newcomers_by(read: MemberReader) -> NewcomerReader:
    """A `NewcomerReader` that reads who has figures over the `NEWCOMER_DAYS` before with `read`."""

    def find(store: Store, config: Config, metric: str, window: Span, members: Collection[str]) -> list[str]:
        start = window.first - timedelta(days=NEWCOMER_DAYS)
        earlier = read(store, config, metric, start, window.first - timedelta(days=1))
        return [m for m in members if m not in earlier]

    return find


def _fair_race(
    store: Store,
    config: Config,
    instance: Instance,
    metric: Metric,
    found: list[Candidate],
    volume: int,
    read: WindowReader,
) -> Standings:
    shares = fair_shares(store, config, instance, metric, [c.id for c in found], newcomers_by(read))
    targets = instance.challenge.targets
    assert targets is not None
    return fair_race(metric, found, targets, config.challenges.people, shares, volume)


def fair_shares(
    store: Store,
    config: Config,
    instance: Instance,
    metric: Metric,
    members: Collection[str],
    find: NewcomerReader | None = None,
) -> dict[str, float]:
    """The part of the window each joiner is in it (the others are in it all: 1)."""
    shares: dict[str, float] = {}
    for member, day in joined_on(store, config, instance, metric, members, find).items():
        before = span_elapsed(instance.span, midnight(day, config.zone), config.zone, config.office_hours)
        shares[member] = 0.0 if day > instance.last else 1.0 - before
    return shares
