"""The TV's lean path places exactly the top N the full standings place, ties and hidden agents too."""

from __future__ import annotations

import random
from datetime import timedelta
from typing import Any

import pytest

from kpi.model.events import Event
from kpi.read.challenge_tv import tv_standings
from kpi.read.challenges import standings
from kpi.store import RedisStore
from tests.challenges.support import (
    MONDAY,
    assert_tv_shows_the_full_standings,
    at,
    event,
    instance,
    make_config,
    write,
)

NOW = at(MONDAY + timedelta(days=2), 12)
AGENTS = [f"a{i:02d}" for i in range(24)]
HIDDEN = {"a03", "a07"}
JOINER = "a99"
"""First seen on the window's second day, with no event before: a fair race prorates their target."""
KINDS: list[dict[str, Any]] = [
    {"id": "count", "kind": "race", "metric": "tickets_solved"},
    {"id": "level", "kind": "race", "metric": "csat", "min_volume": 2},
    {"id": "steady", "kind": "race", "metric": "csat", "min_volume": 3},
    {"id": "quick", "kind": "race", "metric": "handle_time"},
    {"id": "teams", "kind": "race", "metric": "tickets_solved", "participants": {"teams": ["Blue"]}},
    {"id": "pick", "kind": "race", "metric": "tickets_solved", "participants": {"agents": AGENTS[::2]}},
    {"id": "versus", "kind": "team_vs_team", "metric": "csat", "participants": {"teams": ["Blue", "Red"]}},
    {
        "id": "versus_total",
        "kind": "team_vs_team",
        "metric": "tickets_solved",
        "participants": {"teams": ["Blue", "Red"]},
        "team_score": "total",
    },
    {
        "id": "versus_average",
        "kind": "team_vs_team",
        "metric": "tickets_solved",
        "participants": {"teams": ["Blue", "Red"]},
        "team_score": "average",
    },
    {"id": "floor", "kind": "collaborative", "metric": "tickets_solved", "target": 60},
    {"id": "best", "kind": "personal_best", "metric": "tickets_solved"},
    {"id": "best_csat", "kind": "personal_best", "metric": "csat"},
    {
        "id": "fair",
        "kind": "fair_race",
        "metric": "tickets_solved",
        "targets": {"default": 10, "roles": {"junior": 5}},
    },
]


def _history() -> list[Event]:
    """Few distinct figures so that ties abound; names sort otherwise than ids."""
    rng = random.Random(5)
    found = []
    for n, agent in enumerate(AGENTS):
        team = "Blue" if n % 3 else "Red"
        days = [MONDAY - timedelta(days=7 * w + d) for w in range(1, 4) for d in (0, 1)] if n % 5 else []
        days += [MONDAY, MONDAY + timedelta(days=1), MONDAY + timedelta(days=2)][: 1 + n % 3]
        for day in days:
            for _ in range(rng.randint(1, 3)):
                found.append(event("ticket_solved", agent, day, team=team))
            found.append(event("csat_rating", agent, day, value=rng.choice([3, 4, 5]), team=team))
            found.append(event("call_handled", agent, day, value=rng.choice([200, 300]), team=team))
    renamed = [e.model_copy(update={"agent_name": f"{chr(122 - AGENTS.index(e.agent_id))} x"}) for e in found]
    joiner = [event("ticket_solved", JOINER, MONDAY + timedelta(days=1), team="Blue") for _ in range(3)]
    return renamed + joiner


def _config() -> Any:
    """A junior, a part-timer and a configured joiner; `JOINER` joins mid-window without being told."""
    people = {"a04": {"role": "junior"}, "a09": {"fte": 0.5}, "a11": {"joined": MONDAY + timedelta(days=1)}}
    return make_config(*KINDS, people=people)


@pytest.mark.parametrize("top_n", [1, 3, 5, 30])
@pytest.mark.parametrize("hidden", [frozenset(), HIDDEN])
def test_the_lean_path_shows_the_same_top_n_as_the_full_standings(
    redis_store: RedisStore, top_n: int, hidden: frozenset[str]
) -> None:
    config = _config()
    write(redis_store, config, _history(), now=NOW)
    for spec in KINDS:
        assert_tv_shows_the_full_standings(redis_store, config, spec["id"], NOW, top_n, hidden)
        ranks = [e.rank for e in standings(redis_store, config, instance(config, spec["id"]), NOW).placed()]
        assert spec["kind"] != "race" or len(set(ranks)) < len(ranks), "no tie to test"


def test_the_history_has_a_joiner_a_part_timer_and_a_larger_team(redis_store: RedisStore) -> None:
    config = _config()
    write(redis_store, config, _history(), now=NOW)
    fair = standings(redis_store, config, instance(config, "fair"), NOW)
    assert fair.entry(JOINER).target < fair.entry("a01").target  # type: ignore[union-attr, operator]
    assert fair.entry("a11").target < fair.entry("a01").target  # type: ignore[union-attr, operator]
    assert fair.entry("a09").target == fair.entry("a01").target / 2  # type: ignore[union-attr, operator]
    teams = standings(redis_store, config, instance(config, "versus_total"), NOW).entries
    assert [e.members for e in teams if e.id == "Blue"] > [e.members for e in teams if e.id == "Red"]


def test_the_lean_path_shows_new_figures_at_the_next_refresh(redis_store: RedisStore) -> None:
    config = _config()
    write(redis_store, config, _history(), now=NOW)
    for spec in KINDS:
        tv_standings(redis_store, config, instance(config, spec["id"]), NOW, top_n=3, hidden=())
    late = [event("ticket_solved", "a02", MONDAY + timedelta(days=2), team="Red") for _ in range(9)]
    write(redis_store, config, late, now=NOW)
    for spec in KINDS:
        assert_tv_shows_the_full_standings(redis_store, config, spec["id"], NOW, 3)
    race = tv_standings(redis_store, config, instance(config, "count"), NOW, top_n=1, hidden=())
    assert [e.id for e in race.entries] == ["a02"]
