"""The name a screen may show for an agent: alias, name or initials, and who is hidden from every screen."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

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


def first_initial(name: str, letters: int = 1) -> str:
    """``"Maximiliane Alexandra Hohenberg-Schönfeld"`` → ``"Maximiliane H."`` (``"Maximiliane Hoh."`` with
    3 `letters`, the whole last name when that is all of it); one word stays whole."""
    parts = name.split()
    if len(parts) < 2:
        return name.strip() or "?"
    last = parts[-1][0].upper() + parts[-1][1:]
    return f"{parts[0]} {last}" if letters >= len(last) else f"{parts[0]} {last[:letters]}."


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


def screen_names(people: Sequence[tuple[str, str]], agents: AgentsDisplay, style: str = "full") -> list[str]:
    """`screen_name` of each (agent id, name) shown together on one view, where two people whose
    ``first_initial`` names would read the same (two "Anna K.") are told apart by as many letters of their
    last names as it takes ("Anna Kam." and "Anna Kow."), or by their full names. Aliases and people of
    one and the same name stay as they are."""
    shown = [screen_name(agent_id, name, agents, style) for agent_id, name in people]
    if style != "first_initial":
        return shown
    same: dict[str, list[int]] = {}
    for index, (agent_id, _) in enumerate(people):
        spec = agents.get(agent_id)
        if spec is None or not spec.alias:
            same.setdefault(shown[index], []).append(index)
    for places in same.values():
        names = [people[index][1] for index in places]
        if len(set(names)) > 1:
            for index, text in zip(places, _told_apart(names)):
                shown[index] = text
    return shown


def _told_apart(names: Sequence[str]) -> list[str]:
    """`names` (whose ``first_initial`` forms are the same) with the fewest last-name letters that tell
    the different names apart, else in full."""
    count = len(set(names))
    for letters in range(2, max(len(name) for name in names) + 1):
        texts = [first_initial(name, letters) for name in names]
        if len(set(texts)) == count:
            return texts
    return list(names)
