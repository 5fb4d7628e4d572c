"""Which team an event without one credits, in the in-process store: the agent's latest known team."""

from __future__ import annotations

from dataclasses import replace

from kpi.model.agents import Agent
from kpi.model.events import Event
from kpi.store.base import seen_version


class TeamResolver:
    """Finds the team to credit for events that carry none: the agent's latest known team.

    The in-process twin of what upsert.lua does with the agents hash.
    """

    def __init__(self, known: dict[str, Agent]) -> None:
        self._known = dict(known)

    def known(self) -> dict[str, Agent]:
        """A copy of every agent seen so far; an agent never named is named by their id."""
        return {i: agent if agent.name else replace(agent, name=i) for i, agent in self._known.items()}

    def team_for(self, event: Event) -> str | None:
        if event.team:
            return event.team
        agent = self._known.get(event.agent_id)
        return agent.team if agent else None

    def observe(self, event: Event) -> bool:
        """Remember the event's name and team if it is the agent's latest; True when either changed."""
        if event.deleted or (event.agent_name is None and event.team is None):
            return False
        before = self._known.get(event.agent_id)
        self._learn(event)
        after = self._known[event.agent_id]
        return before is None or (before.name, before.team) != (after.name, after.team)

    def _learn(self, event: Event) -> None:
        seen = seen_version(event)
        old = self._known.get(event.agent_id)
        if old is None or old.seen <= seen:
            self._known[event.agent_id] = Agent(
                event.agent_id,
                event.agent_name or (old.name if old else ""),
                event.team or (old.team if old else None),
                seen,
            )
        else:
            # An older event only fills in what the latest lacks (as upsert.lua does).
            self._known[event.agent_id] = Agent(
                old.id, old.name or event.agent_name or "", old.team or event.team, old.seen
            )
