"""What a podium place wears: the initials or photo in a circle of the team's colour."""

from __future__ import annotations

import zlib
from dataclasses import dataclass

from kpi.config.agents import AgentsDisplay, TeamsDisplay

PALETTE = ("#3b82f6", "#10b981", "#f59e0b", "#ef4444", "#8b5cf6", "#ec4899", "#14b8a6", "#f97316")
"""Colours for teams the config gives none, chosen by a stable hash of the team's name."""
NO_TEAM = "#64748b"


@dataclass(frozen=True)
class Avatar:
    """A circle with `letters` (or `photo_url`) on `colour`."""

    letters: str
    colour: str
    photo_url: str | None = None


def team_colour(team: str | None, teams: TeamsDisplay) -> str:
    """The team's configured colour, else one of `PALETTE` by its name (the same on every screen)."""
    if not team:
        return NO_TEAM
    spec = teams.get(team)
    if spec is not None:
        return spec.colour
    return PALETTE[zlib.crc32(team.encode()) % len(PALETTE)]


def letters_of(name: str) -> str:
    """Up to two letters for a circle: ``"Ada Lovelace"`` → ``"AL"``, ``"李娜"`` → ``"李"``."""
    words = [word for word in name.replace(".", " ").split() if word]
    if not words:
        return "?"
    if len(words) == 1:
        return words[0][0].upper()
    return (words[0][0] + words[-1][0]).upper()


def avatar(
    member: str, shown_name: str, team: str | None, agents: AgentsDisplay, teams: TeamsDisplay
) -> Avatar:
    """The avatar of an agent (`member` is its id) or of a team, from the name the screen shows."""
    spec = agents.get(member)
    return Avatar(letters_of(shown_name), team_colour(team, teams), spec.photo_url if spec else None)
