"""The lean path behind a TV's challenge view: only the top N of a running instance, same places as in full.

A TV shows at most its top N, so an agent challenge scores every participant as a bare number, sorts
those, and builds entries (and reads names) only for the rows it may show plus every row tied with the
last of them, which the full order (score, then name) may bring in; the kind's own rule then places
those few exactly as in the full standings. The windows before the instance that personal bests and fair
races read (baselines, newcomers' earlier activity), and the window's own days before today, have ended
and are remembered (`kpi.read.ended_cache`: late corrections show at once).
"""

from __future__ import annotations

import statistics
from collections.abc import Callable, Collection
from datetime import date, datetime, timedelta

from kpi.config import Config
from kpi.game.challenge_calendar import Instance
from kpi.game.challenge_scoring import (
    DECIMALS,
    Candidate,
    fair_race,
    improvement_score,
    improvements,
    race,
    ranked,
    usable_baselines,
    with_rank,
)
from kpi.model.agents import Agent
from kpi.model.challenge_results import Entry, ScoreUnit, Standings
from kpi.model.contributions import Figures
from kpi.read.challenges import (
    WindowReader,
    baseline_window,
    fair_shares,
    min_volume,
    progress_of,
    standings_with,
    window_figures,
)
from kpi.read.ended_cache import remember_ended
from kpi.read.gated_points import gated_metric
from kpi.read.view_deps import metric_parts
from kpi.store.base import Store

Scorer = Callable[[str, Figures], float | None]
"""A participant's score as the full rule computes it, None when they take no place."""
Placer = Callable[[list[Candidate]], tuple[Entry, ...]]
"""The kind's own entries for some participants, in place order."""


def visible(entries: tuple[Entry, ...], hidden: Collection[str], limit: int) -> list[Entry]:
    """The first `limit` placed entries without the hidden agents, placed again among themselves."""
    kept: list[Entry] = []
    for index, entry in enumerate(e for e in entries if e.rank > 0 and e.id not in hidden):
        if index >= limit:
            break
        same = kept and kept[-1].score == entry.score
        kept.append(with_rank(entry, kept[-1].rank if same else index + 1))
    return kept


def tv_standings(
    store: Store, config: Config, instance: Instance, now: datetime, *, top_n: int, hidden: Collection[str]
) -> Standings:
    """A running instance's standings cut to what a TV shows: the first `top_n` visible placed entries
    of an agent challenge (every team of a team race), with its progress."""
    read = ended_window(now, config)
    if instance.challenge.kind == "team_vs_team":
        return standings_with(store, config, instance, now, read, _window_at(now))
    challenge = instance.challenge
    metric = config.metric(challenge.metric)
    figures, agents = _participants(store, config, instance, now)
    volume = min_volume(challenge, metric)
    unit: ScoreUnit = "value"
    progress = None
    descending = True
    if challenge.kind == "personal_best":
        before, scale = baseline_window(config, instance, now)
        everyone = _bare(figures)
        baselines = read(store, config, metric.name, before.first, before.last)
        usable = usable_baselines(metric, everyone, baselines, scale, volume)
        floor = statistics.median(usable.values()) if usable else None
        unit = "points" if metric.aggregation == "nps" else "percent"

        def score(member: str, counters: Figures) -> float | None:
            return improvement_score(metric, counters.value(metric.aggregation), usable.get(member, floor))

        def place(found: list[Candidate]) -> tuple[Entry, ...]:
            return ranked(improvements(metric, found, usable, floor, volume))

    elif challenge.kind == "fair_race":
        shares = fair_shares(store, config, instance, metric, _bare(figures), read)
        targets, people = challenge.targets, config.challenges.people
        assert targets is not None
        unit = "percent"

        def score(member: str, counters: Figures) -> float | None:
            person = people.get(member)
            full = targets.of(member, person.role if person else None)
            share = shares.get(member, 1.0)
            if full is None or share <= 0:
                return None
            own = full * (person.fte if person is not None else 1.0) * share
            return round((counters.value(metric.aggregation) or 0.0) / own * 100, DECIMALS)

        def place(found: list[Candidate]) -> tuple[Entry, ...]:
            return fair_race(metric, found, targets, people, shares, volume).entries

    else:
        descending = not metric.lower_is_better
        if challenge.kind == "collaborative":
            progress = progress_of(config, instance, metric, sum(figures.values(), Figures()), now)

        def score(member: str, counters: Figures) -> float | None:
            return counters.value(metric.aggregation)

        def place(found: list[Candidate]) -> tuple[Entry, ...]:
            return race(metric, found, volume).entries

    shown = _top(figures, score, volume, descending, top_n, hidden)
    named = agents or store.agents(shown)
    found = [_candidate(member, figures[member], named) for member in shown]
    return Standings("agent", unit, tuple(visible(place(found), (), top_n)), progress)


