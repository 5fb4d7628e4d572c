"""Corrections, retractions and late ratings move points exactly, through the same idempotent upsert."""

from __future__ import annotations

from kpi.config import Config
from kpi.model.contributions import Outcome
from kpi.store.base import Store
from tests.game.points_helpers import ev, points, rating

LATER = "2026-11-25T09:00:00+01:00"
LATEST = "2026-11-26T09:00:00+01:00"


def test_a_late_rating_moves_the_agents_points_by_exactly_the_bonus(store: Store, rules: Config) -> None:
    store.upsert([ev("t1", attributes={"priority": "urgent"})], rules)
    before = points(store)
    store.upsert([rating("r1", "t1", 5, occurred_at=LATER)], rules)
    assert points(store) - before == 15


def test_a_rating_before_its_ticket_is_applied_when_the_ticket_arrives(store: Store, rules: Config) -> None:
    store.upsert([rating("r1", "t1", 5)], rules)
    assert points(store) == 0
    store.upsert([ev("t1")], rules)
    assert points(store) == 25


def test_a_corrected_amount_moves_points_by_the_difference(store: Store, rules: Config) -> None:
    store.upsert([ev("d1", "deal_won", value=5000, updated_at=LATER)], rules)
    store.upsert([ev("d1", "deal_won", value=12000, updated_at=LATEST)], rules)
    assert points(store) == 30


def test_a_retracted_ticket_takes_its_points_and_its_rating_bonus(store: Store, rules: Config) -> None:
    store.upsert([ev("t1", updated_at=LATER), rating("r1", "t1", 5), ev("t2")], rules)
    outcome = store.upsert([ev("t1", deleted=True, updated_at=LATEST)], rules)
    assert outcome == [Outcome.RETRACTED]
    assert points(store) == 10


def test_a_retracted_rating_takes_only_its_bonus(store: Store, rules: Config) -> None:
    store.upsert([ev("t1"), rating("r1", "t1", 5, updated_at=LATER)], rules)
    store.upsert([rating("r1", "t1", 5, deleted=True, updated_at=LATEST)], rules)
    assert points(store) == 10


def test_a_changed_rating_score_moves_the_bonus(store: Store, rules: Config) -> None:
    store.upsert([ev("t1"), rating("r1", "t1", 5, updated_at=LATER)], rules)
    store.upsert([rating("r1", "t1", 3, updated_at=LATEST)], rules)
    assert points(store) == 10


def test_reopening_takes_the_ticket_and_bonus_back_and_solving_again_restores(
    store: Store, rules: Config
) -> None:
    store.upsert([ev("t1", updated_at=WHEN_SOLVED), rating("r1", "t1", 5)], rules)
    store.upsert([ev("t1", attributes={"reopened": True}, updated_at=LATER)], rules)
    assert points(store) == 0
    store.upsert([ev("t1", updated_at=LATEST)], rules)
    assert points(store) == 25


def test_a_reassigned_ticket_takes_its_rating_bonus_to_the_new_agent(store: Store, rules: Config) -> None:
    store.upsert([ev("t1", updated_at=WHEN_SOLVED), rating("r1", "t1", 5)], rules)
    store.upsert([ev("t1", agent_id="bo", team="South", updated_at=LATER)], rules)
    assert (points(store, "ann"), points(store, "bo")) == (0, 25)
    assert (points(store, "North", scope="team"), points(store, "South", scope="team")) == (0, 25)


def test_a_rating_relinked_to_another_ticket_moves_its_bonus(store: Store, rules: Config) -> None:
    tickets = [ev("t1", updated_at=WHEN_SOLVED), ev("t2", agent_id="bo", updated_at=WHEN_SOLVED)]
    store.upsert([*tickets, rating("r1", "t1", 5, updated_at=LATER)], rules)
    store.upsert([rating("r1", "t2", 5, updated_at=LATEST)], rules)
    assert (points(store, "ann"), points(store, "bo")) == (10, 25)


def test_sending_the_same_history_twice_changes_nothing(store: Store, rules: Config) -> None:
    history = [ev("t1", attributes={"priority": "high"}), rating("r1", "t1", 5), ev("d1", "deal_won")]
    store.upsert(history, rules)
    version = store.data_version()
    assert store.upsert(history, rules) == [Outcome.UNCHANGED] * 3
    assert (points(store), store.data_version()) == (55, version)


WHEN_SOLVED = "2026-11-24T12:00:00+01:00"
