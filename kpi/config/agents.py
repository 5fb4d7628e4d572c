"""How agents appear on screens: aliases, initials, and agents hidden from every screen."""

from __future__ import annotations

from pydantic import Field

from kpi.config.base import Strict


class AgentDisplay(Strict):
    """One agent's screen settings, keyed by agent id under ``agents:`` in the config."""

    alias: str | None = Field(default=None, min_length=1, max_length=40)
    """Shown on screens instead of the agent's name (as Hoopla does)."""
    hide_from_screens: bool = False
    """Never shown or celebrated on a screen; still counted in team totals."""
    photo_url: str | None = Field(default=None, pattern=r"^(https?://|/assets/)\S+$", max_length=500)
    """A picture for the podium's avatar (else the initials in a circle of the team's colour)."""


class TeamDisplay(Strict):
    """One team's look on screens, keyed by team name under ``teams:`` in the config."""

    colour: str = Field(pattern=r"^#[0-9a-fA-F]{6}$")
    """The avatar circle's colour of the team's agents, as ``#rrggbb``."""


AgentsDisplay = dict[str, AgentDisplay]
TeamsDisplay = dict[str, TeamDisplay]
