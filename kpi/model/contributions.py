"""What an event contributes to the figures, and what a figure is made of."""

from __future__ import annotations

import bisect
import enum
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Iterator, Literal

from kpi.model.events import VALUE_DECIMALS, Event
from kpi.model.metrics import Aggregation, Metric, MetricCatalog
from kpi.model.periods import buckets_of
from kpi.model.scoring import POINTS_METRIC, POINTS_TEST_METRIC, PointsScore

Scope = Literal["agent", "team"]
SCOPES: tuple[Scope, ...] = ("agent", "team")
RESOLVE_TEAM = "\x1f"
"""In an encoded contribution: credit the agent's last known team (resolved inside the Redis script)."""
SCALE = 10**VALUE_DECIMALS
TALLY = "tally"
"""The aggregation of a contribution line that is a rule part's tally, not a metric (see `Tally`)."""
TALLY_SEP = "|"
"""Between the event type and the part in a tally's name."""
"""Totals are stored as integers of 1/SCALE units, so that adding and removing is exact."""


class Outcome(str, enum.Enum):
    """What an upsert did."""

    NEW = "new"
    UPDATED = "updated"
    UNCHANGED = "unchanged"
    RETRACTED = "retracted"
    STALE = "stale"
    RELEASED = "released"
    """Stale because the record's day is beyond the retention: the store keeps no record that old."""


@dataclass(frozen=True)
class Figures:
    """The raw counters behind one member's figure in one bucket."""

    count: int = 0
    total: int = 0
    promoters: int = 0
    detractors: int = 0

    def value(self, aggregation: Aggregation) -> float | None:
        """The figure: a count, a sum, a mean, or an NPS from -100 to 100; None when there are no events."""
        return figure_value(aggregation, self.count, self.total, self.promoters, self.detractors)

    def __add__(self, other: Figures) -> Figures:
        return Figures(
            self.count + other.count,
            self.total + other.total,
            self.promoters + other.promoters,
            self.detractors + other.detractors,
        )

    @property
    def passives(self) -> int:
        return self.count - self.promoters - self.detractors


def figure_value(
    aggregation: Aggregation, count: int, total: int, promoters: int, detractors: int
) -> float | None:
    """A figure from its counters (see `Figures.value`), for readers that keep counters in columns."""
    if count <= 0:
        return None
    if aggregation == "count":
        return float(count)
    if aggregation == "sum":
        return total / SCALE
    if aggregation == "mean":
        return total / count / SCALE
    return (promoters - detractors) * 100.0 / count


@dataclass(frozen=True)
class Part:
    """An event's share of one metric."""

    metric: str
    aggregation: Aggregation
    figures: Figures


@dataclass(frozen=True)
class Cell:
    """One counter update: a member of a (metric, bucket, scope) board."""

    metric: str
    aggregation: Aggregation
    bucket: str
    scope: Scope
    member: str
    figures: Figures


@dataclass(frozen=True)
class Tally:
    """One points rule part's share of a record (``ticket_solved|bonus:fcr``), kept per team and day for
    the rules page: one event, `total` points in 1/SCALE units."""

    name: str
    total: int

    def encode(self) -> str:
        """A metric line of aggregation ``tally``: upsert.lua adds it to the day's rule tallies."""
        return "\t".join((self.name, TALLY, "1", str(self.total), "0", "0"))


@dataclass(frozen=True)
class Link:
    """Points that go to another record of the same source: its agent, team and buckets, while it is live."""

    target: str
    parts: tuple[Part, ...]
    tallies: tuple[Tally, ...] = ()

    def encode(self) -> str:
        """The parts as the metric lines of `Contribution.encode` (the store adds the target's head)."""
        return "\n".join([*(_encode_part(p) for p in self.parts), *(t.encode() for t in self.tallies)])


