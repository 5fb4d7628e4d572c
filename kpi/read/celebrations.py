"""Which celebration a screen shows, and with which name."""

from __future__ import annotations

from dataclasses import replace
from typing import Mapping, Sequence

from kpi.config.agents import AgentsDisplay
from kpi.model.agents import AgentChoices
from kpi.model.celebration import Celebration
from kpi.read.display_names import hidden_agents, initials


def for_screen(
    items: Sequence[Celebration],
    agents: AgentsDisplay,
    anonymize: str,
    choices: Mapping[str, AgentChoices] | None = None,
) -> Celebration | None:
    """The newest of `items` that a screen may show now, with the name as that screen shows it.

    Agents hidden since the celebration was published (by the config or their own `choices`) are left
    out; a screen that anonymizes shows the initials of real names (aliases stay as they are).
    """
    hidden = hidden_agents(agents, choices)
    visible = [item for item in items if item.agent_id not in hidden]
    if not visible:
        return None
    chosen = visible[-1]
    if anonymize == "initials" and not chosen.is_alias:
        return replace(chosen, name=initials(chosen.name))
    return chosen
