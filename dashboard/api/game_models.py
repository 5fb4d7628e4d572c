"""The response models of the game endpoints: they shape the answers and describe them in OpenAPI."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class PointsOut(_Model):
    """An agent's points in the current day, ISO week and month, and over their whole history."""

    day: float
    week: float
    month: float
    lifetime: float


class LevelOut(_Model):
    """The level lifetime points reach; `next_at` is None at the top level."""

    name: str
    index: int
    points: float
    next_at: float | None


class BadgeStatus(_Model):
    """One badge for one agent: when last earned (None if never), how often, and progress toward it."""

    id: str
    name: str
    criterion: str
    earned_at: str | None
    times: int
    progress: float | None
    target: float | None


class AgentAchievements(_Model):
    """``GET /api/v1/agents/<agent_id>/achievements``."""

    agent_id: str
    points: PointsOut
    level: LevelOut
    badges: list[BadgeStatus]


class BadgeInfo(_Model):
    """One badge of the catalogue."""

    id: str
    name: str
    criterion: str
    group: str
    icon: str
    """The icon's URL on this server."""
    kind: str


class BadgeCatalogue(_Model):
    """``GET /api/v1/badges``."""

    badges: list[BadgeInfo]


MODELS: tuple[type[BaseModel], ...] = (AgentAchievements, BadgeCatalogue)
