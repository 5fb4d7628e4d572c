"""Building blocks for the game tests: a small config, events on given days, and ingest + evaluate."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone
from itertools import count
from typing import Any

from kpi.config import Config, parse_config
from kpi.ingest.achievements import evaluate_achievements
from kpi.ingest.pipeline import ingest_events
from kpi.model.awards import Award
from kpi.model.events import Event
from kpi.store.base import Store

MONDAY = date(2026, 11, 2)
"""A Monday (ISO week 2026-W45); the tests' office is in UTC, open Monday to Friday."""
METRICS: dict[str, Any] = {
    "tickets_solved": {"type": "ticket_solved", "aggregation": "count"},
    "csat": {"type": "csat_rating", "aggregation": "mean", "decimals": 2, "min_volume": 2},
    "revenue": {"type": "deal_won", "aggregation": "sum"},
    "by_email": {"type": "ticket_solved", "aggregation": "count", "where": {"channel": "email"}},
    "by_chat": {"type": "ticket_solved", "aggregation": "count", "where": {"channel": "chat"}},
    "score": {"type": "points_earned", "aggregation": "sum"},
}
BADGE = {"criterion": "Test it.", "icon": "support-master.svg", "group": "mastery"}
_ids = count()


def make_config(achievements: dict[str, dict[str, Any]], **extra: Any) -> Config:
    """A UTC config with the test metrics and these badges (each filled with a criterion, icon, group)."""
    badges = {
        key: {"name": key.replace("_", " ").title(), **BADGE, **spec} for key, spec in achievements.items()
    }
    data = {"timezone": "UTC", "metrics": METRICS, "achievements": badges, "goals": {}, **extra}
    data.setdefault(
        "levels", {"metric": "score", "steps": [{"name": "Rookie", "at": 0}, {"name": "Pro", "at": 100}]}
    )
    return parse_config(data, "test config")


def at(day: date, hour: int = 10) -> datetime:
    return datetime.combine(day, time(hour), timezone.utc)


def event(
    kind: str,
    agent: str,
    day: date,
    *,
    value: float = 1.0,
    team: str = "Support",
    hour: int = 10,
    **attributes: Any,
) -> Event:
    return Event(
        source="test",
        id=f"e{next(_ids)}",
        type=kind,
        agent_id=agent,
        agent_name=agent.title(),
        team=team,
        value=value,
        occurred_at=at(day, hour),
        attributes=attributes,
    )


def tickets(agent: str, day: date, n: int = 1, **attributes: Any) -> list[Event]:
    return [event("ticket_solved", agent, day, **attributes) for _ in range(n)]


def working_days(first: date, n: int) -> list[date]:
    days, day = [], first
    while len(days) < n:
        if day.weekday() < 5:
            days.append(day)
        day += timedelta(days=1)
    return days


def ingest_and_evaluate(
    store: Store, config: Config, events: list[Event], now: datetime, *, sweep: bool = False
) -> list[Award]:
    """Ingest a batch, then evaluate its agents (or everyone with `sweep`), as a live system would."""
    ingest_events(store, config, events, now=now)
    agents = None if sweep else sorted({e.agent_id for e in events})
    return evaluate_achievements(store, config, now, agents)


def grounds(awards: list[Award]) -> set[tuple]:
    return {a.grounds for a in awards}
