"""The quality gate: each period's points × a factor from the member's CSAT and reopen rate (real Redis)."""

from __future__ import annotations

from datetime import datetime, timezone
from itertools import count
from typing import Any

import pytest

from dashboard import create_app
from dashboard.services.manage.rules import rules_page
from kpi.config import Config, ConfigError, parse_config
from kpi.config.settings import Settings
from kpi.model.viewer import Viewer
from kpi.read.gated_points import gated_points
from kpi.read.rankings import ranking, ranks_of
from kpi.read.rules_text import points_rules
from kpi.store import RedisStore
from tests.game.points_helpers import RULES, ev

MONDAY, TUESDAY = "2026-11-23", "2026-11-24"
ADMIN = Viewer("ada", "admin", frozenset())
WEEK = "2026-W48"
GATE: dict[str, Any] = {
    "enabled": True,
    "min_ratings": 3,
    "steps": [
        {"factor": 1.0, "csat_at_least": 4.2, "reopen_rate_at_most": 0.1},
        {"factor": 0.8, "csat_at_least": 3.8},
    ],
    "otherwise": 0.5,
}
_ids = count()


def gated_config(**gate: Any) -> Config:
    metrics = {
        "tickets_solved": {"type": "ticket_solved", "aggregation": "count"},
        "tickets_reopened": {"type": "ticket_solved", "aggregation": "count", "where": {"reopened": True}},
        "csat": {"type": "csat_rating", "aggregation": "mean"},
    }
    points = {"rules": RULES, "quality_gate": {**GATE, **gate}}
    return parse_config({"timezone": "Europe/Oslo", "metrics": metrics, "points": points}, "test config")


@pytest.fixture
def gated() -> Config:
    return gated_config()


def solved(agent: str, day: str, n: int = 1, team: str = "North", **attributes: Any) -> list:
    return [
        ev(
            f"t{next(_ids)}",
            agent_id=agent,
            team=team,
            occurred_at=f"{day}T10:00:00+01:00",
            attributes=attributes,
        )
        for _ in range(n)
    ]


def rated(agent: str, day: str, *scores: float, team: str = "North") -> list:
    """Ratings that name no ticket: they feed the CSAT and earn no points themselves."""
    return [
        ev(
            f"r{next(_ids)}",
            "csat_rating",
            agent_id=agent,
            team=team,
            value=s,
            occurred_at=f"{day}T11:00:00+01:00",
        )
        for s in scores
    ]


def test_the_factor_is_decided_per_period_from_that_periods_csat(
    redis_store: RedisStore, gated: Config
) -> None:
    history = solved("ann", MONDAY, 2) + rated("ann", MONDAY, 5, 5, 5) + solved("ann", TUESDAY, 2)
    redis_store.upsert(history + rated("ann", TUESDAY, 3, 3, 3), gated)
    monday = gated_points(redis_store, gated, "ann", "day", MONDAY)
    tuesday = gated_points(redis_store, gated, "ann", "day", TUESDAY)
    week = gated_points(redis_store, gated, "ann", "week", WEEK)
    assert (monday.value, tuesday.value, week.value) == (20, 10, 32)
    assert (week.points, week.factor, week.quality.csat, week.quality.ratings) == (40, 0.8, 4.0, 6)


def test_a_high_reopen_rate_loses_the_full_factor(redis_store: RedisStore, gated: Config) -> None:
    history = solved("cy", TUESDAY, 3) + solved("cy", TUESDAY, reopened=True) + rated("cy", TUESDAY, 5, 5, 5)
    redis_store.upsert(history, gated)
    found = gated_points(redis_store, gated, "cy", "day", TUESDAY)
    assert (found.quality.reopen_rate, found.points, found.factor, found.value) == (0.25, 30, 0.8, 24)


def test_below_min_ratings_csat_conditions_pass_by_default(redis_store: RedisStore, gated: Config) -> None:
    redis_store.upsert(solved("bo", TUESDAY) + rated("bo", TUESDAY, 1), gated)
    assert gated_points(redis_store, gated, "bo", "day", TUESDAY).value == 10


def test_below_min_ratings_csat_conditions_fail_when_configured(redis_store: RedisStore) -> None:
    strict = gated_config(too_few_ratings="fail")
    redis_store.upsert(solved("bo", TUESDAY) + rated("bo", TUESDAY, 5), strict)
    found = gated_points(redis_store, strict, "bo", "day", TUESDAY)
    assert (found.factor, found.value) == (0.5, 5)


def test_negative_points_are_not_scaled_down(redis_store: RedisStore, gated: Config) -> None:
    redis_store.upsert(solved("ann", TUESDAY, reopened=True, sla_breached=True), gated)
    assert gated_points(redis_store, gated, "ann", "day", TUESDAY).value == -4


def test_rankings_are_reordered_by_gated_points(redis_store: RedisStore, gated: Config) -> None:
    ann = solved("ann", TUESDAY, 4) + rated("ann", TUESDAY, 2, 2, 2)
    bo = solved("bo", TUESDAY, 3) + rated("bo", TUESDAY, 5, 5, 5)
    redis_store.upsert(ann + bo, gated)
    raw = ranking(redis_store, gated_config(enabled=False), "points", "day", TUESDAY)
    rows = ranking(redis_store, gated, "points", "day", TUESDAY)
    assert [(r.id, r.value) for r in raw] == [("ann", 40), ("bo", 30)]
    assert [(r.rank, r.id, r.value, r.count) for r in rows] == [(1, "bo", 30, 3), (2, "ann", 20, 4)]


