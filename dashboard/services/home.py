"""Today's leaders for the start page: the top three per metric, named as the screens name them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from kpi.config import Config
from kpi.model.periods import current_bucket
from kpi.read.display_names import hidden_agents, screen_name
from kpi.read.rankings import ranking
from kpi.store.base import Store

TOP = 3


@dataclass(frozen=True)
class Leader:
    """One row of a board: the rank, the name as screens show it, and the figure with its unit."""

    rank: int
    name: str
    value: str


@dataclass(frozen=True)
class Board:
    """One metric's leaders today (empty when no one has a figure yet)."""

    title: str
    leaders: list[Leader]


def todays_leaders(store: Store, config: Config, now: datetime) -> list[Board]:
    """A board per metric with today's top `TOP`; agents hidden from screens are left out."""
    bucket = current_bucket("day", now, config.zone)
    boards = []
    for metric in config.metrics.values():
        rows = ranking(
            store, config, metric.name, "day", bucket, limit=TOP, exclude=hidden_agents(config.agents)
        )
        leaders = [
            Leader(
                row.rank,
                screen_name(row.id, row.name, config.agents),
                f"{row.value:,.{metric.decimals}f} {metric.unit}".strip(),
            )
            for row in rows
        ]
        boards.append(Board(metric.label or metric.name, leaders))
    return boards
