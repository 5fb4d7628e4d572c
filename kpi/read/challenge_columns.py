"""A challenge window's figures for the TV's lean path, as columns, the ended part remembered.

An instance's window is read as the days before today (ended: they change only with late corrections, so
they are remembered for a short while, see `remember`) plus today and the days after it, read on every
refresh. The windows before an instance (a personal best's baseline weeks, a fair race's newcomer check)
have ended as a whole and are remembered the same way, already reduced to what the rules look at.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Hashable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import TypeVar

from kpi.config import Config
from kpi.game.challenge_scoring import baseline_levels
from kpi.game.challenges import Participants
from kpi.model.agents import Agent
from kpi.model.columns import Columns, added
from kpi.model.metrics import Metric
from kpi.model.periods import Period, Span, bucket_of, span_of
from kpi.read.challenge_versions import per_agents_version, per_version, versions_of
from kpi.read.challenges import (
    MemberReader,
    NewcomerReader,
    newcomers_by,
    window_figures,
)
from kpi.read.ended_cache import remember_ended
from kpi.read.gated_points import gated_metric
from kpi.read.view_deps import metric_parts
from kpi.read.windows import Window, covering_buckets
from kpi.store.base import PAST, Store
from kpi.store.challenge_reads import board_members

T = TypeVar("T")
_LIVE_ORDER: tuple[Period, ...] = ("year", "quarter", "month", "week")
BY_REDIS = 4
"""Ended windows of this many buckets or more are summed by Redis (ZUNION)."""


def remember(
    store: Store,
    config: Config,
    metric: str,
    key: tuple[Hashable, ...],
    compute: Callable[[], T],
    *,
    last: date,
    today: date,
) -> T:
    """`compute()` for figures of days up to `last` that have ended, remembered while the versions of what
    it reads stay (the one place this module caches ended days: a late correction shows at once). Those
    are the `past_parts` when `last` is before yesterday, which today's writes leave be."""
    reads = past_parts(config, metric) if last < today - timedelta(days=1) else metric_parts(config, [metric])
    versions = versions_of(store, reads)
    return remember_ended(store, reads, ("challenge-columns", *key), compute, versions)


def past_parts(config: Config, metric: str) -> tuple[str, ...]:
    """The version parts of `metric`'s figures of days before the writers' today (`PAST`): a window that
    ended before yesterday (a day of margin for a writer whose clock is a little behind at midnight) is
    keyed by them, so a late correction moves its key but today's figures do not."""
    return tuple(part + PAST for part in metric_parts(config, [metric]))


def window_columns(
    store: Store, config: Config, metric: str, first: date, last: date, *, ended: bool = False
) -> Columns:
    """Every agent's counters over the days `first`…`last`, as `window_figures` reads them (an `ended`
    window of `BY_REDIS` buckets or more summed by Redis: ZUNION sorts what it sums, which pays only when
    several boards are full; a few days are read board by board)."""
    if gated_metric(config, metric):
        # Gated points are gated on the window as a whole: the gate's reader decides.
        return Columns.of(window_figures(store, config, metric, first, last))
    buckets = [bucket for _, bucket in covering_buckets(Window(first, last))]
    aggregation = config.metric(metric).aggregation
    by_redis = ended and len(buckets) >= BY_REDIS
    return store.figure_columns(metric, buckets, "agent", aggregation=aggregation, by_redis=by_redis)


def columns_now(store: Store, config: Config, metric: str, first: date, last: date, now: datetime) -> Columns:
    """`window_columns`, its days before `now`'s day remembered (they have ended), the others read once per
    data version."""
    today = now.astimezone(config.zone).date()
    return per_version(
        store,
        ("window", metric, first, last, today),
        lambda: _columns_now(store, config, metric, first, last, today),
    )


def window_values(
    store: Store, config: Config, metric: str, first: date, last: date, now: datetime
) -> dict[str, float]:
    """Each agent's figure over the window (`Columns.values` of `columns_now`), once per data version."""
    today = now.astimezone(config.zone).date()
    aggregation = config.metric(metric).aggregation
    return per_version(
        store,
        ("values", metric, first, last, today),
        lambda: columns_now(store, config, metric, first, last, now).values(aggregation),
    )