def ended_window(now: datetime, config: Config) -> WindowReader:
    """`window_figures`, remembered for a window that ended before `now`'s day."""
    today = now.astimezone(config.zone).date()

    def read(store: Store, config: Config, metric: str, first: date, last: date) -> dict[str, Figures]:
        if last >= today:
            return window_figures(store, config, metric, first, last)
        key = ("challenge-window", metric, first, last)
        reads = metric_parts(config, [metric])
        return remember_ended(store, reads, key, lambda: window_figures(store, config, metric, first, last))

    return read


def window_now(
    store: Store, config: Config, metric: str, first: date, last: date, now: datetime
) -> dict[str, Figures]:
    """`window_figures`, its days before `now`'s day remembered (they have ended), the others read."""
    today = now.astimezone(config.zone).date()
    if first >= today or gated_metric(config, metric):
        # Gated points are gated on the window as a whole: its parts do not add up to it.
        return window_figures(store, config, metric, first, last)
    ended = ended_window(now, config)(store, config, metric, first, min(last, today - timedelta(days=1)))
    if last < today:
        return ended
    merged = dict(ended)
    for member, counters in window_figures(store, config, metric, today, last).items():
        known = merged.get(member)
        merged[member] = counters if known is None else known + counters
    return merged


def _window_at(now: datetime) -> WindowReader:
    """`window_now` at `now`, as a `WindowReader`."""

    def read(store: Store, config: Config, metric: str, first: date, last: date) -> dict[str, Figures]:
        return window_now(store, config, metric, first, last, now)

    return read


def _participants(
    store: Store, config: Config, instance: Instance, now: datetime
) -> tuple[dict[str, Figures], dict[str, Agent]]:
    """The participants' figures over the window, and every one's agent record when teams decide who
    takes part (else none read)."""
    challenge = instance.challenge
    figures = window_now(store, config, challenge.metric, instance.first, instance.last, now)
    participants = challenge.participants
    if participants.everyone:
        return figures, {}
    if not participants.teams:
        return {m: f for m, f in figures.items() if participants.includes(m, None)}, {}
    agents = store.agents(list(figures))
    kept = {
        m: f for m, f in figures.items() if participants.includes(m, agents[m].team if m in agents else None)
    }
    return kept, agents


def _top(
    figures: dict[str, Figures],
    score: Scorer,
    volume: int,
    descending: bool,
    top_n: int,
    hidden: Collection[str],
) -> list[str]:
    """The visible placed members among the best `top_n` scores, with every one tied with the last."""
    sign = -1 if descending else 1
    scored: list[tuple[float, str]] = []
    for member, counters in figures.items():
        if counters.count < volume or member in hidden:
            continue
        found = score(member, counters)
        if found is not None:
            scored.append((sign * round(found, DECIMALS), member))
    scored.sort(key=lambda pair: pair[0])
    cut = scored[:top_n]
    if cut:
        last = cut[-1][0]
        cut.extend(pair for pair in scored[top_n:] if pair[0] == last)
    return [member for _, member in cut]


def _bare(figures: dict[str, Figures]) -> list[Candidate]:
    """Participants by id only, for the rules that look at nothing else (baselines, joining days)."""
    return [Candidate(member, member, None, counters) for member, counters in figures.items()]


def _candidate(member: str, figures: Figures, agents: dict[str, Agent]) -> Candidate:
    agent = agents.get(member)
    return Candidate(member, agent.name if agent else member, agent.team if agent else None, figures)
