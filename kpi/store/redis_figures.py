"""Reading board counters from Redis: which sorted sets hold a metric's counters, and their replies as
`Figures` (used by `kpi.store.redis_store`)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Iterable, Iterator, Sequence

import redis

from kpi.model.columns import Columns, summed_pairs
from kpi.model.contributions import Figures, Scope
from kpi.model.metrics import Aggregation
from kpi.store.keys import Keys

FIELDS = ("n", "s", "p", "d")
COUNTERS: dict[str, tuple[str, ...]] = {
    "count": ("n",),
    "sum": ("n", "s"),
    "mean": ("n", "s"),
    "nps": ("n", "p", "d"),
}
"""The counters each aggregation keeps; the others are always zero, so reads may skip them."""


@dataclass(frozen=True)
class BoardRead:
    """One metric's counters of some members (all when None) in some buckets, queued on a pipeline."""

    keys: Keys
    metric: str
    scope: Scope
    buckets: Sequence[str]
    members: Sequence[str] | None
    aggregation: Aggregation | None

    @property
    def fields(self) -> tuple[str, ...]:
        return COUNTERS[self.aggregation] if self.aggregation else FIELDS

    def queue(self, pipe: redis.client.Pipeline) -> None:
        for bucket in self.buckets:
            for name in self.fields:
                board = self.keys.board(self.metric, bucket, self.scope, name)  # type: ignore[arg-type]
                if self.members is None:
                    pipe.zrange(board, 0, -1, withscores=True)
                else:
                    pipe.zmscore(board, list(self.members))

    def parse(self, replies: Iterator) -> dict[str, dict[str, Figures]]:
        """Each bucket's figures from this read's replies, taken in order from `replies`."""
        blank = [] if self.members is None else [None] * len(self.members)
        found = {}
        for bucket in self.buckets:
            columns = [next(replies) for _ in self.fields]
            found[bucket] = dict(figures_from(all_columns(self.fields, columns, blank), self.members))
        return found


def all_columns(fields: Sequence[str], replies: list, blank: object) -> list:
    """Replies for `fields` spread over all four counters, `blank` standing in for those not read."""
    found = iter(replies)
    return [next(found) if name in fields else blank for name in FIELDS]


def figures_from(columns: list, members: Sequence[str] | None) -> Iterator[tuple[str, Figures]]:
    if members is None:
        maps = [dict(column) for column in columns]
        names = maps[0].keys()
    else:
        maps = [dict(zip(members, column)) for column in columns]
        names = [m for m in members if maps[0][m] is not None]
    count, total, pro, det = (counter(found) for found in maps)
    for member in names:
        yield member, Figures(count(member), total(member), pro(member), det(member))


def counter(found: dict) -> Callable[[str], int]:
    """A member's counter from one column's replies (0 when absent, or when the column was not read)."""
    if not any(found.values()):
        return lambda _member: 0
    return lambda member: int(float(found.get(member) or 0))


def read_columns(
    pipe: redis.client.Pipeline,
    keys: Keys,
    metric: str,
    buckets: Sequence[str],
    scope: Scope,
    aggregation: Aggregation,
    by_redis: bool,
) -> Columns:
    """Every member's counters summed over `buckets`, replies taken without conversion. Summed by Redis
    (one ZUNION per counter) when `by_redis`, which pays when several buckets are full; else each board is
    read whole and summed here (ZUNION sorts what it sums: dearer for a full day beside empty ones)."""
    fields = COUNTERS[aggregation]
    groups = [list(buckets)] if by_redis else [[bucket] for bucket in buckets]
    for group in groups:
        for name in fields:
            boards = [keys.board(metric, bucket, scope, name) for bucket in group]  # type: ignore[arg-type]
            if len(boards) == 1:
                pipe.execute_command("ZRANGE", boards[0], 0, -1, "WITHSCORES")
            else:
                pipe.execute_command("ZUNION", len(boards), *boards, "WITHSCORES")
    replies = iter(pipe.execute())
    columns = Columns()
    by_name = dict(zip(FIELDS, (columns.count, columns.total, columns.promoters, columns.detractors)))
    for _group in groups:
        for name in fields:
            summed_pairs(by_name[name], _pairs(next(replies)))
    return columns


def _pairs(reply: list) -> Iterable:
    """A WITHSCORES reply as ``(member, score)`` pairs: RESP3 gives pairs, RESP2 a flat list of strings."""
    if reply and not isinstance(reply[0], (list, tuple)):
        return ((member, float(score)) for member, score in zip(reply[::2], reply[1::2]))
    return reply
