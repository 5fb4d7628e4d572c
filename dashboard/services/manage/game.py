"""One agent's game for a manager: level, badges earned (with dates; tests flagged), points history."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import pandas as pd

from kpi.config import Config
from kpi.game.levels import Level
from kpi.model.scoring import POINTS_METRIC
from kpi.read.achievements import BadgeProgress, agent_level, progress
from kpi.store.base import Store


@dataclass(frozen=True)
class AgentGame:
    """What the agent page's game panel shows."""

    level: Level
    earned: list[BadgeProgress]
    """Badges the agent (or their team) earned, newest first; test badges included and flagged."""
    points: pd.DataFrame
    """The agent's points per trend point of the window: columns ``x``, ``value``."""


def agent_game(store: Store, config: Config, agent_id: str, series: pd.DataFrame, now: datetime) -> AgentGame:
    """The agent's level, earned badges and points series (taken from the agent page's `series`)."""
    earned = [b for b in progress(store, config, agent_id, now) if b.earned_at is not None]
    earned.sort(key=lambda b: b.earned_at, reverse=True)  # type: ignore[arg-type, return-value]
    points = series.loc[series["metric"] == POINTS_METRIC, ["x", "value"]].fillna({"value": 0.0})
    return AgentGame(agent_level(store, config, agent_id), earned, points.reset_index(drop=True))
