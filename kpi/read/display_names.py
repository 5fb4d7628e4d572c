"""The name a screen may show for an agent: alias, name or initials, and who is hidden from every screen."""

from __future__ import annotations

from collections.abc import Mapping

from kpi.config.agents import AgentsDisplay
from kpi.model.agents import AgentChoices


def hidden_agents(agents: AgentsDisplay, choices: Mapping[str, AgentChoices] | None = None) -> frozenset[str]:
    """Ids of the agents that no screen may show: hidden by the config, or by their own choice on `/me`."""
    by_config = {agent_id for agent_id, spec in agents.items() if spec.hide_from_screens}
    by_choice = {agent_id for agent_id, chosen in (choices or {}).items() if chosen.hide_from_screens}
    return frozenset(by_config | by_choice)


def quiet_agents(agents: AgentsDisplay, choices: Mapping[str, AgentChoices] | None = None) -> frozenset[str]:
    """Agents whose badges and level-ups no screen may celebrate: the hidden, and who opted out."""
    opted_out = {agent_id for agent_id, chosen in (choices or {}).items() if not chosen.celebrate_badges}
    return hidden_agents(agents, choices) | opted_out


def initials(name: str) -> str:
    """``"Ada Lovelace"`` → ``"A. L."``; a one-word name keeps its first letter only."""
    parts = [part for part in name.replace(".", " ").split() if part]
    return " ".join(f"{part[0].upper()}." for part in parts) or "?"


def first_initial(name: str) -> str:
    """``"Maximiliane Alexandra Hohenberg-Schönfeld"`` → ``"Maximiliane H."``; one word stays whole."""
    parts = name.split()
    if len(parts) < 2:
        return name.strip() or "?"
    return f"{parts[0]} {parts[-1][0].upper()}."


def styled(name: str, style: str) -> str:
    """A real name in a screen's style: ``full`` (or ``none``), ``first_initial``, ``initials``, ``alias``.

    ``alias`` screens show aliases only, so a real name there reads as initials.
    """
    if style == "first_initial":
        return first_initial(name)
    if style in ("initials", "alias"):
        return initials(name)
    return name


def screen_name(agent_id: str, name: str, agents: AgentsDisplay, style: str = "full") -> str:
    """The name to show for an agent: the alias if one is set, else the name in the screen's `style`.

    Args:
        agent_id: the agent's id, the key of ``agents:`` in the config.
        name: the agent's latest known name.
        agents: the ``agents:`` section of the config.
        style: the screen's `Screen.name_style` (see `styled`); aliases are shown as they are.
    """
    spec = agents.get(agent_id)
    if spec is not None and spec.alias:
        return spec.alias
    return styled(name, style)
