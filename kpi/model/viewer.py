"""A signed-in user and what they may see (admins every team, leads their own teams, agents only themself)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

from kpi.model.agents import Agent

Role = Literal["admin", "lead", "agent"]


@dataclass(frozen=True)
class Viewer:
    """A signed-in user and the rules of what they may see."""

    username: str
    role: Role
    teams: frozenset[str]
    name: str = ""
    agent_id: str | None = None
    """For an agent: the agent id in the figures whose own page `/me` they see."""

    @property
    def is_manager(self) -> bool:
        """An admin or a lead: may open ``/manage``."""
        return self.role in ("admin", "lead")

    @property
    def sees_all(self) -> bool:
        return self.role == "admin"

    @property
    def display_name(self) -> str:
        return self.name or self.username

    def can_see_team(self, team: str | None) -> bool:
        """True for an admin, or a lead's own team."""
        return self.sees_all or (team is not None and team in self.teams)

    def can_see_agent(self, agent: Agent | None) -> bool:
        """True when the agent is known and belongs to a team this viewer may see."""
        return agent is not None and (self.sees_all or agent.team in self.teams)

    def visible_teams(self, known: Iterable[str]) -> list[str]:
        """The known teams this viewer may see, sorted (a lead's own teams even before their first event)."""
        if self.sees_all:
            return sorted(set(known))
        return sorted(self.teams)
