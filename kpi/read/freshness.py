"""Which sources are behind: a connector whose last successful run is too long ago makes kiosks say so."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Mapping

DEFAULT_INTERVAL_SECONDS = 300
MISSED_RUNS = 3
"""A source is behind after this many of its intervals without a successful run."""


@dataclass(frozen=True)
class Freshness:
    """The oldest data behind a screen and the sources that are late."""

    behind: tuple[str, ...]
    oldest: datetime | None


def freshness(
    connectors: Mapping[str, Mapping[str, Any]],
    health: Mapping[str, Mapping[str, str]],
    now: datetime,
    floor_seconds: float,
) -> Freshness:
    """Judge each enabled connector by its last success against its own interval.

    Args:
        connectors: the config's raw ``connectors:`` section (``interval_seconds``, ``enabled``).
        health: the sync state's health records by connector name (``last_success_at`` in RFC 3339).
        now: the current time.
        floor_seconds: never call a source behind sooner than this (the screen's staleness threshold).
    """
    behind: list[str] = []
    oldest: datetime | None = None
    for name, raw in sorted(connectors.items()):
        if raw.get("enabled", True) is False:
            continue
        interval = float(raw.get("interval_seconds", DEFAULT_INTERVAL_SECONDS))
        allowed = max(floor_seconds, MISSED_RUNS * interval)
        last = _moment(health.get(name, {}).get("last_success_at"))
        if last is None or (now - last).total_seconds() > allowed:
            behind.append(name)
        if last is not None and (oldest is None or last < oldest):
            oldest = last
    return Freshness(tuple(behind), oldest)


def _moment(text: str | None) -> datetime | None:
    if not text:
        return None
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        return None
    return moment if moment.tzinfo else None
