"""The TV's lean path on a Monday: ended parts that end yesterday (a window's days before this week, a
weekly personal best's baseline, a weekly fair race's newcomer check) keep their days before yesterday
remembered under the `@past` versions, read yesterday once per data version, and place the same top N
as the full standings, also after corrections of yesterday and of the day before."""

from __future__ import annotations

import random
from datetime import date, timedelta
from typing import Any

import pytest

from kpi.model.events import Event
from kpi.read.challenge_tv import tv_standings
from kpi.read.challenges import standings
from kpi.store import RedisStore
from tests.challenges.support import (
    assert_todays_writes_read_no_ended_window,
    assert_tv_shows_the_full_standings,
    at,
    event,
    instance,
    make_config,
    refresh_tvs,
    write,
)

TODAY = date(2026, 11, 9)
"""A Monday: the fixed windows started the Friday before."""
NOW = at(TODAY, 12)
YESTERDAY = TODAY - timedelta(days=1)
WINDOW = {"start": "2026-11-06", "end": "2026-11-12"}
AGENTS = [f"a{i:02d}" for i in range(24)]
JOINER = "a77"
"""First seen on Sunday: a fixed fair race prorates their target, this week's does not."""
KINDS: list[dict[str, Any]] = [
    {"id": "count", "kind": "race", "metric": "tickets_solved", **WINDOW},
    {"id": "level", "kind": "race", "metric": "csat", "min_volume": 2, **WINDOW},
    {"id": "floor", "kind": "collaborative", "metric": "tickets_solved", "target": 300, **WINDOW},
    {"id": "best", "kind": "personal_best", "metric": "tickets_solved", "recurring": "weekly"},
    {"id": "fair", "kind": "fair_race", "metric": "tickets_solved", "targets": {"default": 9}, **WINDOW},
    {
        "id": "fair_week",
        "kind": "fair_race",
        "metric": "tickets_solved",
        "targets": {"default": 9},
        "recurring": "weekly",
    },
]
IDS = ["count", "level", "floor", "best:2026-W46", "fair", "fair_week:2026-W46"]


def _config() -> Any:
    return make_config(*KINDS, people={"a04": {"fte": 0.5}})


def _history() -> list[Event]:
    """Five weeks up to today, weekends too; few distinct figures so that ties abound."""
    rng = random.Random(3)
    joiner_days = (YESTERDAY, YESTERDAY, TODAY + timedelta(days=1))
    found = [event("ticket_solved", JOINER, day, team="Blue") for day in joiner_days]
    for n, agent in enumerate(AGENTS):
        for day in [TODAY - timedelta(days=d) for d in range(35)]:
            if rng.random() < 0.5:
                continue
            for _ in range(rng.randint(1, 2)):
                found.append(event("ticket_solved", agent, day, team="Blue" if n % 3 else "Red"))
            found.append(event("csat_rating", agent, day, value=rng.choice([4, 5]), team="Blue"))
    return found


@pytest.mark.parametrize("top_n", [3, 40])
def test_ended_parts_that_end_yesterday_place_as_the_full_standings(
    redis_store: RedisStore, top_n: int
) -> None:
    config = _config()
    write(redis_store, config, _history(), now=NOW)
    for instance_id in IDS:
        assert_tv_shows_the_full_standings(redis_store, config, instance_id, NOW, top_n)
    fair = standings(redis_store, config, instance(config, "fair"), NOW)
    assert fair.entry(JOINER).target < fair.entry("a01").target  # type: ignore[union-attr, operator]
    week = standings(redis_store, config, instance(config, "fair_week:2026-W46"), NOW)
    assert week.entry(JOINER).target == week.entry("a01").target  # type: ignore[union-attr]


def test_writes_dated_today_leave_the_days_before_yesterday_remembered(
    redis_store: RedisStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    today = [event("ticket_solved", "a05", TODAY, team="Blue") for _ in range(3)]
    assert_todays_writes_read_no_ended_window(
        redis_store, _config(), IDS, NOW, (_history(), today), monkeypatch
    )


def test_corrections_of_yesterday_and_the_day_before_show_at_the_next_refresh(
    redis_store: RedisStore,
) -> None:
    config = _config()
    history = _history()
    write(redis_store, config, history, now=NOW)
    refresh_tvs(redis_store, config, IDS, NOW)
    for day in (YESTERDAY, YESTERDAY - timedelta(days=1)):
        ended = [e for e in history if e.type == "ticket_solved" and e.occurred_at.date() == day]
        moved = [e.model_copy(update={"agent_id": "a05", "updated_at": NOW}) for e in ended[:15]]
        write(redis_store, config, moved, now=NOW)
        for instance_id in IDS:
            assert_tv_shows_the_full_standings(redis_store, config, instance_id, NOW, 3)
        race = tv_standings(redis_store, config, instance(config, "count"), NOW, top_n=1, hidden=())
        assert [e.id for e in race.entries] == ["a05"]
