"""A celebration: what every kiosk shows, full screen, for one event."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass


@dataclass(frozen=True)
class Celebration:
    """What every kiosk shows for one event; the agent's name is already their screen name (alias or name)."""

    title: str
    kind: str
    agent_id: str
    name: str
    is_alias: bool
    team: str | None
    amount: float | None
    unit: str
    occurred_at: str

    def encode(self) -> str:
        return json.dumps(asdict(self), separators=(",", ":"))

    @classmethod
    def decode(cls, text: str) -> Celebration:
        return cls(**json.loads(text))