def every_agent(store: Store) -> dict[str, Agent]:
    """Every agent's record, read once per version of the agents' names and teams (`AGENTS_PART`): a
    team race places agents by their latest team. (The `seen` day of a record may be older.)"""
    return per_agents_version(store, "agents", lambda: store.agents())


def members_of(store: Store, participants: Participants, among: Collection[str]) -> set[str]:
    """Those of `among` who take part by the agents or teams `participants` list (agents by their latest
    team), from an index of teams made once per version of the agents' names and teams."""
    named = {m for m in participants.agents if m in among}
    if not participants.teams:
        return named
    teams = per_agents_version(store, "teams", lambda: _team_index(every_agent(store)))
    for team in participants.teams:
        named.update(m for m in teams.get(team, ()) if m in among)
    return named


def _team_index(agents: dict[str, Agent]) -> dict[str, list[str]]:
    index: dict[str, list[str]] = {}
    for agent in agents.values():
        if agent.team is not None:
            index.setdefault(agent.team, []).append(agent.id)
    return index


def _columns_now(store: Store, config: Config, metric: str, first: date, last: date, today: date) -> Columns:
    if first > today or gated_metric(config, metric):
        # Gated points are gated on the window as a whole: its parts do not add up to it.
        return window_columns(store, config, metric, first, last)
    if last < today:
        return _ended(store, config, metric, first, last, today)
    live = live_bucket(first, today)
    ended = _ended(store, config, metric, first, live.first - timedelta(days=1), today)
    read = [live.bucket, *_buckets(live.last + timedelta(days=1), last)]
    now = _read(store, config, metric, read) + ended
    return _less(now, _read(store, config, metric, _buckets(last + timedelta(days=1), live.last)))


def members_columns(
    store: Store,
    config: Config,
    metric: str,
    first: date,
    last: date,
    now: datetime,
    members: Collection[str],
) -> Columns:
    """`columns_now` of `members` alone, read for them alone (ZMSCORE on the window's boards, once per data
    version): a team race's few teams cost their agents, not the floor."""
    today = now.astimezone(config.zone).date()
    if first > today or last < today or gated_metric(config, metric):
        return columns_now(store, config, metric, first, last, now).only(members)
    live = live_bucket(first, today)
    plus = [*_buckets(first, live.first - timedelta(days=1)), live.bucket]
    plus += _buckets(live.last + timedelta(days=1), last)
    minus = _buckets(last + timedelta(days=1), live.last)
    key = ("members", metric, first, last, today, *sorted(members))
    return per_version(store, key, lambda: _members_read(store, config, metric, plus, minus, sorted(members)))


def _members_read(
    store: Store, config: Config, metric: str, plus: list[str], minus: list[str], members: list[str]
) -> Columns:
    aggregation = config.metric(metric).aggregation
    found = store.figures_by_bucket(metric, [*plus, *minus], "agent", members, aggregation=aggregation)
    summed = sum((Columns.of(found[bucket]) for bucket in plus), Columns())
    return _less(summed, sum((Columns.of(found[bucket]) for bucket in minus), Columns()))


@dataclass(frozen=True)
class LiveBucket:
    """The stored bucket a live window reads today's figures from, and its days."""

    bucket: str
    first: date
    last: date


def live_bucket(first: date, today: date) -> LiveBucket:
    """The largest stored bucket that holds `today` and starts within a window starting `first`: one board
    read gives the window's days from its start to today (its days after the window have not come yet)."""
    found = LiveBucket(bucket_of(today, "day"), today, today)
    for period in _LIVE_ORDER:
        bucket = bucket_of(today, period)
        span = span_of(period, bucket)
        if span.first >= first:
            return LiveBucket(bucket, span.first, span.last)
    return found


