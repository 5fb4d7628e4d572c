"""An award: one badge (or level) earned by one agent or team, once or once per period."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, replace
from datetime import date, datetime
from typing import Any

from kpi.model.contributions import Scope

Subject = tuple[Scope, str]
"""Who holds an award: ``("agent", agent_id)`` or ``("team", team)``."""


@dataclass(frozen=True)
class Award:
    """A stored award.

    Attributes:
        badge: the achievement's id, or ``level-<index>`` for reaching a level.
        scope, member: who earned it (an agent id, or a team for a team achievement).
        occurrence: ``""`` for a one-time badge; else what makes each award of a repeatable badge distinct
            (the period's bucket such as ``2026-W48``, or the day a streak reached its length).
        earned_on: the office-local day it was earned, taken from the history (not the day it was found).
        found_at: when an evaluation stored it.
        retroactive: found over history (or when the badge was switched on), not as it happened.
        celebrate: a kiosk may celebrate it: the badge says ``celebrate: true``, it is live, not a test.
        test: the achievement is marked ``test: true``: stored, but kiosks never show it.
        name: the badge's name when it was awarded.
    """

    badge: str
    scope: Scope
    member: str
    occurrence: str
    earned_on: date
    found_at: datetime
    retroactive: bool = True
    celebrate: bool = False
    test: bool = False
    name: str = ""

    @property
    def key(self) -> str:
        """The award's identity among its holder's awards."""
        return f"{self.badge}|{self.occurrence}"

    @property
    def subject(self) -> Subject:
        return (self.scope, self.member)

    @property
    def grounds(self) -> tuple[str, Scope, str, str, date]:
        """What the history decides (who, what, which occurrence, when), without how it was found."""
        return (self.badge, self.scope, self.member, self.occurrence, self.earned_on)

    def redated(self, earned_on: date) -> Award:
        return replace(self, earned_on=earned_on)

    def encode(self) -> str:
        data: dict[str, Any] = asdict(self)
        data["earned_on"] = self.earned_on.isoformat()
        data["found_at"] = self.found_at.isoformat()
        return json.dumps(data, separators=(",", ":"))

    @classmethod
    def decode(cls, text: str) -> Award:
        data = json.loads(text)
        data["earned_on"] = date.fromisoformat(data["earned_on"])
        data["found_at"] = datetime.fromisoformat(data["found_at"])
        return cls(**data)
