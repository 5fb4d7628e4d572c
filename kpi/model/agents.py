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


@dataclass(frozen=True)
class AgentChoices:
    """What an agent chose on their own page about how screens treat them.

    Hidden agents still count in team figures; they are never named on a screen nor celebrated.
    """

    hide_from_screens: bool = False
    celebrate_badges: bool = True
    """False: their badges and level-ups are never celebrated on a TV with their name."""
