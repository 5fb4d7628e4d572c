"""The lean path behind a TV's challenge view: only the top N of a running instance, same places as in full.

A TV shows at most its top N, so an agent challenge scores every participant as a bare number from
counters kept in columns (`kpi.model.columns`), picks the best `top_n` scores with a heap, and builds
entries (and reads names) only for the rows it may show plus every row tied with the last of them, which
the full order (score, then name) may bring in; the kind's own rule then places those few exactly as in
the full standings. A team race builds candidates only for the agents of its teams. The window's days
before today, a personal best's baseline levels and a fair race's earlier participants have ended and are
remembered (`kpi.read.challenge_columns`: keyed by the versions of what they read, so late corrections show
at once).
"""

from __future__ import annotations

import heapq
import statistics
from collections.abc import Collection
from datetime import datetime

from kpi.config import Config
from kpi.game.challenge_calendar import Instance
from kpi.game.challenge_scoring import (
    DECIMALS,
    Candidate,
    fair_race,
    fair_target,
    improvements,
    race,
    ranked,
    scaled_baselines,
    team_race,
    with_rank,
)
from kpi.game.challenges import Targets
from kpi.model.agents import Agent
from kpi.model.challenge_results import Entry, ScoreUnit, Standings
from kpi.model.columns import Columns
from kpi.model.contributions import Figures, figure_value
from kpi.model.metrics import Metric
from kpi.read.challenge_columns import (
    columns_now,
    every_agent,
    levels_before,
    members_columns,
    members_of,
    newcomers_now,
    past_parts,
    window_values,
)
from kpi.read.challenge_top import one_board, race_top
from kpi.read.challenge_versions import one_refresh
from kpi.read.challenges import baseline_window, fair_shares, min_volume, progress_of
from kpi.read.view_deps import metric_parts
from kpi.store.base import AGENTS_PART, Store


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
    of an agent challenge (every team of a team race), with its progress (the versions it depends on
    read once, `one_refresh`)."""
    top = _from_top(store, config, instance, top_n=top_n, hidden=hidden)
    if top is not None:
        return top
    metric = instance.challenge.metric
    parts = [*metric_parts(config, [metric]), *past_parts(config, metric), AGENTS_PART]
    with one_refresh(store, parts):
        return _standings(store, config, instance, now, top_n=top_n, hidden=hidden)


def _from_top(
    store: Store, config: Config, instance: Instance, *, top_n: int, hidden: Collection[str]
) -> Standings | None:
    """A race on one board read from its top (`kpi.read.challenge_top`), when its participants are not a
    few (those are read alone), else None."""
    challenge = instance.challenge
    metric = config.metric(challenge.metric)
    bucket = one_board(instance, metric, config)
    if bucket is None or top_n < 1:
        return None
    participants = challenge.participants
    agents = every_agent(store) if participants.teams else {}
    taking_part = None
    if not participants.everyone:
        taking_part = members_of(store, participants, agents.keys() | set(participants.agents))
        if len(taking_part) * FEW_PARTICIPANTS <= len(agents):
            return None
    volume = min_volume(challenge, metric)
    top = race_top(store, metric, bucket, top_n=top_n, volume=volume, hidden=hidden, taking_part=taking_part)
    if top is None:
        return None
    named = agents or store.agents(top.members)
    found = [_candidate(member, top.figures[member], named) for member in top.members]
    return Standings("agent", "value", tuple(visible(race(metric, found, volume).entries, (), top_n)), None)


def _standings(
    store: Store, config: Config, instance: Instance, now: datetime, *, top_n: int, hidden: Collection[str]
) -> Standings:
    challenge = instance.challenge
    metric = config.metric(challenge.metric)
    columns, agents = _participants(store, config, instance, now)
    volume = min_volume(challenge, metric)
    if challenge.kind == "team_vs_team":
        agents = agents or every_agent(store)
        found = [_candidate(member, columns.figures(member), agents) for member in columns.count]
        return team_race(metric, found, challenge.participants.teams, challenge.team_score, volume)
    counts = columns.count
    eligible = [m for m, n in counts.items() if n >= volume and m not in hidden]
    if len(eligible) * FEW_ELIGIBLE <= len(counts):
        values = _values(columns, metric, eligible)
    elif challenge.participants.everyone:
        values = window_values(store, config, metric.name, instance.first, instance.last, now)
    else:
        values = columns.values(metric.aggregation)
    unit: ScoreUnit = "value"
    progress = None
    descending = True
    if challenge.kind == "personal_best":
        before, scale = baseline_window(config, instance, now)
        levels = levels_before(store, config, metric, before, volume, now)
        usable = scaled_baselines(metric, counts, levels, scale)
        floor = statistics.median(usable.values()) if usable else None
        unit = "points" if metric.aggregation == "nps" else "percent"
        scores = _improvements(metric, values, usable, floor, eligible)

        def place(found: list[Candidate]) -> tuple[Entry, ...]:
            return ranked(improvements(metric, found, usable, floor, volume))

    elif challenge.kind == "fair_race":
        shares = fair_shares(store, config, instance, metric, counts, newcomers_now(now))
        targets = challenge.targets
        assert targets is not None
        unit = "percent"
        scores = _percents(config, targets, shares, values, eligible)

        def place(found: list[Candidate]) -> tuple[Entry, ...]:
            return fair_race(metric, found, targets, config.challenges.people, shares, volume).entries

    else:
        descending = not metric.lower_is_better
        if challenge.kind == "collaborative":
            progress = progress_of(config, instance, metric, columns.combined(), now)
        scores = {m: values.get(m) for m in eligible}

        def place(found: list[Candidate]) -> tuple[Entry, ...]:
            return race(metric, found, volume).entries

    shown = _top(scores, descending, top_n)
    named = agents or store.agents(shown)
    found = [_candidate(member, columns.figures(member), named) for member in shown]
    return Standings("agent", unit, tuple(visible(place(found), (), top_n)), progress)


FEW_ELIGIBLE = 2
"""Figures are worked out for the eligible participants alone when a minimum volume leaves at most half of
them (else every participant's, once per data version for the whole floor)."""


def _values(columns: Columns, metric: Metric, members: list[str]) -> dict[str, float]:
    """`Columns.values` of `members` alone."""
    count, total, pro, det = columns.count, columns.total, columns.promoters, columns.detractors
    found = {}
    for m in members:
        value = figure_value(metric.aggregation, count[m], total.get(m, 0), pro.get(m, 0), det.get(m, 0))
        if value is not None:
            found[m] = value
    return found


def _improvements(
    metric: Metric,
    values: dict[str, float],
    usable: dict[str, float],
    floor: float | None,
    members: list[str],
) -> dict[str, float | None]:
    """A personal best's score of each of `members`: `improvement_score` before its rounding (`_top`
    rounds the scores near the cut), worked out inline for thousands of members."""
    nps, lower = metric.aggregation == "nps", metric.lower_is_better
    found: dict[str, float | None] = {}
    for member in members:
        value, base = values.get(member), usable.get(member, floor)
        if value is None or base is None or (base == 0 and not nps):
            found[member] = None
        elif nps:
            found[member] = value - base
        else:
            found[member] = ((base - value) if lower else (value - base)) / abs(base) * 100
    return found


def _percents(
    config: Config, targets: Targets, shares: dict[str, float], values: dict[str, float], members: list[str]
) -> dict[str, float | None]:
    """A fair race's score of each of `members`: percent of their own target (None without a target),
    before the rule's rounding (`_top` rounds the scores near the cut).

    An agent with no person entry, no share and no target of their own has the default target: it is
    worked out once."""
    people = config.challenges.people

    def own_target(member: str) -> float | None:
        person = people.get(member)
        full = targets.of(member, person.role if person else None)
        share = shares.get(member, 1.0)
        return None if full is None or share <= 0 else fair_target(full, person, share)

    found: dict[str, float | None] = {}
    plain: list[float | None] = []
    for member in members:
        if member in people or member in shares or member in targets.agents:
            own = own_target(member)
        else:
            if not plain:
                plain.append(own_target(member))
            own = plain[0]
        found[member] = None if own is None else (values.get(member) or 0.0) / own * 100
    return found


FEW_PARTICIPANTS = 4
"""Participants are read alone (not the whole floor's boards) when they are at most a quarter of the
agents."""


def _participants(
    store: Store, config: Config, instance: Instance, now: datetime
) -> tuple[Columns, dict[str, Agent]]:
    """The participants' counters over the window, and every one's agent record when teams decide who
    takes part (else none read)."""
    challenge = instance.challenge
    window = (store, config, challenge.metric, instance.first, instance.last, now)
    participants = challenge.participants
    if participants.everyone:
        return columns_now(*window), {}
    agents = every_agent(store) if participants.teams else {}
    taking_part = members_of(store, participants, agents.keys() | set(participants.agents))
    if len(taking_part) * FEW_PARTICIPANTS <= len(agents):
        return members_columns(*window, taking_part), agents
    columns = columns_now(*window)
    return columns.only(taking_part), agents


def _top(scores: dict[str, float | None], descending: bool, top_n: int) -> list[str]:
    """The members among the best `top_n` scores, compared rounded to `DECIMALS` as the rules do, with every
    one tied with the last (no score: no place).

    Rounding keeps the order, so the `top_n`-th rounded score is the `top_n`-th score rounded: a heap finds
    it among the raw scores, and only scores within a rounding step of it are rounded to decide ties.
    """
    known = [score for score in scores.values() if score is not None]
    if len(known) <= top_n:
        return [member for member, score in scores.items() if score is not None]
    step = 2 * 10.0**-DECIMALS  # two rounding steps: float error never drops a tie
    if descending:
        last = heapq.nlargest(top_n, known)[-1]
        edge, cut = last - step, round(last, DECIMALS)
        return [m for m, s in scores.items() if s is not None and s >= edge and round(s, DECIMALS) >= cut]
    last = heapq.nsmallest(top_n, known)[-1]
    edge, cut = last + step, round(last, DECIMALS)
    return [m for m, s in scores.items() if s is not None and s <= edge and round(s, DECIMALS) <= cut]


def _candidate(member: str, figures: Figures, agents: dict[str, Agent]) -> Candidate:
    agent = agents.get(member)
    return Candidate(member, agent.name if agent else member, agent.team if agent else None, figures)
