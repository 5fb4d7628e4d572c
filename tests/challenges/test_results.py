"""Results fixed once after the end and grace period, in real Redis, and celebrated once."""

from __future__ import annotations

from datetime import timedelta

import pytest

from kpi.ingest.challenges import WON, settle_challenges
from kpi.ingest.game_round import game_round
from kpi.store import RedisStore
from kpi.store.celebration_feed import feed_for
from kpi.store.challenge_results import challenge_book_for
from tests.challenges.support import MONDAY, at, event, make_config, tickets, write

pytestmark = pytest.mark.cluster
"""Also on a three-master Redis Cluster (tests/conftest.py)."""

END = at(MONDAY + timedelta(days=7), 0)
RACE = {"id": "sprint", "kind": "race", "metric": "tickets_solved", "grace_minutes": 60}


def _history(store: RedisStore, config) -> None:  # noqa: ANN001
    write(store, config, tickets("ann", MONDAY, 5) + tickets("bob", MONDAY, 4))


def test_nothing_is_fixed_before_the_grace_period_ends(redis_store: RedisStore) -> None:
    config = make_config(RACE)
    _history(redis_store, config)
    assert settle_challenges(redis_store, config, END + timedelta(minutes=59)) == []
    assert challenge_book_for(redis_store).results(["sprint"]) == {}


def test_a_correction_within_the_grace_period_changes_the_result(redis_store: RedisStore) -> None:
    config = make_config(RACE)
    _history(redis_store, config)
    write(redis_store, config, tickets("bob", MONDAY + timedelta(days=6), 3), now=END + timedelta(minutes=30))
    [result] = settle_challenges(redis_store, config, END + timedelta(minutes=61))
    assert [w.id for w in result.winners] == ["bob"]


def test_a_fixed_result_is_stable_under_later_corrections(redis_store: RedisStore) -> None:
    config = make_config(RACE)
    _history(redis_store, config)
    [fixed] = settle_challenges(redis_store, config, END + timedelta(minutes=61))
    write(redis_store, config, tickets("bob", MONDAY, 10), now=END + timedelta(hours=2))
    assert settle_challenges(redis_store, config, END + timedelta(hours=3)) == []
    stored = challenge_book_for(redis_store).results(["sprint"])["sprint"]
    assert stored == fixed and [w.id for w in stored.winners] == ["ann"]


def test_two_processes_never_fix_the_same_instance_twice(redis_store: RedisStore) -> None:
    config = make_config(RACE)
    _history(redis_store, config)
    other = RedisStore(redis_store.client)
    first = settle_challenges(redis_store, config, END + timedelta(minutes=61))
    assert len(first) == 1 and settle_challenges(other, config, END + timedelta(minutes=62)) == []


def test_a_fresh_win_is_celebrated_once_with_the_alias(redis_store: RedisStore) -> None:
    config = make_config(RACE)
    config = config.model_copy(update={"agents": {"ann": config.agents.get("ann") or _alias("Ace")}})
    _history(redis_store, config)
    settle_challenges(redis_store, config, END + timedelta(minutes=61))
    settle_challenges(redis_store, config, END + timedelta(minutes=62))
    shown = [c for _, c in feed_for(redis_store).since("0-0", max_age_seconds=3600, limit=10)]
    assert [(c.kind, c.agent_id, c.name) for c in shown] == [(WON, "ann", "Ace")]


def test_a_result_fixed_days_late_is_stored_but_not_celebrated(redis_store: RedisStore) -> None:
    config = make_config(RACE)
    _history(redis_store, config)
    assert len(settle_challenges(redis_store, config, END + timedelta(days=3))) == 1
    assert feed_for(redis_store).since("0-0", max_age_seconds=3600) == []


def test_a_test_challenge_is_fixed_but_never_celebrated(redis_store: RedisStore) -> None:
    config = make_config({**RACE, "test": True})
    _history(redis_store, config)
    assert len(settle_challenges(redis_store, config, END + timedelta(minutes=61))) == 1
    assert feed_for(redis_store).since("0-0", max_age_seconds=3600) == []


def test_a_hidden_winner_is_fixed_but_not_named_on_screens(redis_store: RedisStore) -> None:
    config = make_config(RACE)
    config = config.model_copy(update={"agents": {"ann": _hide()}})
    _history(redis_store, config)
    [result] = settle_challenges(redis_store, config, END + timedelta(minutes=61))
    assert [w.id for w in result.winners] == ["ann"]
    assert feed_for(redis_store).since("0-0", max_age_seconds=3600) == []


def test_collaborative_fixed_with_target_reached_lists_every_contributor(redis_store: RedisStore) -> None:
    config = make_config({"id": "team", "kind": "collaborative", "metric": "tickets_solved", "target": 8})
    _history(redis_store, config)
    write(redis_store, config, [event("ticket_solved", "cat", MONDAY)])
    [result] = settle_challenges(redis_store, config, END + timedelta(minutes=61))
    assert {w.id for w in result.winners} == {"ann", "bob", "cat"}


def _alias(name: str):  # noqa: ANN202
    from kpi.config.agents import AgentDisplay

    return AgentDisplay(alias=name)


def _hide():  # noqa: ANN202
    from kpi.config.agents import AgentDisplay

    return AgentDisplay(hide_from_screens=True)


def test_the_games_periodic_round_fixes_a_due_result_once(redis_store: RedisStore) -> None:
    config = make_config(RACE)
    _history(redis_store, config)
    first = game_round(redis_store, config, END + timedelta(minutes=61))
    assert [r.instance_id for r in first.fixed] == ["sprint"]
    assert game_round(redis_store, config, END + timedelta(minutes=90)).fixed == []
