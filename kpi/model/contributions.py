"""What an event contributes to the figures, and what a figure is made of."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import Iterator, Literal

from kpi.model.events import VALUE_DECIMALS, Event
from kpi.model.metrics import Aggregation, MetricCatalog
from kpi.model.periods import buckets_of

Scope = Literal["agent", "team"]
SCOPES: tuple[Scope, ...] = ("agent", "team")
RESOLVE_TEAM = "\x1f"
"""In an encoded contribution: credit the agent's last known team (resolved inside the Redis script)."""
SCALE = 10**VALUE_DECIMALS
"""Totals are stored as integers of 1/SCALE units, so that adding and removing is exact."""


class Outcome(str, enum.Enum):
    """What an upsert did."""

    NEW = "new"
    UPDATED = "updated"
    UNCHANGED = "unchanged"
    RETRACTED = "retracted"
    STALE = "stale"


@dataclass(frozen=True)
class Figures:
    """The raw counters behind one member's figure in one bucket."""

    count: int = 0
    total: int = 0
    promoters: int = 0
    detractors: int = 0

    def value(self, aggregation: Aggregation) -> float | None:
        """The figure: a count, a sum, a mean, or an NPS from -100 to 100; None when there are no events."""
        if self.count <= 0:
            return None
        if aggregation == "count":
            return float(self.count)
        if aggregation == "sum":
            return self.total / SCALE
        if aggregation == "mean":
            return self.total / self.count / SCALE
        return (self.promoters - self.detractors) * 100.0 / self.count

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
class Contribution:
    """Everything one version of a record adds to the figures.

    Compact on purpose: the same metric parts go to every bucket (day … year) of the agent and team.
    """

    agent: str
    team: str | None
    buckets: tuple[str, ...]
    parts: tuple[Part, ...]

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
        lines = [head] + [
            "\t".join(
                (
                    p.metric,
                    p.aggregation,
                    str(p.figures.count),
                    str(p.figures.total),
                    str(p.figures.promoters),
                    str(p.figures.detractors),
                )
            )
            for p in self.parts
        ]
        return "\n".join(lines)


def _part_figures(event: Event, aggregation: Aggregation) -> Figures:
    if aggregation == "count":
        return Figures(count=1)
    if aggregation in ("sum", "mean"):
        return Figures(count=1, total=round(event.value * SCALE))
    score = event.value
    return Figures(count=1, promoters=int(score >= 9), detractors=int(score <= 6))


def contribution_of(event: Event, config: MetricCatalog, team: str | None) -> Contribution | None:
    """What `event` adds to the figures, or None when it feeds no metric or is a retraction.

    Args:
        event: a validated event.
        config: the metrics each event type feeds, and the time zone (the configuration).
        team: the team to credit (the event's own, else the agent's last known team).
    """
    if event.deleted:
        return None
    metrics = [m for m in config.metrics_by_type.get(event.type, ()) if m.accepts(event)]
    if not metrics:
        return None
    parts = tuple(Part(m.name, m.aggregation, _part_figures(event, m.aggregation)) for m in metrics)
    buckets = tuple(buckets_of(event.occurred_at, config.zone).values())
    return Contribution(event.agent_id, team, buckets, parts)


def rank_score(figures: Figures, aggregation: Aggregation) -> float:
    """The score a board is ordered by (the same formula the Redis script uses)."""
    return figures.value(aggregation) or 0.0
