"""Rankings, one member's figures and daily series: the read side of the store, with the rules applied.

Every read of a metric goes through here, and the `points` metric with the quality gate on is read
through `kpi.read.gated_points`: so each surface (TV, `/manage`, `/me`, challenges, the API) shows gated
points without knowing about the gate.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Collection, Iterable, Iterator, Mapping

from kpi.config import Config
from kpi.model.agents import Agent
from kpi.model.contributions import Figures, Scope, ahead_counts, rank_score
from kpi.model.metrics import Metric
from kpi.model.periods import Period, bucket_of, check_period, days_between, span_of
from kpi.read.gated_points import gated_by_bucket, gated_figures, gated_metric
from kpi.store.base import Store

MAX_LIMIT = 1000


@dataclass(frozen=True)
class Row:
    """One place in a ranking. For a team ranking `id` and `name` are the team."""

    rank: int
    id: str
    name: str
    team: str | None
    value: float
    count: int

    def public(self) -> dict[str, object]:
        return {
            "rank": self.rank,
            "id": self.id,
            "name": self.name,
            "team": self.team,
            "value": self.value,
            "count": self.count,
        }


@dataclass(frozen=True)
class Reading:
    """A member's figure in one bucket."""

    value: float | None
    figures: Figures


def ranking(
    store: Store,
    config: Config,
    metric_name: str,
    period: Period,
    bucket: str,
    scope: Scope = "agent",
    *,
    team: str | None = None,
    limit: int = 10,
    exclude: Collection[str] = (),
) -> list[Row]:
    """The best `limit` members of a board; ties share a rank; members below `min_volume` are not ranked.

    Args:
        team: for an agent ranking, only that team's agents (by their latest known team).
        exclude: member ids that must not appear (they do not take a place either).
    """
    metric = config.metric(metric_name)
    span_of(check_period(period), bucket)
    limit = max(0, min(limit, MAX_LIMIT))
    if limit == 0:
        return []
    chosen: list[tuple[str, Figures]] = []
    for member, figures in _qualifying(store, config, metric, bucket, scope, team, exclude):
        chosen.append((member, figures))
        if len(chosen) == limit:
            break
    return _with_ranks(store, metric, scope, chosen)


def ranks_of(
    store: Store,
    config: Config,
    metric_name: str,
    bucket: str,
    scope: Scope,
    members: Collection[str],
    *,
    team: str | None = None,
    exclude: Collection[str] = (),
) -> dict[str, int]:
    """Each of `members`' rank on a board, under the rules of `ranking`, without reading the ranking.

    A rank is one more than the members that take a place strictly ahead (`Store.ahead_of`: ties share a
    rank). Members without any figure on the board get 0; members with figures but no place (excluded,
    below `min_volume`, or not of `team`) are left out. Gated points rank on the gated board, which is
    read whole once per data version (`kpi.read.gated_points`).
    """
    return _ranks_and_figures(store, config, metric_name, bucket, scope, members, team, exclude)[0]


def ranks_in(figures: Mapping[str, Figures], metric: Metric) -> dict[str, int]:
    """The rank of each member of `figures` that takes a place, under the rules of `ranking`.

    Only members with at least `min_volume` events take a place; ties share a rank (one more than the
    members strictly ahead). /manage's full ranking and the agent page's ranks all come from here.
    """

    def takes_place(_member: str, found: Figures) -> bool:
        return found.count >= metric.min_volume

    placed = [member for member, found in figures.items() if takes_place(member, found)]
    ahead = ahead_counts(
        figures,
        [rank_score(figures[member], metric.aggregation) for member in placed],
        aggregation=metric.aggregation,
        lower_is_better=metric.lower_is_better,
        takes_place=takes_place,
    )
    return {member: count + 1 for member, count in zip(placed, ahead)}


def rank_among(figures: Mapping[str, Figures], member: str, metric: Metric) -> tuple[int | None, int]:
    """`member`'s rank among `figures` (a team's, one bucket or a whole window) and how many take a place.

    A member without a place has rank None (`ranks_in`). The agent page's daily rank chart and its period
    card both come from here, over different buckets.
    """
    ranks = ranks_in(figures, metric)
    return ranks.get(member), len(ranks)


def standing(
    store: Store, config: Config, metric_name: str, bucket: str, agent_id: str, *, team: str | None = None
) -> tuple[int, Reading]:
    """An agent's rank (as `ranks_of`: 0 without figures or place) and own reading, read together."""
    ranks, own = _ranks_and_figures(store, config, metric_name, bucket, "agent", [agent_id], team, ())
    figures = own.get(agent_id, Figures())
    return ranks.get(agent_id, 0), Reading(figures.value(config.metric(metric_name).aggregation), figures)


