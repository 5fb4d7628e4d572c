"""Each points rule's effect over the last days: points given per rule part (base, bonus, penalty) by team.

Read, not recomputed: the upsert keeps each record's points per rule part in the day's tallies by team
(`Store.rule_tallies`), so corrections, retractions and late ratings move them by exactly the delta, and a
`wallboard rescore` re-derives them with the rules it applies. A linked record (a rating naming its ticket)
counts for the linked record's team and day, and not at all while that record is retracted or took its
points back, as the figures do. The parts not in test mode add up to the `points` figures. Records stored
before the tallies existed count once `wallboard rescore` has run over them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from kpi.config import Config
from kpi.model.contributions import TALLY_SEP
from kpi.model.periods import bucket_of, local_day
from kpi.store.base import Store

NO_TEAM = "(no team)"


@dataclass(frozen=True)
class RuleEffect:
    """Points one part of one event type's rule gave one team in the window."""

    event_type: str
    part: str
    """``base`` (base × multipliers × band), ``bonus:<name>`` or ``penalty:<name>``."""
    team: str
    points: float
    events: int


def rule_effects(store: Store, config: Config, now: datetime, days: int = 30) -> list[RuleEffect]:
    """Points per rule part and team over the last `days` office days (today included), biggest first."""
    today = local_day(now, config.zone)
    window = [bucket_of(today - timedelta(days=back), "day") for back in range(days)]
    found = []
    for (team, name), figures in store.rule_tallies(window).items():
        event_type, _, part = name.partition(TALLY_SEP)
        points = figures.value("sum") or 0.0
        found.append(RuleEffect(event_type, part, team or NO_TEAM, points, figures.count))
    return sorted(found, key=lambda e: (e.event_type, e.part, -abs(e.points), e.team))