def test_equal_gated_points_share_a_rank_in_board_order(redis_store: RedisStore, gated: Config) -> None:
    ann = solved("ann", TUESDAY, 2) + rated("ann", TUESDAY, 5, 5, 5)
    bo = solved("bo", TUESDAY, 4) + rated("bo", TUESDAY, 1, 1, 1)
    cy = solved("cy", TUESDAY, 1)
    redis_store.upsert(ann + bo + cy, gated)
    rows = ranking(redis_store, gated, "points", "day", TUESDAY)
    assert [(r.rank, r.id, r.value) for r in rows] == [(1, "bo", 20), (1, "ann", 20), (3, "cy", 10)]


def test_an_agents_own_rank_follows_gated_points(redis_store: RedisStore, gated: Config) -> None:
    ann = solved("ann", TUESDAY, 4) + rated("ann", TUESDAY, 2, 2, 2)
    redis_store.upsert(ann + solved("bo", TUESDAY, 3) + solved("cy", TUESDAY, 3), gated)
    ranks = ranks_of(redis_store, gated, "points", TUESDAY, "agent", ["ann", "cy", "dee"], exclude={"bo"})
    assert ranks == {"ann": 2, "cy": 1, "dee": 0}


def test_gated_ranking_keeps_team_filter_exclusions_and_limit(redis_store: RedisStore, gated: Config) -> None:
    history = solved("ann", TUESDAY, 3) + solved("bo", TUESDAY, 2) + solved("cy", TUESDAY, 1, team="South")
    redis_store.upsert(history, gated)
    north = ranking(redis_store, gated, "points", "day", TUESDAY, team="North", exclude={"ann"})
    assert [r.id for r in north] == ["bo"]
    assert [r.id for r in ranking(redis_store, gated, "points", "day", TUESDAY, limit=2)] == ["ann", "bo"]


def test_team_boards_are_gated_by_the_teams_own_quality(redis_store: RedisStore, gated: Config) -> None:
    north = solved("ann", TUESDAY, 2) + solved("bo", TUESDAY, 2) + rated("ann", TUESDAY, 4, 4, 4)
    redis_store.upsert(north, gated)
    rows = ranking(redis_store, gated, "points", "day", TUESDAY, "team")
    assert [(r.id, r.value) for r in rows] == [("North", 32)]


def test_without_the_gate_points_are_the_raw_sum(redis_store: RedisStore, config: Config) -> None:
    redis_store.upsert(solved("ann", TUESDAY, 2) + rated("ann", TUESDAY, 1, 1, 1, 1, 1), config)
    assert [(r.id, r.value) for r in ranking(redis_store, config, "points", "day", TUESDAY)] == [("ann", 20)]
    assert gated_points(redis_store, config, "ann", "day", TUESDAY).factor == 1.0


def test_the_api_leaderboard_shows_gated_points(redis_store: RedisStore, gated: Config) -> None:
    redis_store.upsert(
        solved("ann", TUESDAY, 4) + rated("ann", TUESDAY, 2, 2, 2) + solved("bo", TUESDAY, 3), gated
    )
    now = datetime(2026, 11, 24, 12, 0, tzinfo=timezone.utc)
    app = create_app(Settings(api_token="read-secret"), config=gated, store=redis_store, clock=lambda: now)
    response = app.server.test_client().get(
        "/api/v1/leaderboard?metric=points&period=day", headers={"Authorization": "Bearer read-secret"}
    )
    assert [(row["id"], row["value"]) for row in response.json["rows"]] == [("bo", 30), ("ann", 20)]


def test_an_enabled_gate_must_name_metrics_of_the_right_kind() -> None:
    metrics = {"tickets_solved": {"type": "ticket_solved", "aggregation": "count"}}
    data = {"metrics": metrics, "points": {"rules": RULES, "quality_gate": {"enabled": True}}}
    with pytest.raises(ConfigError, match="quality_gate.csat_metric: 'csat' must be a configured metric"):
        parse_config(data, "test config")


def test_the_default_config_ships_the_gate_switched_off(config: Config) -> None:
    gate = config.points.quality_gate
    assert not gate.enabled and config.metric("tickets_reopened").where == {"reopened": True}


def test_the_gate_is_in_plain_words_on_me_and_on_the_rules_page(
    redis_store: RedisStore, gated: Config
) -> None:
    (gate,) = [r for r in points_rules(gated) if r.title == "Quality gate"]
    assert gate.lines[1:4] == (
        "In full with a CSAT of 4.2 or more and at most 10% of solved tickets reopened;",
        "× 0.8 with a CSAT of 3.8 or more;",
        "× 0.5 otherwise.",
    )
    assert "With fewer than 3 ratings, the CSAT conditions pass." in gate.lines
    now = datetime(2026, 11, 24, 12, 0, tzinfo=timezone.utc)
    settings = rules_page(redis_store, gated, ADMIN, now).settings
    assert any(
        line.startswith("Quality gate: Each day's") and "× 0.5 otherwise." in line for line in settings
    )
    off = gated_config(enabled=False)
    assert "Quality gate: off." in rules_page(redis_store, off, ADMIN, now).settings
    assert "Quality gate" not in {r.title for r in points_rules(off)}