def _ranks_and_figures(
    store: Store,
    config: Config,
    metric_name: str,
    bucket: str,
    scope: Scope,
    members: Collection[str],
    team: str | None,
    exclude: Collection[str],
) -> tuple[dict[str, int], dict[str, Figures]]:
    """`ranks_of`, and the members' own figures it read (gated points for `points` with the gate on)."""
    metric = config.metric(metric_name)
    wanted = list(dict.fromkeys(members))
    if not wanted:
        return {}, {}
    gated = gated_metric(config, metric.name)
    board = gated_figures(store, config, [bucket], scope) if gated else None
    own = (
        {m: board[m] for m in wanted if m in board}
        if board is not None
        else store.figures(metric.name, bucket, scope, wanted, aggregation=metric.aggregation)
    )
    teams = _teams_of(store, scope, team, list(board) if board is not None else list(own))
    placed = {
        m: rank_score(f, metric.aggregation)
        for m, f in own.items()
        if _takes_place(metric, m, f, exclude, team, teams)
    }
    ahead = _ahead(store, metric, bucket, scope, list(placed.values()), team, exclude, board, teams)
    return {m: 0 for m in wanted if m not in own} | {m: n + 1 for m, n in zip(placed, ahead)}, own


def _teams_of(store: Store, scope: Scope, team: str | None, members: list[str]) -> dict[str, str | None]:
    """The team of each member, when a ranking is cut to one team (a team board's member is the team)."""
    if team is None:
        return {}
    if scope == "team":
        return {m: m for m in members}
    return {agent_id: agent.team for agent_id, agent in store.agents(members).items()}


def _takes_place(
    metric: Metric,
    member: str,
    figures: Figures,
    exclude: Collection[str],
    team: str | None,
    teams: dict[str, str | None],
) -> bool:
    """Whether a member with figures takes a place: not excluded, enough events, and of `team` when given."""
    in_team = team is None or teams.get(member) == team
    return member not in exclude and figures.count >= metric.min_volume and in_team


def _ahead(
    store: Store,
    metric: Metric,
    bucket: str,
    scope: Scope,
    scores: list[float],
    team: str | None,
    exclude: Collection[str],
    board: dict[str, Figures] | None,
    teams: dict[str, str | None],
) -> list[int]:
    """How many placed members are ahead of each score: counted in the store, or on a gated board."""
    if board is not None:
        return ahead_counts(
            board,
            scores,
            aggregation=metric.aggregation,
            lower_is_better=metric.lower_is_better,
            takes_place=lambda m, f: _takes_place(metric, m, f, exclude, team, teams),
        )
    if scope == "team" and team is not None:
        return [0 for _ in scores]
    return store.ahead_of(
        metric.name,
        bucket,
        scope,
        scores,
        aggregation=metric.aggregation,
        lower_is_better=metric.lower_is_better,
        min_volume=metric.min_volume,
        exclude=exclude,
        team=team,
    )


def _board_candidates(
    store: Store, config: Config, metric: Metric, bucket: str, scope: Scope, team: str | None
) -> Iterable[tuple[str, Figures]]:
    """A board's members in ranking order, all of a team's when `team` is given.

    Gated points are not what the stored board is ordered by, so their board is read whole and sorted.
    """
    if gated_metric(config, metric.name):
        return _sorted(store, metric, gated_figures(store, config, [bucket], scope), scope, team)
    if team is not None:
        return _sorted(store, metric, store.figures(metric.name, bucket, scope), scope, team)
    return _in_board_order(store, metric, bucket, scope)


def _qualifying(
    store: Store,
    config: Config,
    metric: Metric,
    bucket: str,
    scope: Scope,
    team: str | None,
    exclude: Collection[str],
) -> Iterator[tuple[str, Figures]]:
    """The members that take a place, in order: not excluded, and with at least `min_volume` events."""
    for member, figures in _board_candidates(store, config, metric, bucket, scope, team):
        if member not in exclude and figures.count >= metric.min_volume:
            yield member, figures


def _in_board_order(store: Store, metric: Metric, bucket: str, scope: Scope) -> Iterator[tuple[str, Figures]]:
    page, start = 64, 0
    while True:
        members = [
            m
            for m, _ in store.ranked(
                metric.name,
                bucket,
                scope,
                ascending=metric.lower_is_better,
                start=start,
                count=page,
                aggregation=metric.aggregation,
            )
        ]
        figures = store.figures(metric.name, bucket, scope, members)
        for member in members:
            if member in figures:
                yield member, figures[member]
        if len(members) < page:
            return
        start += page
        page = min(page * 4, 4096)


