"""Rules in test mode (``test: true``): scored into ``points_test`` for /manage, never into ``points``."""

from __future__ import annotations

from typing import Any

import pytest

from kpi.config import Config, ConfigError
from kpi.read.points_on_trial import points_on_trial
from kpi.read.rankings import ranking
from kpi.store.base import Store
from tests.game.points_helpers import DAY, RULES, ev, make_config, points, rating


def with_rules(**changes: dict[str, Any]) -> Config:
    return make_config({"rules": {**RULES, **changes}})


def trial(store: Store, member: str = "ann") -> float:
    return points_on_trial(store, [DAY]).get(member, 0.0)


def test_a_rule_in_test_mode_scores_into_points_test_only(store: Store) -> None:
    config = with_rules(deal_won={"base": 20, "test": True})
    store.upsert([ev("d1", "deal_won", value=100), ev("t1")], config)
    assert (points(store), trial(store)) == (10, 20)


def test_a_bonus_in_test_mode_is_kept_apart_from_the_rules_in_force(store: Store) -> None:
    rule = {
        **RULES["ticket_solved"],
        "bonuses": [{"name": "tidy", "when": {"equals": 1}, "points": 3, "test": True}],
    }
    config = with_rules(ticket_solved=rule)
    store.upsert([ev("t1", attributes={"priority": "high"})], config)
    assert (points(store), trial(store)) == (20, 3)


def test_a_penalty_in_test_mode_is_taken_from_points_test_only(store: Store) -> None:
    slow = {"name": "slow", "when": {"attribute": "reply_minutes", "at_least": 60}, "points": 2, "test": True}
    config = with_rules(ticket_solved={"base": 10, "penalties": [slow]})
    store.upsert([ev("t1", attributes={"reply_minutes": 90})], config)
    assert (points(store), trial(store)) == (10, -2)


def test_a_linked_rule_in_test_mode_credits_the_tickets_agent_on_trial(store: Store) -> None:
    config = with_rules(csat_rating={**RULES["csat_rating"], "test": True})
    store.upsert([ev("t1", agent_id="bo"), rating("r1", "t1", 5)], config)
    assert (points(store, "bo"), trial(store, "bo"), trial(store, "ann")) == (10, 15, 0)


def test_a_take_back_in_a_test_rule_does_not_unlink_ratings(store: Store) -> None:
    ticket = {**RULES["ticket_solved"], "test": True}
    config = with_rules(ticket_solved=ticket)
    store.upsert([ev("t1", attributes={"reopened": True}), rating("r1", "t1", 5)], config)
    assert (points(store), trial(store)) == (15, 0)


def test_test_points_follow_retractions(store: Store) -> None:
    config = with_rules(deal_won={"base": 20, "test": True})
    store.upsert([ev("d1", "deal_won", value=100)], config)
    store.upsert(
        [ev("d1", "deal_won", value=100, deleted=True, updated_at="2026-11-24T12:00:00+01:00")], config
    )
    assert trial(store) == 0


def test_points_test_is_not_a_metric_that_tvs_or_the_api_can_ask_for(store: Store) -> None:
    config = with_rules(deal_won={"base": 20, "test": True})
    store.upsert([ev("d1", "deal_won", value=100)], config)
    assert "points_test" not in config.metrics
    with pytest.raises(KeyError, match="unknown metric 'points_test'"):
        ranking(store, config, "points_test", "day", DAY)


def test_points_test_is_a_reserved_metric_name() -> None:
    with pytest.raises(ConfigError, match="points_test: this metric name is reserved"):
        make_config(metrics={"points_test": {"type": "deal_won", "aggregation": "sum"}})


def test_a_take_back_cannot_be_tried_alone_in_test_mode() -> None:
    penalty = {"name": "reopened", "when": {"attribute": "reopened", "equals": True}, "take_back": True}
    with pytest.raises(ConfigError, match="take_back cannot be tried in test mode"):
        with_rules(ticket_solved={"base": 10, "penalties": [{**penalty, "test": True}]})
