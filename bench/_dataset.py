"""A realistic floor to look at: 30 agents in three teams, 90 days of work, written through ingest_events.

Support solves tickets, Phones handles calls and Sales wins deals, in office hours with a weekly rhythm;
customers leave CSAT ratings and NPS answers. Reproducible from a seed.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass
from datetime import datetime, time, timedelta, timezone
from typing import Iterator

from kpi.config import Config
from kpi.ingest.pipeline import IngestResult, ingest_events
from kpi.model.events import Event
from kpi.store.base import Store

SOURCE = "dataset"
NAMES = [
    "Amara Okafor",
    "Bjørn Halvorsen",
    "Chloé Martin",
    "Dev Patel",
    "Emma Lindqvist",
    "Farah Haddad",
    "Gustav Berg",
    "Hana Kobayashi",
    "Ivan Petrov",
    "Jonas Weber",
    "Kari Nordmann",
    "Liam O'Brien",
    "Maja Kowalska",
    "Nils Johansson",
    "Olivia Rossi",
    "Pedro Alves",
    "Quinn Murphy",
    "Rita Costa",
    "Sofie Dahl",
    "Tariq Hassan",
    "Ulla Virtanen",
    "Viktor Novak",
    "Wei Zhang",
    "Xenia Ivanova",
    "Yusuf Demir",
    "Zara Ahmed",
    "Aksel Moe",
    "Beatriz Santos",
    "Camille Dubois",
    "Dag Solberg",
]
TEAMS = {"Support": ("ticket_solved", 3.4), "Phones": ("call_handled", 4.6), "Sales": ("deal_won", 0.24)}
_HOURS = {8: 0.6, 9: 1.1, 10: 1.3, 11: 1.2, 12: 0.6, 13: 1.0, 14: 1.2, 15: 1.1, 16: 0.9, 17: 0.5}
_WEEKDAYS = (1.15, 1.05, 1.0, 1.0, 0.85, 0.1, 0.05)


@dataclass(frozen=True)
class Person:
    """An agent and their tendencies."""

    id: str
    name: str
    team: str
    pace: float
    quality: float


def people(seed: int = 11) -> list[Person]:
    """Thirty agents, ten per team, with a spread of pace and quality."""
    rng = random.Random(seed)
    teams = list(TEAMS)
    return [
        Person(f"agent-{i + 1:02d}", name, teams[i % 3], rng.uniform(0.55, 1.5), rng.uniform(-0.6, 0.6))
        for i, name in enumerate(NAMES)
    ]


def events(now: datetime, zone, days: int = 90, seed: int = 11) -> Iterator[Event]:  # noqa: ANN001 - a tzinfo
    """Every event of the last `days` days up to `now`, oldest first."""
    rng = random.Random(seed)
    floor = people(seed)
    serial = 0
    today = now.astimezone(zone).date()
    for offset in range(days, -1, -1):
        day = today - timedelta(days=offset)
        for hour, weight in _HOURS.items():
            start = datetime.combine(day, time(hour), zone)
            if start > now:
                return
            span = min(3600.0, (now - start).total_seconds())
            for person in floor:
                kind, per_hour = TEAMS[person.team]
                mean = per_hour * person.pace * weight * _WEEKDAYS[day.weekday()] * span / 3600
                for _ in range(_poisson(rng, mean)):
                    serial += 1
                    at = (start + timedelta(seconds=rng.uniform(0, span))).astimezone(timezone.utc)
                    yield from _work(rng, person, kind, at, serial)


def _work(rng: random.Random, person: Person, kind: str, at: datetime, serial: int) -> Iterator[Event]:
    common = {"source": SOURCE, "agent_id": person.id, "agent_name": person.name, "team": person.team}
    if kind == "deal_won":
        amount = round(rng.lognormvariate(8.3 + 0.3 * person.quality, 0.7), -1)
        yield Event(id=f"deal-{serial}", type=kind, value=amount, occurred_at=at, **common)
    elif kind == "call_handled":
        seconds = max(45.0, rng.gauss(300 - 70 * person.quality, 80))
        yield Event(id=f"call-{serial}", type=kind, value=round(seconds), occurred_at=at, **common)
    else:
        yield Event(id=f"ticket-{serial}", type=kind, occurred_at=at, **common)
    if rng.random() < 0.3:
        score = min(5, max(1, round(rng.gauss(4.3 + 0.6 * person.quality, 0.8))))
        yield Event(
            id=f"csat-{serial}",
            type="csat_rating",
            value=score,
            occurred_at=at + timedelta(minutes=rng.randint(5, 60)),
            **common,
        )
    if rng.random() < 0.12:
        score = min(10, max(0, round(rng.gauss(8.1 + 1.5 * person.quality, 1.9))))
        yield Event(
            id=f"nps-{serial}",
            type="nps_response",
            value=score,
            occurred_at=at + timedelta(minutes=rng.randint(30, 120)),
            **common,
        )


def _poisson(rng: random.Random, mean: float) -> int:
    limit, count, product = math.exp(-mean), 0, rng.random()
    while product > limit:
        count += 1
        product *= rng.random()
    return count


def load(store: Store, config: Config, now: datetime, days: int = 90, batch: int = 2000) -> IngestResult:
    """Write the dataset into `store` through the normal write path (events up to `now` only)."""
    total = IngestResult(received=0)
    pending: list[Event] = []
    for event in events(now, config.zone, days):
        if event.occurred_at <= now:
            pending.append(event)
        if len(pending) >= batch:
            total += ingest_events(store, config, pending, now=now)
            pending = []
    if pending:
        total += ingest_events(store, config, pending, now=now)
    return total
