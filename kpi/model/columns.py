"""Many members' counters as columns (member → integer per counter), for readers that rank thousands.

A `Figures` per member costs an object each; a challenge's TV view scores every participant of a floor
on each refresh and builds `Figures` only for the few rows it shows. The members are those with a count
(as `Figures` read from a board: a member without a count has no figure).
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field

from kpi.model.contributions import Figures, figure_value
from kpi.model.metrics import Aggregation

Column = dict[str, int]


@dataclass(frozen=True)
class Columns:
    """Counters of many members: `count` holds every member; the others only where read and non-zero."""

    count: Column = field(default_factory=dict)
    total: Column = field(default_factory=dict)
    promoters: Column = field(default_factory=dict)
    detractors: Column = field(default_factory=dict)

    @classmethod
    def of(cls, figures: Mapping[str, Figures]) -> Columns:
        """The columns of members' `Figures`."""
        return cls(
            {m: f.count for m, f in figures.items()},
            {m: f.total for m, f in figures.items() if f.total},
            {m: f.promoters for m, f in figures.items() if f.promoters},
            {m: f.detractors for m, f in figures.items() if f.detractors},
        )

    def figures(self, member: str) -> Figures:
        """One member's `Figures` (zeros when absent)."""
        return Figures(
            self.count.get(member, 0),
            self.total.get(member, 0),
            self.promoters.get(member, 0),
            self.detractors.get(member, 0),
        )

    def values(self, aggregation: Aggregation) -> dict[str, float]:
        """Each member's figure (`Figures.value`), members without one left out."""
        count = self.count
        if aggregation == "count":
            return {m: float(n) for m, n in count.items() if n > 0}
        total, pro, det = self.total, self.promoters, self.detractors
        found = {}
        for member, n in count.items():
            value = figure_value(aggregation, n, total.get(member, 0), pro.get(member, 0), det.get(member, 0))
            if value is not None:
                found[member] = value
        return found

    def combined(self) -> Figures:
        """The members' counters summed."""
        count = self.count
        total, pro, det = (
            sum(c.values()) if c.keys() <= count.keys() else sum(v for m, v in c.items() if m in count)
            for c in self._all()[1:]
        )
        return Figures(sum(count.values()), total, pro, det)

    def only(self, members: Collection[str]) -> Columns:
        """The columns of `members` alone."""
        return Columns(*({m: v for m, v in column.items() if m in members} for column in self._all()))

    def __add__(self, other: Columns) -> Columns:
        return Columns(*(added(mine, theirs) for mine, theirs in zip(self._all(), other._all())))

    def _all(self) -> tuple[Column, Column, Column, Column]:
        return self.count, self.total, self.promoters, self.detractors


def added(first: Column, second: Column) -> Column:
    """Two columns summed member by member."""
    if len(first) < len(second):
        first, second = second, first
    summed = dict(first)
    for member, value in second.items():
        summed[member] = summed.get(member, 0) + value
    return summed


def summed_pairs(column: Column, pairs: Iterable) -> None:
    """Add a board's ``(member, score)`` pairs to `column` (scores are whole counters)."""
    if not column:
        column.update((member, int(score)) for member, score in pairs)
        return
    for member, score in pairs:
        column[member] = column.get(member, 0) + int(score)
