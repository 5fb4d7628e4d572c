"""The TV's lean path on a window read from the live bucket: ended days before it, days after the window
inside it (even with events already dated there), late corrections of ended days, and a fair race's
newcomers checked against the agents of the 90 days before — always the top N the full standings place."""

from __future__ import annotations

import random
from datetime import date, timedelta
from typing import Any

import pytest

from kpi.model.events import Event
from kpi.read.challenge_columns import live_bucket
from kpi.read.challenge_tv import tv_standings
from kpi.read.challenges import standings
from kpi.store import RedisStore
from tests.challenges.support import (
    assert_todays_writes_read_no_ended_window,
    assert_tv_shows_the_full_standings,
    at,
    count_ended_reads,
    event,
    instance,
    make_config,
    refresh_tvs,
    write,
)

TODAY = date(2026, 11, 4)
"""A Wednesday; the windows start the Thursday before and end the Thursday after."""
NOW = at(TODAY, 12)
FIRST, LAST = date(2026, 10, 29), date(2026, 11, 5)
AGENTS = [f"a{i:02d}" for i in range(30)]
JOINER = "a77"
"""First seen on the window's first Monday: a fair race prorates their target."""
WINDOW = {"start": FIRST.isoformat(), "end": LAST.isoformat()}
KINDS: list[dict[str, Any]] = [
    {"id": "count", "kind": "race", "metric": "tickets_solved"},
    {"id": "level", "kind": "race", "metric": "csat", "min_volume": 2},
    {"id": "quick", "kind": "race", "metric": "handle_time"},
    {"id": "blue", "kind": "race", "metric": "tickets_solved", "participants": {"teams": ["Blue"]}},
    {
        "id": "versus",
        "kind": "team_vs_team",
        "metric": "tickets_solved",
        "participants": {"teams": ["Blue", "Red"]},
        "team_score": "average",
    },
    {"id": "green", "kind": "race", "metric": "csat", "participants": {"teams": ["Green"]}},
    {
        "id": "versus_few",
        "kind": "team_vs_team",
        "metric": "tickets_solved",
        "participants": {"teams": ["Green", "Gold"]},
        "team_score": "total",
    },
    {"id": "floor", "kind": "collaborative", "metric": "tickets_solved", "target": 400},
    {"id": "best", "kind": "personal_best", "metric": "tickets_solved"},
    {"id": "best_csat", "kind": "personal_best", "metric": "csat"},
    {"id": "fair", "kind": "fair_race", "metric": "tickets_solved", "targets": {"default": 12}},
]
IDS = [spec["id"] for spec in KINDS]


def _config() -> Any:
    """A junior and a part-timer; Blue is larger than Red, Green small."""
    people = {"a04": {"role": "junior"}, "a09": {"fte": 0.5}}
    return make_config(*({**spec, **WINDOW} for spec in KINDS), people=people)


def _team(n: int) -> str:
    """Green is a tenth of the floor (its races read its agents alone); Gold has no one."""
    return "Green" if n % 10 == 0 else "Blue" if n % 3 else "Red"


def _history() -> list[Event]:
    """Four baseline weeks, the window (ended days, today, days to come) and days after it in its month;
    few distinct figures so that ties abound."""
    rng = random.Random(11)
    days = [FIRST - timedelta(days=d) for d in range(1, 29) if d % 7 not in (2, 3)]
    days += [FIRST + timedelta(days=d) for d in range(0, 16)]
    found = [event("ticket_solved", JOINER, date(2026, 11, 2), team="Blue") for _ in range(4)]
    for n, agent in enumerate(AGENTS):
        for day in days:
            if rng.random() < 0.4:
                continue
            for _ in range(rng.randint(1, 2)):
                found.append(event("ticket_solved", agent, day, team=_team(n)))
            found.append(event("csat_rating", agent, day, value=rng.choice([4, 5]), team=_team(n)))
            found.append(event("call_handled", agent, day, value=rng.choice([200, 300]), team=_team(n)))
    return found


def test_the_window_is_read_from_the_month_of_today() -> None:
    live = live_bucket(FIRST, TODAY)
    assert (live.bucket, live.first, live.last) == ("2026-11", date(2026, 11, 1), date(2026, 11, 30))


@pytest.mark.parametrize("top_n", [1, 3, 8])
def test_a_window_across_months_shows_the_same_top_n_as_the_full_standings(
    redis_store: RedisStore, top_n: int
) -> None:
    config = _config()
    write(redis_store, config, _history(), now=NOW)
    for spec in KINDS:
        assert_tv_shows_the_full_standings(redis_store, config, spec["id"], NOW, top_n)


def test_a_late_correction_of_an_ended_day_shows_at_the_next_refresh(redis_store: RedisStore) -> None:
    config = _config()
    history = _history()
    write(redis_store, config, history, now=NOW)
    for spec in KINDS:
        assert_tv_shows_the_full_standings(redis_store, config, spec["id"], NOW, 3)
    ended = [e for e in history if e.type == "ticket_solved" and e.occurred_at.date() == FIRST]
    moved = [e.model_copy(update={"agent_id": "a05", "updated_at": NOW}) for e in ended[:12]]
    baseline = [event("ticket_solved", "a06", FIRST - timedelta(days=8), team="Blue") for _ in range(9)]
    earlier = [event("ticket_solved", JOINER, FIRST - timedelta(days=30), team="Blue")]
    write(redis_store, config, moved + baseline + earlier, now=NOW)
    for spec in KINDS:
        assert_tv_shows_the_full_standings(redis_store, config, spec["id"], NOW, 3)
    race = tv_standings(redis_store, config, instance(config, "count"), NOW, top_n=1, hidden=())
    assert [e.id for e in race.entries] == ["a05"]
    fair = standings(redis_store, config, instance(config, "fair"), NOW)
    assert fair.entry(JOINER).target == fair.entry("a01").target  # type: ignore[union-attr]


def test_writes_dated_today_leave_the_remembered_ended_days_be(
    redis_store: RedisStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    today = [event("ticket_solved", "a05", TODAY, team="Blue") for _ in range(3)]
    assert_todays_writes_read_no_ended_window(
        redis_store, _config(), IDS, NOW, (_history(), today), monkeypatch
    )


def test_a_late_correction_reads_the_ended_days_again(
    redis_store: RedisStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = _config()
    write(redis_store, config, _history(), now=NOW)
    computed = count_ended_reads(monkeypatch)
    refresh_tvs(redis_store, config, IDS, NOW)
    computed.clear()
    write(redis_store, config, [event("ticket_solved", "a05", FIRST, team="Blue")], now=NOW)
    refresh_tvs(redis_store, config, IDS, NOW)
    assert ("tickets_solved", FIRST, TODAY - timedelta(days=TODAY.day)) in computed


def test_the_history_has_a_joiner_a_part_timer_and_a_larger_team(redis_store: RedisStore) -> None:
    config = _config()
    write(redis_store, config, _history(), now=NOW)
    fair = standings(redis_store, config, instance(config, "fair"), NOW)
    assert fair.entry(JOINER).target < fair.entry("a01").target  # type: ignore[union-attr, operator]
    assert fair.entry("a09").target == fair.entry("a01").target / 2  # type: ignore[union-attr, operator]
    teams = {e.id: e.members for e in standings(redis_store, config, instance(config, "versus"), NOW).entries}
    assert teams["Blue"] > teams["Red"]  # type: ignore[operator]
