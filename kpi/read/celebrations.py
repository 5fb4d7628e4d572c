"""Which celebration a screen shows, and with which name."""

from __future__ import annotations

from dataclasses import replace
from typing import Mapping, Sequence

from kpi.config.agents import AgentsDisplay
from kpi.model.agents import AgentChoices
from kpi.model.celebration import Celebration
from kpi.read.display_names import hidden_agents, styled


def for_screen(
    items: Sequence[Celebration],
    agents: AgentsDisplay,
    style: str,
    choices: Mapping[str, AgentChoices] | None = None,
) -> Celebration | None:
    """The newest of `items` that a screen may show now, with the name as that screen shows it.

    Agents hidden since the celebration was published (by the config or their own `choices`) are left
    out; a real name reads in the screen's `style` (see `kpi.read.display_names.styled`); aliases stay.
    """
    hidden = hidden_agents(agents, choices)
    visible = [item for item in items if item.agent_id not in hidden]
    if not visible:
        return None
    chosen = visible[-1]
    if chosen.is_alias:
        return chosen
    return replace(chosen, name=styled(chosen.name, style))
