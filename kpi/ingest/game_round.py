"""The game's periodic round: award achievements, fix ended challenges, celebrate challenge moments.

One function for every loop that runs it (each sync round, each demo tick, ``wallboard award``), so that
nothing in the game waits for a process to be up at an exact moment: what is due is found from the
definitions and the clock, and each step is idempotent (awards and results are stored once).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from kpi.config import Config
from kpi.ingest.awarding import AwardRound, award_changed
from kpi.ingest.challenges import challenge_moments, settle_challenges
from kpi.model.celebration import Celebration
from kpi.model.challenge_results import FixedResult
from kpi.store.base import Store


@dataclass(frozen=True)
class GameRound:
    """What one round did."""

    awarding: AwardRound
    fixed: list[FixedResult]
    """Challenge instances whose result this round fixed."""
    moments: list[Celebration]
    """Challenge moments celebrated (a target reached, a new leader near the end)."""


def game_round(store: Store, config: Config, now: datetime, *, full: bool = False) -> GameRound:
    """Award the changed agents (everyone when `full` or a day closed), then settle and watch challenges."""
    awarding = award_changed(store, config, now, full=full)
    if not config.challenges.definitions:
        return GameRound(awarding, [], [])
    return GameRound(awarding, settle_challenges(store, config, now), challenge_moments(store, config, now))
