"""Property: live awards (evaluated after each batch) equal one retroactive sweep over the final history.

Histories have several versions per record (another day, value or channel, or a retraction), exact
duplicates, shuffled arrival and random batch cuts. Two things stay fixed, on purpose:

- a record keeps its agent and an agent their team: a batch's evaluation covers the agents in it, so the
  agent a record was moved away from (and their old team) is reconciled by the periodic sweep, not live;
- the clock: awards that only the passing of time settles (a week closing) come with the next evaluation of
  the holder or the periodic sweep, so with a moving clock the two agree after that sweep.
"""

from __future__ import annotations

import itertools
import random
from datetime import date, datetime, time, timedelta, timezone

import redis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kpi.ingest.achievements import evaluate_achievements
from kpi.ingest.pipeline import ingest_events
from kpi.model.events import Event
from kpi.store import MemoryStore, RedisStore
from kpi.store.awards import awards_for
from tests.game.support import grounds, make_config

START = date(2026, 1, 5)  # a Monday
NOW = datetime(2026, 2, 9, 9, tzinfo=timezone.utc)
AGENTS = {"ann": "Support", "bob": "Support", "cy": "Phones"}
CONFIG = make_config(
    {
        "five": {"kind": "milestone", "metric": "tickets_solved", "target": 5},
        "busy_day": {"kind": "period_target", "metric": "tickets_solved", "target": 2, "period": "day"},
        "happy_week": {"kind": "period_target", "metric": "csat", "target": 3.5, "period": "week"},
        "champ": {"kind": "champion", "metric": "tickets_solved", "period": "week"},
        "csat_champ": {"kind": "champion", "metric": "csat", "period": "week"},
        "steady": {"kind": "streak", "metric": "tickets_solved", "days": 2},
        "stars": {"kind": "streak", "metric": "csat", "days": 2, "at_least": 4},
        "rounder": {
            "kind": "every_channel",
            "channels": {"email": "by_email", "chat": "by_chat"},
            "period": "week",
        },
        "save": {"kind": "save", "metric": "tickets_solved"},
        "pb": {"kind": "personal_best", "metric": "tickets_solved", "min_history": 1},
        "together": {"kind": "milestone", "metric": "tickets_solved", "target": 8, "team": True},
        "goals": {"kind": "team_goal", "period": "week"},
    },
    holidays=["2026-01-14"],
    goals={"Support": {"tickets_solved": {"week": 4}}, "Phones": {"csat": {"week": 3.5}}},
    levels={"metric": "score", "steps": [{"name": "Rookie", "at": 0}, {"name": "Pro", "at": 40}]},
)
KINDS = {"ticket_solved": (1, 1), "csat_rating": (1, 5), "points_earned": (-20, 50)}
_namespaces = itertools.count()

version = st.tuples(
    st.integers(0, 16),  # day
    st.sampled_from(["email", "chat", None]),
    st.integers(0, 100),  # value, scaled into the kind's range
    st.booleans(),  # retracted
)
record = st.tuples(
    st.sampled_from(sorted(AGENTS)),
    st.sampled_from(["ticket_solved", "ticket_solved", "ticket_solved", "csat_rating", "points_earned"]),
    st.lists(version, min_size=1, max_size=3),
)


def _events(records: list, rng: random.Random) -> list[Event]:
    events = []
    for index, (agent, kind, versions) in enumerate(records):
        low, high = KINDS[kind]
        for n, (day, channel, value, deleted) in enumerate(versions):
            when = datetime.combine(START + timedelta(days=day), time(9 + n), timezone.utc)
            event = Event(
                source="p",
                id=f"r{index}",
                type=kind,
                agent_id=agent,
                team=AGENTS[agent],
                value=round(low + (high - low) * value / 100),
                occurred_at=when,
                updated_at=datetime(2026, 3, 1, tzinfo=timezone.utc) + timedelta(hours=n),
                attributes={"channel": channel} if channel else {},
                deleted=deleted and n > 0,
            )
            events.append(event)
            if rng.random() < 0.2:
                events.append(event)  # an exact duplicate
    rng.shuffle(events)
    return events


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(records=st.lists(record, min_size=12, max_size=60), seed=st.integers(0, 2**16), cuts=st.integers(1, 6))
def test_live_awards_equal_a_retroactive_sweep(
    redis_client: redis.Redis, records: list, seed: int, cuts: int
) -> None:
    rng = random.Random(seed)
    events = _events(records, rng)
    live = RedisStore(redis_client, namespace=f"prop{next(_namespaces)}")
    bounds = sorted(rng.sample(range(1, len(events)), min(cuts, len(events) - 1))) if len(events) > 1 else []
    for first, last in zip([0, *bounds], [*bounds, len(events)]):
        batch = events[first:last]
        ingest_events(live, CONFIG, batch, now=NOW)
        evaluate_achievements(live, CONFIG, NOW, sorted({e.agent_id for e in batch}))
    retro = MemoryStore()
    ingest_events(retro, CONFIG, events, now=NOW)
    evaluate_achievements(retro, CONFIG, NOW)
    assert _held(live) == _held(retro)


def _held(store: RedisStore | MemoryStore) -> set[tuple]:
    book = awards_for(store)
    subjects = sorted({("agent", a) for a in AGENTS} | {("team", t) for t in AGENTS.values()})
    return grounds([a for awards in book.held(subjects).values() for a in awards.values()])
