"""Levels: names reached at thresholds of lifetime points (Rookie → Pro → Expert → Legend by default)."""

from __future__ import annotations

from dataclasses import dataclass

from pydantic import BaseModel, ConfigDict, Field, model_validator

from kpi.model.metrics import METRIC_NAME


class LevelStep(BaseModel):
    """One level: its name and the lifetime points that reach it."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str = Field(min_length=1, max_length=30)
    at: float = Field(ge=0, allow_inf_nan=False)


class LevelSettings(BaseModel):
    """The ``levels:`` section: which metric's lifetime figure counts, and the steps in rising order."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    metric: str = Field(default="points", pattern=METRIC_NAME)
    """A metric not configured counts as 0 points: everyone stays at the first level."""
    steps: tuple[LevelStep, ...] = Field(
        default=(
            LevelStep(name="Rookie", at=0),
            LevelStep(name="Pro", at=500),
            LevelStep(name="Expert", at=2500),
            LevelStep(name="Legend", at=10000),
        ),
        min_length=1,
    )
    celebrate: bool = True
    """A level-up is celebrated on kiosks like a badge (when it happens live)."""

    @model_validator(mode="after")
    def _rising_from_zero(self) -> LevelSettings:
        if self.steps[0].at != 0:
            raise ValueError("steps: the first level starts at 0 points")
        if any(b.at <= a.at for a, b in zip(self.steps, self.steps[1:])):
            raise ValueError("steps: each level needs more points than the one before")
        if len({s.name for s in self.steps}) != len(self.steps):
            raise ValueError("steps: level names must differ")
        return self


@dataclass(frozen=True)
class Level:
    """Where lifetime points put an agent: the level's name and index (0 first), the points, the next step."""

    name: str
    index: int
    points: float
    next_at: float | None
    """Points needed for the next level; None at the top."""

    def public(self) -> dict[str, object]:
        return {"name": self.name, "index": self.index, "points": self.points, "next_at": self.next_at}


def level_of(lifetime_points: float, settings: LevelSettings | None = None) -> Level:
    """The level that `lifetime_points` reach (negative points stay at the first level)."""
    steps = (settings or LevelSettings()).steps
    index = max(i for i, step in enumerate(steps) if i == 0 or lifetime_points >= step.at)
    following = steps[index + 1].at if index + 1 < len(steps) else None
    return Level(steps[index].name, index, lifetime_points, following)


def level_badge(index: int) -> str:
    """The award id of reaching level `index` (levels are awarded like badges, so they can be celebrated)."""
    return f"level-{index}"
