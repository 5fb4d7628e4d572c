"""The periodic awarding round: changed agents marked, taken atomically, swept when a day closed."""

from __future__ import annotations

from datetime import timedelta

import pytest

from kpi.ingest.awarding import award_changed, sweep_due
from kpi.ingest.pipeline import changed_agents, ingest_events
from kpi.model.contributions import Outcome
from kpi.store.award_queue import award_queue_for
from kpi.store.base import Store, StoreUnavailable
from kpi.store.celebration_feed import feed_for
from tests.game.support import MONDAY, at, make_config, tickets

pytestmark = pytest.mark.cluster
"""Also on a three-master Redis Cluster (tests/conftest.py)."""

FIVE = {"five": {"kind": "milestone", "metric": "tickets_solved", "target": 5, "celebrate": True}}


def test_only_events_that_moved_a_figure_mark_their_agent() -> None:
    events = tickets("ann", MONDAY) + tickets("bob", MONDAY) + tickets("cy", MONDAY) + tickets("di", MONDAY)
    outcomes = [Outcome.NEW, Outcome.UNCHANGED, Outcome.RETRACTED, Outcome.STALE]
    assert changed_agents(events, outcomes) == {"ann", "cy"}


def test_ingestion_marks_changed_agents_and_a_take_empties_the_set(store: Store) -> None:
    config = make_config(FIVE)
    batch = tickets("ann", MONDAY) + tickets("bob", MONDAY)
    ingest_events(store, config, batch, now=at(MONDAY))
    queue = award_queue_for(store)
    assert queue.take() == {"ann", "bob"}
    assert queue.take() == set()
    ingest_events(store, config, batch, now=at(MONDAY))  # the same records again change nothing
    assert queue.take() == set()


def test_a_sweep_is_due_first_and_after_each_office_day_closes() -> None:
    config = make_config(FIVE)
    assert sweep_due(None, at(MONDAY), config)
    assert not sweep_due(at(MONDAY, 9), at(MONDAY, 23), config)
    assert sweep_due(at(MONDAY, 23), at(MONDAY + timedelta(days=1), 0), config)


def test_a_round_evaluates_only_changed_agents_and_sweeps_once_a_day(store: Store) -> None:
    config = make_config(FIVE)
    first = award_changed(store, config, at(MONDAY, 8))
    assert first.full and first.awards == []
    ingest_events(store, config, tickets("ann", MONDAY, 5), now=at(MONDAY, 9))
    live = award_changed(store, config, at(MONDAY, 9))
    assert (live.full, live.agents) == (False, 1)
    assert [(a.member, a.badge, a.retroactive) for a in live.awards] == [("ann", "five", False)]
    assert [c.name for _, c in feed_for(store).since("0-0", max_age_seconds=10**9)] == ["Ann"]
    idle = award_changed(store, config, at(MONDAY, 10))
    assert (idle.full, idle.agents, idle.awards) == (False, 0, [])
    assert award_changed(
        store,
        config,
        at(
            MONDAY + timedelta(days=1),
            0,
        ),
    ).full


def test_a_second_process_finds_the_lock_held_and_skips(store: Store) -> None:
    config = make_config(FIVE)
    queue = award_queue_for(store)
    token = queue.lock(60)
    assert token is not None
    try:
        assert award_changed(store, config, at(MONDAY)).skipped
    finally:
        queue.unlock(token)
    assert not award_changed(store, config, at(MONDAY)).skipped


def test_a_failed_round_marks_its_agents_again(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    config = make_config(FIVE)
    award_changed(store, config, at(MONDAY, 8))
    ingest_events(store, config, tickets("ann", MONDAY), now=at(MONDAY, 9))

    def down(*args: object, **kwargs: object) -> None:
        raise StoreUnavailable("down")

    monkeypatch.setattr("kpi.ingest.awarding.evaluate_achievements", down)
    with pytest.raises(StoreUnavailable):
        award_changed(store, config, at(MONDAY, 9))
    assert award_queue_for(store).take() == {"ann"}


def test_an_award_moves_the_data_version(store: Store) -> None:
    config = make_config(FIVE)
    award_changed(store, config, at(MONDAY, 8))
    ingest_events(store, config, tickets("ann", MONDAY, 5), now=at(MONDAY, 9))
    before = store.data_version()
    assert award_changed(store, config, at(MONDAY, 9)).awards
    assert store.data_version() > before


def test_an_agent_who_opted_out_is_awarded_but_not_celebrated(store: Store) -> None:
    from kpi.model.agents import AgentChoices
    from kpi.store.agent_choices import choices_for

    config = make_config(FIVE)
    award_changed(store, config, at(MONDAY, 8))
    choices_for(store).save("ann", AgentChoices(celebrate_badges=False))
    ingest_events(store, config, tickets("ann", MONDAY, 5) + tickets("bob", MONDAY, 5), now=at(MONDAY, 9))
    done = award_changed(store, config, at(MONDAY, 9))
    assert sorted(a.member for a in done.awards) == ["ann", "bob"]
    assert [c.name for _, c in feed_for(store).since("0-0", max_age_seconds=10**9)] == ["Bob"]
