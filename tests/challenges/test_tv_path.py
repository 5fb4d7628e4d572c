"""The TV's lean path places exactly the top N the full standings place, ties and hidden agents too."""

from __future__ import annotations

import random
from datetime import timedelta
from typing import Any

import pytest

from kpi.model.events import Event
from kpi.read.challenge_tv import tv_standings, visible
from kpi.read.challenges import standings
from kpi.store import RedisStore
from tests.challenges.support import MONDAY, at, event, instance, make_config, write

NOW = at(MONDAY + timedelta(days=2), 12)
AGENTS = [f"a{i:02d}" for i in range(24)]
HIDDEN = {"a03", "a07"}
KINDS: list[dict[str, Any]] = [
    {"id": "count", "kind": "race", "metric": "tickets_solved"},
    {"id": "level", "kind": "race", "metric": "csat", "min_volume": 2},
    {"id": "quick", "kind": "race", "metric": "handle_time"},
    {"id": "teams", "kind": "race", "metric": "tickets_solved", "participants": {"teams": ["Blue"]}},
    {"id": "pick", "kind": "race", "metric": "tickets_solved", "participants": {"agents": AGENTS[::2]}},
    {"id": "versus", "kind": "team_vs_team", "metric": "csat", "participants": {"teams": ["Blue", "Red"]}},
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
    return [e.model_copy(update={"agent_name": f"{chr(122 - AGENTS.index(e.agent_id))} x"}) for e in found]


@pytest.mark.parametrize("top_n", [1, 3, 5, 30])
@pytest.mark.parametrize("hidden", [frozenset(), HIDDEN])
def test_the_lean_path_shows_the_same_top_n_as_the_full_standings(
    redis_store: RedisStore, top_n: int, hidden: frozenset[str]
) -> None:
    config = make_config(*KINDS, people={"a04": {"role": "junior"}, "a09": {"fte": 0.5}})
    write(redis_store, config, _history(), now=NOW)
    for spec in KINDS:
        found = instance(config, spec["id"])
        full = standings(redis_store, config, found, NOW)
        lean = tv_standings(redis_store, config, found, NOW, top_n=top_n, hidden=hidden)
        shown = full.entries if full.scope == "team" else tuple(visible(full.entries, hidden, top_n))
        assert lean.entries == shown, spec["id"]
        assert (lean.scope, lean.score_unit, lean.progress) == (full.scope, full.score_unit, full.progress)
        ranks = [e.rank for e in full.entries if e.rank > 0]
        assert spec["kind"] != "race" or len(set(ranks)) < len(ranks), "no tie to test"
