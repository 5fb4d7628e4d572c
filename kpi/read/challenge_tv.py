"""The lean path behind a TV's challenge view: only the top N of a running instance, same places as in full.

A TV shows at most its top N, so a race or a collaborative challenge sorts raw scores and builds entries
(and reads names) only for the rows it may show, plus every row tied with the last of them, which the
full order (score, then name) may bring in. Personal bests and fair races score every participant from
their own baseline or target, so they keep the full rule; the windows before the instance they read
(baselines, newcomers' earlier activity) have ended and are remembered (`kpi.read.ended_cache`).
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import date, datetime

from kpi.config import Config
from kpi.game.challenge_calendar import Instance
from kpi.game.challenge_scoring import DECIMALS, Candidate, _entry, ranked, with_rank
from kpi.model.challenge_results import Entry, Standings
from kpi.model.contributions import Figures
from kpi.read.challenges import min_volume, progress_of, standings_with, window_figures
from kpi.read.ended_cache import remember_ended
from kpi.store.base import Store

LEAN_KINDS = ("race", "collaborative")


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
    if instance.challenge.kind in LEAN_KINDS:
        return _top_of_race(store, config, instance, now, top_n, hidden)
    table = standings_with(store, config, instance, now, _ended_window(now, config))
    if table.scope == "team":
        return table
    shown = tuple(visible(table.entries, hidden, top_n))
    return Standings(table.scope, table.score_unit, shown, table.progress)


def _ended_window(now: datetime, config: Config):  # noqa: ANN202 - a WindowReader
    today = now.astimezone(config.zone).date()

    def read(store: Store, config: Config, metric: str, first: date, last: date) -> dict[str, Figures]:
        if last >= today:
            return window_figures(store, config, metric, first, last)
        key = ("challenge-window", metric, first, last)
        return remember_ended(store, key, lambda: window_figures(store, config, metric, first, last))

    return read


def _top_of_race(
    store: Store, config: Config, instance: Instance, now: datetime, top_n: int, hidden: Collection[str]
) -> Standings:
    challenge = instance.challenge
    metric = config.metric(challenge.metric)
    figures = window_figures(store, config, metric.name, instance.first, instance.last)
    participants = challenge.participants
    agents = store.agents(list(figures)) if participants.teams else {}
    if participants.teams:
        figures = {
            m: f
            for m, f in figures.items()
            if participants.includes(m, agents[m].team if m in agents else None)
        }
    elif not participants.everyone:
        figures = {m: f for m, f in figures.items() if participants.includes(m, None)}
    progress = None
    if challenge.kind == "collaborative":
        progress = progress_of(config, instance, metric, sum(figures.values(), Figures()), now)
    volume = min_volume(challenge, metric)
    sign = 1 if metric.lower_is_better else -1
    scored: list[tuple[float, str]] = []
    for member, counters in figures.items():
        value = counters.value(metric.aggregation)
        if value is not None and counters.count >= volume and member not in hidden:
            scored.append((sign * round(value, DECIMALS), member))
    scored.sort(key=lambda pair: pair[0])
    cut = scored[:top_n]
    if cut:
        last = cut[-1][0]
        cut.extend(pair for pair in scored[top_n:] if pair[0] == last)
    shown = [member for _, member in cut]
    named = agents or store.agents(shown)
    found = []
    for member in shown:
        agent = named.get(member)
        found.append(
            Candidate(member, agent.name if agent else member, agent.team if agent else None, figures[member])
        )
    entries = ranked([_entry(c, metric, volume) for c in found], metric.lower_is_better)
    return Standings("agent", "value", tuple(visible(entries, (), top_n)), progress)
