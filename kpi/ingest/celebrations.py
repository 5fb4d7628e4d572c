"""Which newly ingested events deserve a full-screen moment on every kiosk."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Mapping, Sequence

from kpi.config.agents import AgentsDisplay
from kpi.config.celebrations import CelebrationSettings
from kpi.model.agents import AgentChoices
from kpi.model.celebration import Celebration
from kpi.model.contributions import Outcome
from kpi.model.events import Event
from kpi.model.metrics import Metric
from kpi.read.display_names import hidden_agents


def celebrations_for(
    events: Sequence[Event],
    outcomes: Sequence[Outcome],
    settings: CelebrationSettings,
    agents: AgentsDisplay,
    names: Mapping[str, str],
    now: datetime,
    metrics: Mapping[str, Metric] | None = None,
    choices: Mapping[str, AgentChoices] | None = None,
) -> list[Celebration]:
    """The celebrations earned by a batch that has just been upserted.

    Only records that are new (not duplicates, corrections or retractions), recent, matching a rule and
    of an agent who is not hidden from screens are celebrated; the first matching rule wins.

    Args:
        events: the batch, in the order it was upserted.
        outcomes: what the store did with each event.
        settings: the ``celebrations:`` section.
        agents: the ``agents:`` section (aliases, hidden agents).
        names: known agent names by id, for events that carry no name.
        now: the time of ingestion.
        metrics: the configured metrics, for the unit of an amount when the rule names none.
        choices: agents' own choices (who asked not to appear on screens).
    """
    if not settings.rules:
        return []
    hidden = hidden_agents(agents, choices)
    oldest = now - timedelta(minutes=settings.recent_minutes)
    found = []
    for event, outcome in zip(events, outcomes):
        if outcome is not Outcome.NEW or event.agent_id in hidden or event.occurred_at < oldest:
            continue
        rule = next((r for r in settings.rules if r.matches(event)), None)
        if rule is None:
            continue
        alias = agents[event.agent_id].alias if event.agent_id in agents else None
        name = alias or event.agent_name or names.get(event.agent_id) or event.agent_id
        found.append(
            Celebration(
                title=rule.heading,
                kind=event.type,
                agent_id=event.agent_id,
                name=name,
                is_alias=alias is not None,
                team=event.team,
                amount=event.value if rule.show_amount else None,
                unit=rule.unit or amount_unit(metrics, event.type),
                occurred_at=event.occurred_at.isoformat(),
            )
        )
    return found


def needs_names(
    events: Sequence[Event], outcomes: Sequence[Outcome], settings: CelebrationSettings
) -> list[str]:
    """Agents of celebrated-looking events that carry no name (to look up before `celebrations_for`)."""
    return sorted(
        {
            e.agent_id
            for e, o in zip(events, outcomes)
            if o is Outcome.NEW and not e.agent_name and any(r.matches(e) for r in settings.rules)
        }
    )


def amount_unit(metrics: Mapping[str, Metric] | None, kind: str) -> str:
    """The unit of the first sum metric fed by events of type `kind` (the currency of a deal), else ``""``."""
    sums = [m for m in (metrics or {}).values() if m.type == kind and m.aggregation == "sum"]
    return sums[0].unit if sums else ""
