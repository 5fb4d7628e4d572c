"""Helpers for the game's tests: a config with explicit points rules, events, reading points back.

Imported by name (``from points_helpers import …``): pytest puts tests/game on sys.path.
"""

from __future__ import annotations

from typing import Any

from kpi.config import Config, parse_config
from kpi.model.events import Event
from kpi.store.base import Store

DAY = "2026-11-24"
WHEN = "2026-11-24T10:00:00+01:00"

RULES: dict[str, Any] = {
    "ticket_solved": {
        "base": 10,
        "multipliers": {
            "priority": {"urgent": 3, "high": 2, "normal": 1, "low": 0.5},
            "channel": {"phone": 1.5},
            "complexity": {"high": 2},
        },
        "bonuses": [
            {"name": "fcr", "when": {"attribute": "first_contact_resolution", "equals": True}, "points": 5},
            {"name": "backlog", "when": {"attribute": "created_at", "older_than_days": 14}, "points": 10},
        ],
        "penalties": [
            {"name": "reopened", "when": {"attribute": "reopened", "equals": True}, "take_back": True},
            {"name": "sla", "when": {"attribute": "sla_breached", "equals": True}, "points": 4},
        ],
    },
    "csat_rating": {
        "link": {"attribute": "ticket_id"},
        "bonuses": [{"name": "csat_5", "when": {"at_least": 5}, "points": 15}],
    },
    "deal_won": {"base": 20, "bands": [{"from": 0, "factor": 1}, {"from": 10000, "factor": 1.5}]},
}


def make_config(points: dict[str, Any] | None = None, **extra: Any) -> Config:
    """The test metrics with `points` as the points section (the rules above when None)."""
    data: dict[str, Any] = {
        "timezone": "Europe/Oslo",
        "metrics": {
            "tickets_solved": {"type": "ticket_solved", "aggregation": "count"},
            "csat": {"type": "csat_rating", "aggregation": "mean"},
            "revenue": {"type": "deal_won", "aggregation": "sum"},
        },
        "points": {"rules": RULES} if points is None else points,
        **extra,
    }
    return parse_config(data, "test config")


def ev(record_id: str, kind: str = "ticket_solved", **fields: Any) -> Event:
    """An event of source ``zd`` by agent ``ann`` of team ``North`` unless `fields` say otherwise."""
    base: dict[str, Any] = {
        "source": "zd",
        "id": record_id,
        "type": kind,
        "agent_id": "ann",
        "team": "North",
        "occurred_at": WHEN,
    }
    return Event.model_validate({**base, **fields})


def rating(record_id: str, ticket: str, score: float, **fields: Any) -> Event:
    return ev(record_id, "csat_rating", value=score, attributes={"ticket_id": ticket}, **fields)


def points(store: Store, member: str = "ann", bucket: str = DAY, scope: str = "agent") -> float:
    """The member's points in a bucket (0 when they have none)."""
    found = store.figures("points", bucket, scope, [member])  # type: ignore[arg-type]
    return found[member].value("sum") or 0.0 if member in found else 0.0