@dataclass(frozen=True)
class Contribution:
    """Everything one version of a record adds to the figures.

    Compact on purpose: the same metric parts go to every bucket (day … year) of the agent and team.
    `link` holds points credited through another record; `linkable` says whether records linking to this
    one earn theirs.
    """

    agent: str
    team: str | None
    buckets: tuple[str, ...]
    parts: tuple[Part, ...]
    link: Link | None = None
    linkable: bool = False
    tallies: tuple[Tally, ...] = ()
    """The record's own points by rule part (a linked record's go with its `link`)."""
    body: str | None = field(default=None, compare=False, repr=False)
    """What `encode` writes after the head, when already known (`ContributionCache`)."""

    def cells(self) -> Iterator[Cell]:
        for part in self.parts:
            for bucket in self.buckets:
                yield Cell(part.metric, part.aggregation, bucket, "agent", self.agent, part.figures)
                if self.team:
                    yield Cell(part.metric, part.aggregation, bucket, "team", self.team, part.figures)

    def encode(self) -> str:
        """Tab/newline text that the Redis script expands into cells (see kpi/store/upsert.lua).

        A missing team is written as `RESOLVE_TEAM`: the script credits the agent's last known team.
        """
        head = "\t".join((self.agent, self.team or RESOLVE_TEAM, ",".join(self.buckets)))
        if self.body is not None:
            return head + self.body
        return "\n".join([head, *(_encode_part(p) for p in self.parts), *(t.encode() for t in self.tallies)])

    def with_head(self, agent: str, team: str | None, buckets: tuple[str, ...]) -> Contribution:
        """These parts credited to another agent, team and buckets (a link resolved to its target)."""
        return Contribution(agent, team, buckets, self.parts, tallies=self.tallies)

    @property
    def day(self) -> str:
        """The day bucket (the first of `buckets`): where its rule tallies go."""
        return self.buckets[0]


def _encode_part(part: Part) -> str:
    f = part.figures
    fields = (part.metric, part.aggregation, f.count, f.total, f.promoters, f.detractors)
    return "\t".join(str(field) for field in fields)


def _part_figures(event: Event, aggregation: Aggregation) -> Figures:
    if aggregation == "count":
        return Figures(count=1)
    if aggregation in ("sum", "mean"):
        return Figures(count=1, total=round(event.value * SCALE))
    score = event.value
    return Figures(count=1, promoters=int(score >= 9), detractors=int(score <= 6))


def contribution_of(event: Event, config: MetricCatalog, team: str | None) -> Contribution | None:
    """What `event` adds to the figures, or None when it feeds no metric, earns no points or is a retraction.

    Its points (from `config.points_scorer`) are one more part, metric `points` (and `points_test` for
    rules in test mode), or a `Link` when a rule credits them through another record.

    Args:
        event: a validated event.
        config: the metrics each event type feeds, the points rules and the time zone (the configuration).
        team: the team to credit (the event's own, else the agent's last known team).
    """
    if event.deleted:
        return None
    metrics = [
        m
        for m in config.metrics_by_type.get(event.type, ())
        if m.accepts(event) and (not m.outside_office_hours or config.outside_office_hours(event.occurred_at))
    ]
    parts = tuple(Part(m.name, m.aggregation, _part_figures(event, m.aggregation)) for m in metrics)
    scorer = config.points_scorer
    score = scorer.score(event) if scorer is not None else None
    link, tallies = None, ()
    earned = _points_parts(score) if score is not None else ()
    if score is not None and score.link is None:
        parts, tallies = parts + earned, _tallies(event, score)
    elif score is not None and earned and score.link and score.link != event.id:
        link = Link(score.link, earned, _tallies(event, score))
    linkable = score is not None and score.linkable
    if not parts and link is None and not linkable and not tallies:
        return None
    buckets = tuple(buckets_of(event.occurred_at, config.zone).values())
    return Contribution(event.agent_id, team, buckets, parts, link, linkable, tallies)


_Body = tuple[tuple[Part, ...], bool, tuple[Tally, ...], str, Link | None] | None
"""A contribution without its head (agent, team, buckets): parts, linkable, tallies, their encoded
lines and the link (its parts; the target is each event's own); None for none."""


