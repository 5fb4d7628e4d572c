"""A rank from `Store.ahead_of` (the fast path of `ranks_of`) equals the rank in the full ranking.

Random boards with many ties, members below the minimum volume, hidden agents and team-cut rankings,
for counts, sums, means (higher and lower is better), NPS and gated points, on both stores.
"""

from __future__ import annotations

import random
from typing import Any

import pytest

from kpi.config import Config, parse_config
from kpi.config.root import builtin_data
from kpi.model.contributions import Scope
from kpi.model.events import Event
from kpi.read.rankings import MAX_LIMIT, ranking, ranks_of
from kpi.store import Store

DAY = "2026-11-24"
METRICS = ("tickets_solved", "revenue", "csat", "avg_handle_time", "nps", "points")
TEAMS = ("north", "south", "east")


def _config(gate: bool) -> Config:
    data = builtin_data()
    data["points"]["quality_gate"]["enabled"] = gate
    return parse_config(data, "ahead_of parity")


def _event(agent: str, team: str, kind: str, k: int, value: float, **extra: Any) -> Event:
    return Event.model_validate(
        {
            "source": "zd",
            "id": f"{agent}-{kind}-{k}",
            "type": kind,
            "agent_id": agent,
            "agent_name": agent.upper(),
            "team": team,
            "value": value,
            "occurred_at": f"{DAY}T10:00:00+01:00",
            **extra,
        }
    )


def _floor(seed: int, agents: int = 40) -> list[Event]:
    """A day of tickets, ratings, calls, deals and NPS answers drawn from few values, so ties abound."""
    rng, found = random.Random(seed), []
    for n in range(agents):
        who = (f"a{n:02d}", rng.choice(TEAMS))
        for k in range(rng.randint(0, 4)):
            found.append(_event(*who, "ticket_solved", k, 1, attributes={"reopened": rng.random() < 0.2}))
        found += [
            _event(*who, "csat_rating", k, rng.choice((3, 4, 5))) for k in range(rng.choice((0, 3, 5, 6)))
        ]
        found += [
            _event(*who, "call_handled", k, rng.choice((200, 300))) for k in range(rng.choice((0, 9, 10, 12)))
        ]
        found += [_event(*who, "deal_won", k, rng.choice((100, 250.5))) for k in range(rng.randint(0, 2))]
        found += [
            _event(*who, "nps_response", k, rng.choice((0, 8, 10))) for k in range(rng.choice((0, 4, 5)))
        ]
    return found


def _full_ranks(
    store: Store, config: Config, metric: str, scope: Scope, team: str | None, hidden: frozenset[str]
) -> dict[str, int]:
    rows = ranking(store, config, metric, "day", DAY, scope, team=team, limit=MAX_LIMIT, exclude=hidden)
    return {row.id: row.rank for row in rows}


@pytest.mark.parametrize("seed", [1, 2, 3])
@pytest.mark.parametrize("gate", [False, True])
def test_ranks_of_equals_the_full_ranking(store: Store, seed: int, gate: bool) -> None:
    config = _config(gate)
    store.upsert(_floor(seed), config)
    rng = random.Random(seed)
    everyone = [f"a{n:02d}" for n in range(40)] + ["nobody"]
    for metric in METRICS:
        for team in (None, rng.choice(TEAMS)):
            hidden = frozenset(rng.sample(everyone, 5))
            full = _full_ranks(store, config, metric, "agent", team, hidden)
            fast = ranks_of(store, config, metric, DAY, "agent", everyone, team=team, exclude=hidden)
            assert {m: r for m, r in fast.items() if r} == full, (metric, team)


@pytest.mark.parametrize("gate", [False, True])
def test_team_ranks_of_equal_the_full_team_ranking(store: Store, gate: bool) -> None:
    config = _config(gate)
    store.upsert(_floor(7), config)
    for metric in METRICS:
        for team in (None, "south"):
            full = _full_ranks(store, config, metric, "team", team, frozenset())
            fast = ranks_of(store, config, metric, DAY, "team", [*TEAMS, "west"], team=team)
            assert {m: r for m, r in fast.items() if r} == full, (metric, team)


def test_members_without_figures_rank_zero_and_unplaced_ones_are_left_out(store: Store) -> None:
    config = _config(False)
    store.upsert(_floor(1), config)
    below = [m for m, f in store.figures("csat", DAY, "agent").items() if f.count < 5]
    found = ranks_of(store, config, "csat", DAY, "agent", [*below, "nobody"])
    assert below and found == {"nobody": 0}


def test_ahead_of_counts_only_strictly_better_scores(store: Store) -> None:
    config = _config(False)
    store.upsert(_floor(2), config)
    counts = sorted((f.count for f in store.figures("tickets_solved", DAY, "agent").values()), reverse=True)
    top = float(counts[0])
    ahead = store.ahead_of(
        "tickets_solved", DAY, "agent", [top, top - 0.5], aggregation="count", lower_is_better=False
    )
    assert ahead == [0, counts.count(counts[0])]