def _ended(store: Store, config: Config, metric: str, first: date, last: date, today: date) -> Columns:
    """The counters of the ended days `first`…`last`, remembered (nothing when there are none); when they
    end yesterday, the days before it remembered under the `@past` versions and yesterday's board read
    once per data version (`remember`: yesterday has a day of margin)."""
    if last < first:
        return Columns()
    if last == today - timedelta(days=1):
        earlier = _ended(store, config, metric, first, last - timedelta(days=1), today)
        yesterday = _read(store, config, metric, [bucket_of(last, "day")])
        return earlier + yesterday if earlier.count else yesterday
    return remember(
        store,
        config,
        metric,
        ("window", metric, first, last),
        lambda: window_columns(store, config, metric, first, last, ended=True),
        last=last,
        today=today,
    )


def _buckets(first: date, last: date) -> list[str]:
    return [bucket for _, bucket in covering_buckets(Window(first, last))] if first <= last else []


def _read(store: Store, config: Config, metric: str, buckets: list[str]) -> Columns:
    """The live boards `buckets` summed, read once per data version (windows that share a live bucket,
    a week and a window ending in it, read its board once)."""
    aggregation = config.metric(metric).aggregation
    return per_version(
        store,
        ("boards", metric, *buckets),
        lambda: store.figure_columns(metric, buckets, "agent", aggregation=aggregation),
    )


def _less(columns: Columns, later: Columns) -> Columns:
    """`columns` without the counters of `later` (days after the window, normally none yet)."""
    if not later.count:
        return columns
    mine = (columns.count, columns.total, columns.promoters, columns.detractors)
    theirs = (later.count, later.total, later.promoters, later.detractors)
    parts = [added(a, {m: -v for m, v in b.items()}) for a, b in zip(mine, theirs)]
    kept = {member for member, n in parts[0].items() if n > 0}
    return Columns(*({m: v for m, v in part.items() if m in kept and v} for part in parts))


def levels_before(
    store: Store, config: Config, metric: Metric, before: Span, min_volume: int, now: datetime
) -> dict[str, float]:
    """Each agent's usable level over baseline weeks (`baseline_levels`), remembered once they ended."""

    def compute() -> dict[str, float]:
        columns = window_columns(store, config, metric.name, before.first, before.last, ended=True)
        return baseline_levels(metric, columns, min_volume)

    today = now.astimezone(config.zone).date()
    if before.last >= today:
        return compute()
    key = ("levels", metric.name, before.first, before.last, min_volume)
    if before.last == today - timedelta(days=1) and not gated_metric(config, metric.name):
        # Ending yesterday: its days before yesterday stay remembered under the `@past` versions.
        ended = (store, config, metric.name, before.first, before.last, today)
        return per_version(store, key, lambda: baseline_levels(metric, _ended(*ended), min_volume))
    return remember(store, config, metric.name, key, compute, last=before.last, today=today)


def members_before(now: datetime) -> MemberReader:
    """Which agents have figures over a window before an instance (a fair race's newcomer check),
    remembered once the window ended (before yesterday under the `@past` versions, so today's writes
    leave it remembered; a window ending yesterday is that and yesterday's board, once per data version)."""

    def read(store: Store, config: Config, metric: str, first: date, last: date) -> Collection[str]:
        today = now.astimezone(config.zone).date()
        key = ("members", metric, first, last)
        if last >= today:
            return _members(store, config, metric, first, last)
        if last == today - timedelta(days=1) and first < last and not gated_metric(config, metric):
            earlier = frozenset(read(store, config, metric, first, last - timedelta(days=1)))
            return per_version(store, key, lambda: earlier | _members(store, config, metric, last, last))

        def compute() -> frozenset[str]:
            return _members(store, config, metric, first, last)

        return remember(store, config, metric, key, compute, last=last, today=today)

    return read


def _members(store: Store, config: Config, metric: str, first: date, last: date) -> frozenset[str]:
    """The agents with a count of `metric` (any) over `first`…`last` (Redis unites the boards' members)."""
    if not gated_metric(config, metric):
        found = board_members(store, metric, _buckets(first, last))
        if found is not None:
            return found
    return frozenset(window_columns(store, config, metric, first, last, ended=True).count)


def newcomers_now(now: datetime) -> NewcomerReader:
    """A fair race's newcomer check (`kpi.read.challenges.joined_on`): the participants not among the
    agents with figures in the `NEWCOMER_DAYS` before the window (`members_before`, remembered)."""
    return newcomers_by(members_before(now))