class ContributionCache:
    """`contribution_of` for many events (a rescore), computed once per signature.

    A signature is everything the metrics and the points rules read of an event but its agent, team and
    day: its type and value, which metrics accept it (their filters, office hours) and the rules' own
    signature (`RuleBook.signature`). Events whose points go to another record share the link's parts;
    its target is each event's own (`RuleBook.link_target`).
    """

    def __init__(self, config: MetricCatalog) -> None:
        self._config = config
        self._scorer = config.points_scorer
        self._signature = getattr(self._scorer, "signature", None) if self._scorer is not None else None
        self._target: Callable[[Event], str | None] | None = getattr(self._scorer, "link_target", None)
        self._bodies: dict[tuple[object, ...], _Body] = {}
        self._filtered: dict[str, tuple[Metric, ...]] = {}

    def of(self, event: Event, team: str | None) -> Contribution | None:
        """The same as `contribution_of(event, config, team)`."""
        rules = self._signature(event) if self._signature is not None else ()
        if rules is None or event.deleted or (self._scorer is not None and self._signature is None):
            return contribution_of(event, self._config, team)
        config = self._config
        accepted = tuple(
            m.accepts(event)
            and (not m.outside_office_hours or config.outside_office_hours(event.occurred_at))
            for m in self._filtered_metrics(event.type)
        )
        key = (event.type, event.value, accepted, rules)
        try:
            body = self._bodies[key]
        except KeyError:
            found = contribution_of(event, config, team)
            self._bodies[key] = body = _body_of(found)
            return found
        if body is None:
            return None
        buckets = tuple(buckets_of(event.occurred_at, config.zone).values())
        link = body[4]
        if link is not None:
            if self._target is None:
                return contribution_of(event, config, team)
            link = Link(self._target(event) or "", link.parts, link.tallies)
        return Contribution(event.agent_id, team, buckets, body[0], link, body[1], body[2], body[3])

    def _filtered_metrics(self, kind: str) -> tuple[Metric, ...]:
        """The metrics of events of `kind` that may turn one down (a `where` filter, office hours): the
        others take every event of their type, so the key needs not say they do."""
        try:
            return self._filtered[kind]
        except KeyError:
            metrics = self._config.metrics_by_type.get(kind, ())
            found = tuple(m for m in metrics if m.where or m.outside_office_hours)
            self._filtered[kind] = found
            return found


def _body_of(found: Contribution | None) -> _Body:
    if found is None:
        return None
    encoded = found.encode()
    body = encoded[len(encoded.partition("\n")[0]) :]
    return found.parts, found.linkable, found.tallies, body, found.link


def _tallies(event: Event, score: PointsScore) -> tuple[Tally, ...]:
    return tuple(Tally(f"{event.type}{TALLY_SEP}{part}", round(value * SCALE)) for part, value in score.parts)


def _points_parts(score: PointsScore) -> tuple[Part, ...]:
    """The `points` part and the `points_test` part of a score, each only when not zero."""
    found = ((POINTS_METRIC, score.points), (POINTS_TEST_METRIC, score.test_points))
    return tuple(
        Part(metric, "sum", Figures(count=1, total=round(value * SCALE))) for metric, value in found if value
    )


def rank_score(figures: Figures, aggregation: Aggregation) -> float:
    """The score a board is ordered by (the same formula the Redis script uses)."""
    return figures.value(aggregation) or 0.0


def ahead_counts(
    figures: Mapping[str, Figures],
    scores: Sequence[float],
    *,
    aggregation: Aggregation,
    lower_is_better: bool,
    takes_place: Callable[[str, Figures], bool],
) -> list[int]:
    """For each score, how many members of a board (`figures`) that take a place are strictly ahead of it.

    Ties are not ahead, so a member's rank is one more than the count for its own score.
    """
    placed = sorted(rank_score(f, aggregation) for m, f in figures.items() if takes_place(m, f))
    if lower_is_better:
        return [bisect.bisect_left(placed, score) for score in scores]
    return [len(placed) - bisect.bisect_right(placed, score) for score in scores]
