"""The periodic awarding round: evaluate the agents whose figures changed, and everyone once a period closed.

Ingestion only marks changed agents (`kpi.store.award_queue`); `award_changed` runs after each sync round,
each demo tick and as ``wallboard award``. A period closes without any new event (a Weekly Champion is
judged at midnight on Sunday), so a round sweeps every agent when the office-local day changed since the
last full sweep. One round runs at a time per store: a second process finds the lock held and skips, and
`evaluate_achievements` stores each award once (HSETNX) even if two rounds did overlap.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from datetime import datetime

from kpi.config import Config
from kpi.ingest.achievements import evaluate_achievements
from kpi.model.awards import Award
from kpi.model.periods import local_day
from kpi.store.award_queue import award_queue_for
from kpi.store.base import Store

log = logging.getLogger("wallboard.achievements")

LOCK_SECONDS = 120.0
"""The awarding lock expires after this long if its holder died mid-round."""


@dataclass(frozen=True)
class AwardRound:
    """What one round did."""

    agents: int
    """Agents evaluated (0 for a full sweep: everyone was)."""
    full: bool
    awards: list[Award]
    seconds: float
    skipped: bool = False
    """Another process held the lock; nothing was evaluated."""


def sweep_due(last: datetime | None, now: datetime, config: Config) -> bool:
    """A full sweep is due before the first one, and whenever a day (so any period) closed since the last."""
    return last is None or local_day(last, config.zone) != local_day(now, config.zone)


def award_changed(store: Store, config: Config, now: datetime, *, full: bool = False) -> AwardRound:
    """Evaluate the marked agents (everyone when `full` or a sweep is due) and return what was awarded.

    The marked agents are taken atomically; if the evaluation fails they are marked again, so a store
    outage delays awards but never loses them.
    """
    started = time.perf_counter()
    queue = award_queue_for(store)
    token = queue.lock(LOCK_SECONDS)
    if token is None:
        return AwardRound(0, False, [], time.perf_counter() - started, skipped=True)
    try:
        full = full or sweep_due(queue.last_sweep(), now, config)
        agents = queue.take()
        try:
            if full:
                awards = evaluate_achievements(store, config, now)
                queue.swept(now)
            else:
                awards = evaluate_achievements(store, config, now, agents) if agents else []
        except Exception:
            queue.mark(agents)
            raise
    finally:
        queue.unlock(token)
    seconds = time.perf_counter() - started
    if awards or full:
        log.info(
            "awarding: %s in %.0f ms, %d award(s)",
            "full sweep" if full else f"{len(agents)} agent(s)",
            seconds * 1000,
            len(awards),
        )
    return AwardRound(0 if full else len(agents), full, awards, seconds)
