"""The game's periodic round: award achievements, fix ended challenges, celebrate challenge moments, and
once a day the store's retention sweep.

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
from kpi.store.base import Store, Swept


@dataclass(frozen=True)
class GameRound:
    """What one round did."""

    awarding: AwardRound
    fixed: list[FixedResult]
    """Challenge instances whose result this round fixed."""
    moments: list[Celebration]
    """Challenge moments celebrated (a target reached, a new leader near the end)."""
    swept: Swept | None = None
    """What the day's retention sweep did, when this round ran it."""


def game_round(store: Store, config: Config, now: datetime, *, full: bool = False) -> GameRound:
    """Award the changed agents (everyone when `full` or a day closed), settle and watch challenges, then
    sweep beyond the retention if no round has today."""
    awarding = award_changed(store, config, now, full=full)
    fixed, moments = [], []
    if config.challenges.definitions:
        fixed, moments = settle_challenges(store, config, now), challenge_moments(store, config, now)
    return GameRound(awarding, fixed, moments, store.sweep_retention_if_due(config, now))
