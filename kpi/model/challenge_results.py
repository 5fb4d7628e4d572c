"""The shapes of a challenge's standings and of its fixed result (stored as JSON once it ends)."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Any, Literal

from kpi.model.contributions import Scope

ScoreUnit = Literal["value", "percent", "points"]
"""What a score is: the metric's own figure, a percent (improvement, share of target), or NPS points."""


@dataclass(frozen=True)
class Entry:
    """One participant (an agent, or a team in a team race) in a challenge.

    `rank` is 0 for a participant who takes no place yet (below the minimum volume, no target, no data).
    """

    rank: int
    id: str
    name: str
    team: str | None
    score: float | None
    """What is ranked: the figure, a team's score, an improvement or a percent of target."""
    value: float | None
    """The metric's figure over the window."""
    count: int
    baseline: float | None = None
    """Personal best: the figure the agent is measured against (to date, for a running total)."""
    target: float | None = None
    """Fair race: the agent's own target after proration and fte."""
    members: int | None = None
    """Team race: the agents counted in the team's score."""
    note: str = ""

    def public(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class Progress:
    """A collaborative challenge's figure against its target, with pace for running totals."""

    value: float | None
    target: float
    fraction: float | None
    """The figure as a share of the target (running totals only)."""
    expected: float | None
    """The share a steady pace reaches by now (running totals only)."""
    status: str
    """As goal progress says it: done, on_track, behind, met, missed, no_data."""

    @property
    def reached(self) -> bool:
        return self.status in ("done", "met")


@dataclass(frozen=True)
class Standings:
    """Every participant of one instance, placed ones first in rank order."""

    scope: Scope
    score_unit: ScoreUnit
    entries: tuple[Entry, ...] = ()
    progress: Progress | None = None

    def placed(self) -> tuple[Entry, ...]:
        return tuple(e for e in self.entries if e.rank > 0)

    def winners(self, places: int) -> tuple[Entry, ...]:
        """The placed entries ranked `places` or better (ties at the last place all win).

        A collaborative challenge has winners only when its target is reached: every contributor wins.
        """
        if self.progress is not None:
            return self.placed() if self.progress.reached else ()
        return tuple(e for e in self.placed() if e.rank <= places)

    def leaders(self) -> tuple[str, ...]:
        return tuple(e.id for e in self.placed() if e.rank == 1)

    def entry(self, member: str) -> Entry | None:
        return next((e for e in self.entries if e.id == member), None)


@dataclass(frozen=True)
class FixedResult:
    """A challenge instance's final standings and winners, fixed once after its end and grace period."""

    instance_id: str
    fixed_at: datetime
    standings: Standings
    winners: tuple[Entry, ...] = field(default=())

    def encode(self) -> str:
        data = asdict(self)
        data["fixed_at"] = self.fixed_at.isoformat()
        return json.dumps(data, separators=(",", ":"))

    @classmethod
    def decode(cls, text: str) -> FixedResult:
        data = json.loads(text)
        raw = data["standings"]
        progress = Progress(**raw["progress"]) if raw.get("progress") else None
        standings = Standings(
            raw["scope"], raw["score_unit"], tuple(Entry(**e) for e in raw["entries"]), progress
        )
        return cls(
            data["instance_id"],
            datetime.fromisoformat(data["fixed_at"]),
            standings,
            tuple(Entry(**e) for e in data["winners"]),
        )


@dataclass(frozen=True)
class LeadRecord:
    """Who led an instance when last looked at, and when a lead change was last celebrated."""

    leaders: tuple[str, ...] = ()
    celebrated_at: datetime | None = None

    def encode(self) -> str:
        at = self.celebrated_at.isoformat() if self.celebrated_at else None
        return json.dumps({"leaders": list(self.leaders), "celebrated_at": at}, separators=(",", ":"))

    @classmethod
    def decode(cls, text: str) -> LeadRecord:
        data = json.loads(text)
        at = data.get("celebrated_at")
        return cls(tuple(data.get("leaders") or ()), datetime.fromisoformat(at) if at else None)
