"""An agent as the figures know them."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Agent:
    """What is known of an agent: the latest name and team seen in any event."""

    id: str
    name: str
    team: str | None
    seen: str = ""