def _sorted(
    store: Store, metric: Metric, figures: dict[str, Figures], scope: Scope, team: str | None
) -> list[tuple[str, Figures]]:
    """A whole board's members (of `team` only, when given) in the order a stored board keeps them."""
    if team is None:
        members = list(figures)
    elif scope == "team":
        members = [team] if team in figures else []
    else:
        agents = store.agents(list(figures))
        members = [m for m in figures if m in agents and agents[m].team == team]
    # The order of a board read from the store: by score, ties by member; reversed when higher is better.
    members.sort(
        key=lambda m: (figures[m].value(metric.aggregation) or 0.0, m), reverse=not metric.lower_is_better
    )
    return [(m, figures[m]) for m in members]


def _with_ranks(store: Store, metric: Metric, scope: Scope, chosen: list[tuple[str, Figures]]) -> list[Row]:
    agents: dict[str, Agent] = store.agents([m for m, _ in chosen]) if scope == "agent" else {}
    rows: list[Row] = []
    for index, (member, figures) in enumerate(chosen):
        value = figures.value(metric.aggregation) or 0.0
        rank = rows[-1].rank if rows and rows[-1].value == value else index + 1
        agent = agents.get(member)
        name, team = (agent.name, agent.team) if agent else (member, member if scope == "team" else None)
        rows.append(Row(rank, member, name, team, value, figures.count))
    return rows


def member_reading(
    store: Store, config: Config, metric_name: str, bucket: str, scope: Scope, member: str
) -> Reading:
    """One agent's or team's figure in one bucket."""
    metric = config.metric(metric_name)
    if gated_metric(config, metric.name):
        figures = gated_figures(store, config, [bucket], scope, [member]).get(member, Figures())
    else:
        figures = store.figures(metric.name, bucket, scope, [member]).get(member, Figures())
    return Reading(figures.value(metric.aggregation), figures)


def floor_reading(store: Store, config: Config, metric_name: str, bucket: str) -> Reading:
    """The whole floor's figure in one bucket (the sum of the teams' counters; of their gated points)."""
    metric = config.metric(metric_name)
    if gated_metric(config, metric.name):
        teams = gated_figures(store, config, [bucket], "team")
    else:
        teams = store.figures(metric.name, bucket, "team")
    combined = sum(teams.values(), Figures())
    return Reading(combined.value(metric.aggregation), combined)


def daily_series(
    store: Store,
    config: Config,
    metric_name: str,
    scope: Scope,
    first: date,
    last: date,
    members: list[str] | None = None,
) -> dict[date, dict[str, Figures]]:
    """Each day's counters from `first` to `last` inclusive, per member (all members when None)."""
    days = days_between(first, last)
    buckets = [bucket_of(d, "day") for d in days]
    by_bucket = figures_in_buckets(store, config, metric_name, buckets, scope, members)
    return {d: by_bucket[bucket_of(d, "day")] for d in days}


def figures_in_buckets(
    store: Store,
    config: Config,
    metric_name: str,
    buckets: list[str],
    scope: Scope,
    members: list[str] | None = None,
) -> dict[str, dict[str, Figures]]:
    """`Store.figures_by_bucket` for a metric, reading only the counters its aggregation keeps; each bucket's
    gated points for `points` with the gate on."""
    metric = config.metric(metric_name)
    if gated_metric(config, metric.name):
        return gated_by_bucket(store, config, buckets, scope, members)
    return store.figures_by_bucket(metric.name, buckets, scope, members, aggregation=metric.aggregation)


def combined_figures(
    store: Store,
    config: Config,
    metric_name: str,
    buckets: list[str],
    scope: Scope,
    members: list[str] | None = None,
) -> dict[str, Figures]:
    """Each member's counters summed over `buckets` (for example a date window's cover), in one round trip.

    The buckets must not overlap, or days would be counted twice (see `kpi.read.windows.covering_buckets`).
    Gated points are gated once, on the window's quality as a whole.
    """
    metric = config.metric(metric_name)
    if gated_metric(config, metric.name):
        return gated_figures(store, config, buckets, scope, members)
    if members is None:
        return store.figures_summed(metric.name, buckets, scope, aggregation=metric.aggregation)
    combined: dict[str, Figures] = {}
    for by_member in figures_in_buckets(store, config, metric.name, buckets, scope, members).values():
        for member, figures in by_member.items():
            combined[member] = combined.get(member, Figures()) + figures
    return combined
