"""A race read from the top of its board: the TV's rows without reading every participant.

A race on a count or a sum, higher better, whose window is exactly one stored bucket (a weekly race, a
monthly one) is ordered by that bucket's board itself (`Store.ranked`: counts by their count, sums by
their total). Its first `top_n` places are read from the top of the board, a page at a time, until the
`top_n`-th score among those who may take a place is known and a lower score has been read (so every
member tied with it is in). Who may take a place is decided as in the full standings: at least the
minimum volume of events, not hidden, a participant (by agent or latest team). A sum needs the last
kept score above zero (members without a total, absent from the board, score zero); otherwise, as for
every other window and kind, the caller reads every participant (`None`).
"""

from __future__ import annotations

from collections.abc import Collection, Iterator
from dataclasses import dataclass

from kpi.config import Config
from kpi.game.challenge_calendar import Instance
from kpi.model.contributions import Figures
from kpi.model.metrics import Metric
from kpi.read.gated_points import gated_metric
from kpi.read.windows import Window, covering_buckets
from kpi.store.base import Store

FIRST_PAGE = 16
"""Rows of the board read first (a page twice the last one after that)."""


@dataclass(frozen=True)
class TopRows:
    """A race's members that the first `top_n` places take (with every one tied with the last), and their
    figures over the window."""

    members: list[str]
    figures: dict[str, Figures]


def one_board(instance: Instance, metric: Metric, config: Config) -> str | None:
    """The bucket whose board orders `instance`'s race (a window that is exactly one stored bucket, on a
    count or a sum, higher better), else None."""
    if instance.challenge.kind != "race" or metric.aggregation not in ("count", "sum"):
        return None
    if metric.lower_is_better or gated_metric(config, metric.name):
        return None
    buckets = covering_buckets(Window(instance.first, instance.last))
    return buckets[0][1] if len(buckets) == 1 else None


def race_top(
    store: Store,
    metric: Metric,
    bucket: str,
    *,
    top_n: int,
    volume: int,
    hidden: Collection[str],
    taking_part: Collection[str] | None,
) -> TopRows | None:
    """The members of the first `top_n` places of a race on `bucket`'s board (`taking_part` None: every
    agent takes part), or None when the board's top cannot settle them (see the module)."""
    kept: list[tuple[str, float]] = []
    figures: dict[str, Figures] = {}
    for rows in _pages(store, metric, bucket):
        found = _figures(store, metric, bucket, rows)
        for member, score in rows:
            mine = found.get(member)
            if mine is None or mine.count < max(volume, 1) or member in hidden:
                continue
            if taking_part is None or member in taking_part:
                kept.append((member, score))
                figures[member] = mine
        if len(kept) >= top_n and rows[-1][1] < kept[top_n - 1][1]:
            break
    cut = kept[top_n - 1][1] if len(kept) >= top_n else None
    if metric.aggregation == "sum" and (cut is None or cut <= 0):
        return None
    members = [m for m, score in kept if cut is None or score >= cut]
    return TopRows(members, {m: figures[m] for m in members})


def _figures(store: Store, metric: Metric, bucket: str, rows: list[tuple[str, float]]) -> dict[str, Figures]:
    """The rows' figures on the board: a count is its own score; a sum's count is read."""
    if metric.aggregation == "count":
        return {member: Figures(int(score)) for member, score in rows}
    members = [m for m, _ in rows]
    return store.figures(metric.name, bucket, "agent", members, aggregation=metric.aggregation)


def _pages(store: Store, metric: Metric, bucket: str) -> Iterator[list[tuple[str, float]]]:
    """The board's rows from the top, a page at a time, until the board ends."""
    start, size = 0, FIRST_PAGE
    while True:
        rows = store.ranked(
            metric.name,
            bucket,
            "agent",
            ascending=False,
            start=start,
            count=size,
            aggregation=metric.aggregation,
        )
        if rows:
            yield rows
        if len(rows) < size:
            return
        start, size = start + size, size * 2
