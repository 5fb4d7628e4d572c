"""A race on one board read from the top of it places exactly the top N the full standings place: ties at
the cut, an agent under the minimum volume at the top, hidden agents, a team filter, a mid-week joiner and a
late correction of an ended day, on Redis and on the in-process store."""

from __future__ import annotations

import random
from datetime import timedelta
from typing import Any

import pytest

from kpi.config import Config, parse_config
from kpi.model.events import Event
from kpi.read.challenge_top import one_board, race_top
from kpi.read.challenge_tv import tv_standings
from kpi.store.base import Store
from tests.challenges.support import (
    METRICS,
    MONDAY,
    assert_tv_shows_the_full_standings,
    at,
    event,
    instance,
    write,
)

NOW = at(MONDAY + timedelta(days=2), 12)
AGENTS = [f"a{i:02d}" for i in range(30)]
HIDDEN = frozenset({"a01", "a05"})
GREEDY = "a29"
"""Tops the talk board with one huge call: below the minimum volume of the talk races."""
JOINER = "a88"
"""First seen on the week's Tuesday."""
WEEK = {"start": MONDAY.isoformat(), "end": (MONDAY + timedelta(days=6)).isoformat()}
RACES: list[dict[str, Any]] = [
    {"id": "count", "metric": "tickets_solved"},
    {"id": "busy", "metric": "tickets_solved", "min_volume": 4},
    {"id": "talk", "metric": "talk", "min_volume": 2},
    {"id": "blue", "metric": "tickets_solved", "participants": {"teams": ["Blue"]}},
    {"id": "blue_talk", "metric": "talk", "min_volume": 2, "participants": {"teams": ["Blue"]}},
    {"id": "weekly", "metric": "talk", "recurring": "weekly", "min_volume": 2},
]
WEEKLY = "weekly:2026-W45"


def _id(spec: dict[str, Any]) -> str:
    return WEEKLY if "recurring" in spec else spec["id"]


def _config() -> Config:
    metrics = {**METRICS, "talk": {"type": "call_handled", "aggregation": "sum"}}
    filled = [
        {"title": spec["id"].title(), "kind": "race", **({} if "recurring" in spec else WEEK), **spec}
        for spec in RACES
    ]
    data = {
        "timezone": "UTC",
        "office_hours": {"start": "08:00", "end": "16:00"},
        "metrics": metrics,
        "goals": {},
        "achievements": {},
        "challenges": {"definitions": filled},
    }
    return parse_config(data, "test config")


def _history() -> list[Event]:
    """Counts of one to three a day and talk of 100 or 200 a call: ties at every cut."""
    rng = random.Random(11)
    found = []
    for n, agent in enumerate(AGENTS[:-1]):
        team = "Blue" if n % 3 else "Red"
        for day in [MONDAY + timedelta(days=d) for d in range(3)]:
            for _ in range(rng.randint(1, 3)):
                found.append(event("ticket_solved", agent, day, team=team))
                found.append(event("call_handled", agent, day, value=rng.choice([100, 200]), team=team))
    found.append(event("call_handled", GREEDY, MONDAY, value=99_000, team="Blue"))
    found += [event("ticket_solved", GREEDY, MONDAY, team="Blue") for _ in range(30)]
    found += [event("ticket_solved", JOINER, MONDAY + timedelta(days=1), team="Blue") for _ in range(3)]
    found.append(event("call_handled", JOINER, MONDAY + timedelta(days=1), value=700, team="Blue"))
    found.append(event("call_handled", JOINER, MONDAY + timedelta(days=2), value=700, team="Blue"))
    return found


@pytest.mark.parametrize("top_n", [1, 3, 5, 40])
def test_a_race_read_from_the_top_of_its_board_places_as_the_full_standings(store: Store, top_n: int) -> None:
    config = _config()
    write(store, config, _history(), now=NOW)
    for spec in RACES:
        for hidden in (frozenset(), HIDDEN, frozenset({GREEDY})):
            assert_tv_shows_the_full_standings(store, config, _id(spec), NOW, top_n, hidden)


def test_each_race_of_the_history_is_read_from_the_top_with_a_tie_at_the_cut(store: Store) -> None:
    config = _config()
    write(store, config, _history(), now=NOW)
    for spec in RACES:
        race = instance(config, _id(spec))
        metric = config.metric(race.challenge.metric)
        bucket = one_board(race, metric, config)
        assert bucket is not None, spec["id"]
        volume = race.challenge.min_volume or metric.min_volume
        top = race_top(store, metric, bucket, top_n=3, volume=volume, hidden=(), taking_part=None)
        assert top is not None and len(top.members) > 3, spec["id"]


def test_the_top_of_the_board_skips_an_agent_under_the_minimum_volume(store: Store) -> None:
    config = _config()
    write(store, config, _history(), now=NOW)
    talk = tv_standings(store, config, instance(config, "talk"), NOW, top_n=1, hidden=())
    count = tv_standings(store, config, instance(config, "count"), NOW, top_n=1, hidden=())
    assert [e.id for e in count.entries] == [GREEDY]
    assert [e.id for e in talk.entries] == [JOINER]


def test_a_late_correction_of_an_ended_day_shows_at_the_next_refresh(store: Store) -> None:
    config = _config()
    history = _history()
    write(store, config, history, now=NOW)
    for spec in RACES:
        assert_tv_shows_the_full_standings(store, config, _id(spec), NOW, 3)
    greedy = next(e for e in history if e.agent_id == GREEDY and e.type == "call_handled")
    corrected = greedy.model_copy(update={"value": 150.0, "updated_at": NOW})
    retracted = [
        e.model_copy(update={"deleted": True, "updated_at": NOW})
        for e in history
        if e.agent_id == GREEDY and e.type == "ticket_solved"
    ][:29]
    write(store, config, [corrected, *retracted], now=NOW)
    for spec in RACES:
        assert_tv_shows_the_full_standings(store, config, _id(spec), NOW, 3)
    count = tv_standings(store, config, instance(config, "count"), NOW, top_n=1, hidden=())
    assert GREEDY not in [e.id for e in count.entries]


def test_a_sum_race_whose_cut_is_not_above_zero_is_left_to_the_full_standings(store: Store) -> None:
    config = _config()
    write(store, config, [event("call_handled", "a00", MONDAY, value=100)], now=NOW)
    race = instance(config, WEEKLY)
    metric = config.metric("talk")
    bucket = one_board(race, metric, config)
    assert bucket is not None
    assert race_top(store, metric, bucket, top_n=3, volume=1, hidden=(), taking_part=None) is None
    assert_tv_shows_the_full_standings(store, config, WEEKLY, NOW, 3)
