"""A simulated floor for the demo: three teams, thirty agents, realistic daily and weekly rhythm.

It produces canonical events like any other source, including the occasional correction and retraction,
so that the demo exercises the same upsert path as real data. Tickets carry what the points rules read
(priority, complexity, channel, created_at, first-contact resolution, now and then a reopen or an SLA
breach, more often for agents of lower quality); ratings of tickets name their ticket.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone, tzinfo
from typing import Iterator

from kpi.model.events import Event

SOURCE = "demo"

FIRST_NAMES = [
    "Ada",
    "Bjørn",
    "Chloé",
    "Dev",
    "Emma",
    "Farah",
    "Gustav",
    "Hana",
    "Ivan",
    "Jonas",
    "Kari",
    "Liam",
    "Maja",
    "Nils",
    "Olivia",
    "Pedro",
    "Quinn",
    "Rita",
    "Sofie",
    "Tariq",
    "Ulla",
    "Viktor",
    "Wei",
    "Xenia",
    "Yusuf",
    "Zara",
    "Aksel",
    "Beatriz",
    "Camille",
    "Dag",
]
LAST_INITIALS = "ABDEFGHKLMNOPRSTV"


@dataclass(frozen=True)
class SimAgent:
    """A simulated agent: who they are and how productive and how good they tend to be."""

    id: str
    name: str
    team: str
    pace: float
    quality: float


@dataclass(frozen=True)
class TeamProfile:
    """What a team does all day, per agent and per working hour."""

    name: str
    work: str
    per_hour: float


TEAMS = (
    TeamProfile("Support", "ticket_solved", 3.2),
    TeamProfile("Phones", "call_handled", 4.5),
    TeamProfile("Sales", "deal_won", 0.22),
)


def _hour_weight(hour: int) -> float:
    """Office hours 8–18 with a morning peak, a lunch dip and an afternoon tail."""
    if hour < 8 or hour >= 18:
        return 0.0
    weights = {8: 0.6, 9: 1.1, 10: 1.3, 11: 1.2, 12: 0.6, 13: 1.0, 14: 1.2, 15: 1.1, 16: 0.9, 17: 0.5}
    return weights[hour]


def _day_weight(day: date) -> float:
    """Busy Mondays, quiet Fridays, a skeleton crew at weekends."""
    return (1.15, 1.05, 1.0, 1.0, 0.85, 0.12, 0.06)[day.weekday()]


class SimulatedFloor:
    """Generates a floor's history and then live events, reproducibly from a seed."""

    def __init__(self, zone: tzinfo, seed: int = 7) -> None:
        self.zone = zone
        self.rng = random.Random(seed)
        self.agents = self._hire()
        self._serial = 0
        self._recent: list[Event] = []

    def _hire(self) -> list[SimAgent]:
        agents = []
        names = FIRST_NAMES[:]
        self.rng.shuffle(names)
        for index, first in enumerate(names):
            team = TEAMS[index % len(TEAMS)].name
            name = f"{first} {self.rng.choice(LAST_INITIALS)}."
            agents.append(
                SimAgent(
                    f"agent-{index + 1:02d}",
                    name,
                    team,
                    pace=self.rng.uniform(0.6, 1.45),
                    quality=self.rng.uniform(-0.6, 0.6),
                )
            )
        return agents

    def _next_id(self, kind: str) -> str:
        self._serial += 1
        return f"{kind}-{self._serial:07d}"

    def history(self, days: int, now: datetime) -> Iterator[Event]:
        """Every event of the last `days` days up to `now`, oldest first."""
        today = now.astimezone(self.zone).date()
        for offset in range(days, -1, -1):
            day = today - timedelta(days=offset)
            for hour in range(24):
                start = datetime.combine(day, time(hour), self.zone)
                if start > now:
                    return
                yield from self._hour(start, min(1.0, (now - start).total_seconds() / 3600))

    def live(self, now: datetime, seconds: float) -> list[Event]:
        """What happened in the last `seconds` up to `now` (busier than real life, so the demo moves)."""
        start = now - timedelta(seconds=seconds)
        events = list(
            self._hour(start, seconds / 3600 * 40, spread=timedelta(seconds=seconds), always_open=True)
        )
        events.extend(self._corrections(now))
        return events

    def _hour(
        self,
        start: datetime,
        fraction: float,
        *,
        spread: timedelta = timedelta(hours=1),
        always_open: bool = False,
    ) -> Iterator[Event]:
        local = start.astimezone(self.zone)
        weight = _day_weight(local.date()) * _hour_weight(local.hour)
        if always_open:
            weight = max(weight, 0.8)
        if weight <= 0:
            return
        for agent in self.agents:
            profile = next(t for t in TEAMS if t.name == agent.team)
            expected = profile.per_hour * agent.pace * weight * fraction
            for _ in range(self._poisson(expected)):
                at = start + spread * self.rng.random()
                yield from self._work(agent, profile, at.astimezone(timezone.utc))

    def _poisson(self, mean: float) -> int:
        limit, count, product = math.exp(-mean), 0, self.rng.random()
        while product > limit:
            count += 1
            product *= self.rng.random()
        return count

    def _work(self, agent: SimAgent, profile: TeamProfile, at: datetime) -> Iterator[Event]:
        common = {"source": SOURCE, "agent_id": agent.id, "agent_name": agent.name, "team": agent.team}
        if profile.work == "deal_won":
            amount = round(self.rng.lognormvariate(8.3, 0.7), -1)
            event = Event(
                id=self._next_id("deal"),
                type="deal_won",
                value=amount,
                occurred_at=at,
                attributes={"product": self.rng.choice(["Starter", "Team", "Enterprise"])},
                **common,
            )
            self._remember(event)
            yield event
            return
        if profile.work == "call_handled":
            duration = max(45.0, self.rng.gauss(300 - 60 * agent.quality, 80))
            yield Event(
                id=self._next_id("call"),
                type="call_handled",
                value=round(duration),
                occurred_at=at,
                attributes={
                    "wait_seconds": round(self.rng.expovariate(1 / 40)),
                    "first_contact_resolution": self.rng.random() < 0.55 + 0.3 * agent.quality,
                },
                **common,
            )
            ticket_id = None
        else:
            ticket = Event(
                id=self._next_id("ticket"),
                type="ticket_solved",
                occurred_at=at,
                attributes=self._ticket_attributes(agent, at),
                **common,
            )
            self._remember(ticket)
            ticket_id = ticket.id
            yield ticket
        if self.rng.random() < 0.3:
            yield self._rating(agent, at + timedelta(minutes=self.rng.randint(5, 90)), common, ticket_id)
        if self.rng.random() < 0.08:
            yield self._nps(agent, at + timedelta(minutes=self.rng.randint(30, 240)), common)

    def _ticket_attributes(self, agent: SimAgent, at: datetime) -> dict[str, object]:
        """A ticket's priority, complexity, channel and age, and how well it went (by the agent's quality)."""
        age = timedelta(days=min(60.0, self.rng.expovariate(1 / 3)))
        return {
            "priority": self.rng.choices(["urgent", "high", "normal", "low"], weights=[5, 20, 55, 20])[0],
            "complexity": self.rng.choices(["low", "medium", "high"], weights=[50, 35, 15])[0],
            "channel": self.rng.choices(["email", "chat", "phone"], weights=[50, 35, 15])[0],
            "created_at": (at - age).isoformat(),
            "first_contact_resolution": self.rng.random() < 0.35 + 0.25 * agent.quality,
            "reopened": self.rng.random() < 0.05 - 0.06 * agent.quality,
            "sla_breached": self.rng.random() < 0.04 - 0.05 * agent.quality,
        }

    def _rating(self, agent: SimAgent, at: datetime, common: dict[str, str], ticket_id: str | None) -> Event:
        score = min(5, max(1, round(self.rng.gauss(4.3 + 0.5 * agent.quality, 0.8))))
        attributes = {"ticket_id": ticket_id} if ticket_id else {}
        return Event(
            id=self._next_id("csat"),
            type="csat_rating",
            value=score,
            occurred_at=at,
            attributes=attributes,
            **common,
        )

    def _nps(self, agent: SimAgent, at: datetime, common: dict[str, str]) -> Event:
        score = min(10, max(0, round(self.rng.gauss(8.2 + 1.2 * agent.quality, 1.8))))
        return Event(id=self._next_id("nps"), type="nps_response", value=score, occurred_at=at, **common)

    def _remember(self, event: Event) -> None:
        self._recent = (self._recent + [event])[-50:]

    def _corrections(self, now: datetime) -> list[Event]:
        """Now and then a deal amount is corrected, or a ticket reopened: solved again, or withdrawn."""
        if not self._recent or self.rng.random() > 0.15:
            return []
        original = self.rng.choice(self._recent)
        self._recent.remove(original)
        if original.type == "deal_won":
            fixed = round(original.value * self.rng.uniform(0.8, 1.2), -1)
            return [original.model_copy(update={"value": fixed, "updated_at": now})]
        if self.rng.random() < 0.5:
            reopened = {**original.attributes, "reopened": True, "first_contact_resolution": False}
            return [original.model_copy(update={"attributes": reopened, "updated_at": now})]
        return [original.model_copy(update={"deleted": True, "updated_at": now})]
