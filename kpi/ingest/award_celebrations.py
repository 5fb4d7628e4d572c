"""Which newly stored awards (badges, level-ups) deserve a celebration on the kiosks, and how it reads."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime

from kpi.config.agents import AgentsDisplay
from kpi.model.agents import Agent, AgentChoices
from kpi.model.awards import Award
from kpi.model.celebration import Celebration
from kpi.read.display_names import quiet_agents


def celebrated(
    awards: Sequence[Award], agents: AgentsDisplay, choices: Mapping[str, AgentChoices] | None = None
) -> list[Award]:
    """The awards a kiosk may celebrate.

    Only live awards of a badge (or level) that says ``celebrate: true``, never a test badge, never one found
    over history, never for an agent hidden from screens or who turned badge celebrations off.
    """
    quiet = quiet_agents(agents, choices)
    return [
        a
        for a in awards
        if a.celebrate and not a.retroactive and not a.test and not (a.scope == "agent" and a.member in quiet)
    ]


def award_celebrations(
    awards: Sequence[Award],
    agents: AgentsDisplay,
    choices: Mapping[str, AgentChoices] | None,
    known: Mapping[str, Agent],
    now: datetime,
) -> list[Celebration]:
    """The celebrations of `awards`: a level-up reads "Level up: <level>", a badge its name.

    Args:
        known: the awarded agents as the store knows them (their latest name and team).
    """
    found = []
    for award in celebrated(awards, agents, choices):
        is_agent = award.scope == "agent"
        agent = known.get(award.member) if is_agent else None
        display = agents.get(award.member) if is_agent else None
        alias = display.alias if display else None
        level = award.badge.startswith("level-")
        found.append(
            Celebration(
                title=f"Level up: {award.name}" if level else award.name,
                kind="level" if level else "badge",
                agent_id=award.member if is_agent else "",
                name=alias or (agent.name if agent and agent.name else award.member),
                is_alias=alias is not None,
                team=agent.team if agent else (None if is_agent else award.member),
                amount=None,
                unit="",
                occurred_at=now.isoformat(),
            )
        )
    return found
