"""The load bench's data: a seeded floor, and the live events pushed during the run.

Every other pushed event is *marked*: a solved ticket of the marker agent, who is seeded ahead of the
floor on the week's ticket board, so each marked push raises the figure TVs show next to the marker's
alias by one. Figures from 1,000 on are shown rounded (``1.2k``), so the marker's count wraps: every
`MARKER_CYCLE` marked pushes, one push also retracts the cycle's tickets (``deleted: true``), and the figure
starts again just above its head start. `reflected` turns a figure a TV shows back into the newest marked
push it carries. The other pushes are the simulated floor's own work (tickets, calls, deals, ratings).
"""

from __future__ import annotations

import itertools
import json
import random
from datetime import datetime, timezone
from typing import Iterator

from bench import _dataset
from bench._serve import MARKER_ID
from kpi.config import Config
from kpi.ingest.pipeline import ingest_events
from kpi.model.events import Event
from kpi.store.base import Store

MARKER_HEAD_START = 300
"""Tickets the marker solved this week before the run: more than anyone on the simulated floor."""
MARKER_CYCLE = 400
"""Marked pushes before the figure starts again (it stays below 1,000, where TVs round)."""


def seed(store: Store, config: Config, now: datetime, days: int) -> int:
    """Write `days` of the simulated floor and the marker's head start; return how many events."""
    written = _dataset.load(store, config, now, days=days).received
    marker = [_marker_ticket(f"seed-{n}", now) for n in range(MARKER_HEAD_START)]
    ingest_events(store, config, marker, now=now)
    return written + len(marker)


def reflected(figure: int, newest_sent: int) -> int | None:
    """The newest marked push, among those sent so far, after which the marker shows `figure`."""
    offset = figure - MARKER_HEAD_START - 1
    if not 0 <= offset < MARKER_CYCLE or newest_sent < 0:
        return None
    index = newest_sent - (newest_sent - offset) % MARKER_CYCLE
    return index if index >= 0 else None


def live(seed_value: int = 7) -> Iterator[tuple[int | None, bytes]]:
    """Endless push bodies, alternating a marked push (with its index) and one of the floor's events."""
    rng = random.Random(seed_value)
    floor = _dataset.people(seed_value)
    for serial in itertools.count():
        now = datetime.now(timezone.utc)
        if serial % 2:
            event = _floor_event(rng, rng.choice(floor), serial, now)
            yield None, json.dumps(_as_json(event)).encode()
            continue
        index = serial // 2
        batch = [_marker_ticket(f"live-{index}", now)]
        if index and index % MARKER_CYCLE == 0:
            batch += [_retraction(n, now) for n in range(index - MARKER_CYCLE, index)]
        yield index, json.dumps([_as_json(e) for e in batch]).encode()


def _as_json(event: Event) -> dict[str, object]:
    return event.model_dump(mode="json", exclude_none=True, exclude_defaults=True)


def _marker_ticket(serial: str, at: datetime) -> Event:
    return Event(
        source="bench-load",
        id=f"marker-{serial}",
        type="ticket_solved",
        agent_id=MARKER_ID,
        agent_name="Bench Marker",
        team="Support",
        occurred_at=at,
    )


def _retraction(index: int, at: datetime) -> Event:
    return _marker_ticket(f"live-{index}", at).model_copy(update={"deleted": True, "updated_at": at})


def _floor_event(rng: random.Random, person: _dataset.Person, serial: int, at: datetime) -> Event:
    """One piece of the floor's work: the person's team's kind, now and then a rating instead."""
    kind, _ = _dataset.TEAMS[person.team]
    value = {"deal_won": round(rng.lognormvariate(8.3, 0.7), -1), "call_handled": 240.0}.get(kind, 1.0)
    if rng.random() < 0.25:
        kind, value = rng.choice((("csat_rating", float(rng.randint(3, 5))), ("nps_response", 9.0)))
    return Event(
        source="bench-load",
        id=f"floor-{serial}",
        type=kind,
        value=value,
        agent_id=person.id,
        agent_name=person.name,
        team=person.team,
        occurred_at=at,
    )
