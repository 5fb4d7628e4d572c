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


AgentsDisplay = dict[str, AgentDisplay]
