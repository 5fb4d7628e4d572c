"""How awards are found: live or retroactive, celebrated or not, and what a correction does to them."""

from __future__ import annotations

from datetime import timedelta

import pytest

from kpi.ingest.achievements import evaluate_achievements
from kpi.ingest.pipeline import ingest_events
from kpi.model.events import Event
from kpi.read.achievements import agent_level, progress
from kpi.store.awards import awards_for
from kpi.store.base import Store
from kpi.store.celebration_feed import feed_for
from kpi.store.redis_store import RedisStore
from tests.game.support import MONDAY, at, event, grounds, ingest_and_evaluate, make_config, tickets

pytestmark = pytest.mark.cluster
"""Also on a three-master Redis Cluster (tests/conftest.py)."""

MILESTONES = {
    "five": {"kind": "milestone", "metric": "tickets_solved", "target": 5, "celebrate": True},
    "ten": {"kind": "milestone", "metric": "tickets_solved", "target": 10, "celebrate": True},
}


def _celebrated(store: Store) -> list[str]:
    return [c.title for _, c in feed_for(store).since("0-0", max_age_seconds=3600, limit=50)]


def test_switching_badges_on_over_history_awards_with_the_original_dates_and_celebrates_nothing(
    store: Store,
) -> None:
    config = make_config(MILESTONES)
    old = [t for d in range(4) for t in tickets("ann", MONDAY + timedelta(days=d), 3)]
    ingest_events(store, config, old, now=at(MONDAY - timedelta(days=30)))
    today = MONDAY + timedelta(days=3)
    awards = evaluate_achievements(store, config, at(today, 12))
    assert sorted((a.badge, a.earned_on) for a in awards) == [
        ("five", MONDAY + timedelta(days=1)),
        ("ten", today),  # earned today, but found when the badge was switched on: still retroactive
    ]
    assert all(a.retroactive and not a.celebrate for a in awards)
    assert _celebrated(store) == []


def test_a_badge_earned_live_is_celebrated_once_and_an_old_one_found_late_is_not(store: Store) -> None:
    config = make_config(MILESTONES)
    today = MONDAY + timedelta(days=3)
    assert ingest_and_evaluate(store, config, tickets("ann", MONDAY, 4), at(today, 9)) == []
    awards = ingest_and_evaluate(store, config, tickets("ann", MONDAY, 2), at(today, 10))
    assert [(a.badge, a.retroactive, a.celebrate) for a in awards] == [("five", True, False)]  # dated Monday
    awards = ingest_and_evaluate(store, config, tickets("ann", today, 4), at(today, 11))
    assert [(a.badge, a.earned_on, a.retroactive, a.celebrate) for a in awards] == [
        ("ten", today, False, True)
    ]
    assert _celebrated(store) == ["Ten"]
    assert ingest_and_evaluate(store, config, tickets("ann", today), at(today, 12)) == []
    assert _celebrated(store) == ["Ten"]


def test_a_period_award_is_live_only_just_after_the_period_closed(store: Store) -> None:
    config = make_config({"champ": {"kind": "champion", "metric": "tickets_solved", "celebrate": True}})
    ingest_and_evaluate(store, config, tickets("ann", MONDAY, 2), at(MONDAY, 12))
    closed = MONDAY + timedelta(days=7)
    (award,) = evaluate_achievements(store, config, at(closed, 0) + timedelta(minutes=5))
    assert (award.retroactive, award.celebrate) == (False, True)


def test_hidden_agents_and_test_badges_are_never_celebrated(store: Store) -> None:
    config = make_config(
        {**MILESTONES, "trial": {"kind": "milestone", "metric": "tickets_solved", "target": 1, "test": True,
                                 "celebrate": True}},
        agents={"bob": {"hide_from_screens": True}},
    )  # fmt: skip
    evaluate_achievements(store, config, at(MONDAY, 8))  # switches the badges on
    awards = ingest_and_evaluate(
        store, config, tickets("ann", MONDAY) + tickets("bob", MONDAY, 5), at(MONDAY, 9)
    )
    by = {(a.member, a.badge): a for a in awards}
    assert by[("ann", "trial")].test and not by[("ann", "trial")].celebrate
    assert by[("bob", "five")].celebrate  # the award says so; the feed leaves the hidden agent out
    assert _celebrated(store) == []


def _ticket(record: str, day, *, deleted: bool = False, version: int = 0) -> Event:  # noqa: ANN001
    return Event(
        source="test",
        id=record,
        type="ticket_solved",
        agent_id="ann",
        team="Support",
        occurred_at=at(day),
        updated_at=at(day, 12) + timedelta(days=10 * version),
        deleted=deleted,
    )


def test_a_correction_that_takes_the_grounds_away_withdraws_the_award(store: Store) -> None:
    config = make_config(MILESTONES)
    history = [_ticket(f"t{i}", MONDAY) for i in range(5)]
    (award,) = ingest_and_evaluate(store, config, history, at(MONDAY, 15))
    assert award.badge == "five"
    ingest_and_evaluate(store, config, [_ticket("t0", MONDAY, deleted=True, version=1)], at(MONDAY, 16))
    assert awards_for(store).held([("agent", "ann")])[("agent", "ann")] == {}
    assert ingest_and_evaluate(store, config, [_ticket("t9", MONDAY)], at(MONDAY, 17))[0].badge == "five"


def test_a_correction_that_moves_the_grounds_re_dates_the_award_without_a_new_one(store: Store) -> None:
    config = make_config(MILESTONES)
    tuesday = MONDAY + timedelta(days=1)
    history = [_ticket(f"t{i}", MONDAY) for i in range(4)] + [_ticket("t4", tuesday)]
    ingest_and_evaluate(store, config, history, at(tuesday, 15))
    moved = _ticket("t4", MONDAY, version=1)
    assert ingest_and_evaluate(store, config, [moved], at(tuesday, 16)) == []
    (award,) = awards_for(store).held([("agent", "ann")])[("agent", "ann")].values()
    assert award.earned_on == MONDAY


def test_a_champion_overtaken_by_a_late_record_loses_the_week_to_the_new_winner(store: Store) -> None:
    config = make_config({"champ": {"kind": "champion", "metric": "tickets_solved"}})
    ingest_and_evaluate(store, config, tickets("ann", MONDAY, 3) + tickets("bob", MONDAY, 2), at(MONDAY, 9))
    later = at(MONDAY + timedelta(days=8))
    assert {a.member for a in evaluate_achievements(store, config, later)} == {"ann"}
    (award,) = ingest_and_evaluate(store, config, tickets("bob", MONDAY, 2), later + timedelta(hours=1))
    assert (award.member, award.retroactive) == ("bob", True)
    assert awards_for(store).holders("champ", ["2026-W45"]) == {"2026-W45": {("agent", "bob")}}


def test_progress_shows_how_far_each_badge_is_and_when_it_was_earned(store: Store) -> None:
    config = make_config(
        {
            **MILESTONES,
            "steady": {"kind": "streak", "metric": "tickets_solved", "days": 5},
            "rounder": {"kind": "every_channel", "channels": {"email": "by_email", "chat": "by_chat"}},
            "team": {"kind": "milestone", "metric": "tickets_solved", "target": 50, "team": True},
        }
    )
    wednesday = MONDAY + timedelta(days=2)
    history = (
        tickets("ann", MONDAY, 4, channel="email") + tickets("ann", wednesday, 3) + tickets("bob", MONDAY, 2)
    )
    ingest_and_evaluate(store, config, history, at(wednesday, 15))
    shown = {p.id: p for p in progress(store, config, "ann", at(wednesday, 16))}
    assert (shown["five"].earned_at, shown["five"].times) == (wednesday, 1)
    assert (shown["ten"].earned_at, shown["ten"].progress, shown["ten"].target) == (None, 7, 10)
    assert (shown["steady"].progress, shown["steady"].target) == (1, 5)  # Tuesday broke the run
    assert (shown["rounder"].progress, shown["rounder"].target) == (1, 2)
    assert shown["team"].team and (shown["team"].progress, shown["team"].target) == (9, 50)
    assert shown["ten"].public() == {
        "id": "ten", "name": "Ten", "criterion": "Test it.", "group": "mastery", "icon": "support-master.svg",
        "earned_at": None, "times": 0, "progress": 7.0, "target": 10.0,
    }  # fmt: skip


def test_the_level_comes_from_lifetime_points(store: Store) -> None:
    config = make_config({})
    ingest_events(store, config, [event("points_earned", "ann", MONDAY, value=v) for v in (70, 45)])
    level = agent_level(store, config, "ann")
    assert (level.name, level.index, level.points, level.next_at) == ("Pro", 1, 115, None)
    assert agent_level(store, config, "nobody").name == "Rookie"


def test_redis_keeps_awards_under_the_namespace_keys(redis_store: RedisStore) -> None:
    config = make_config(MILESTONES)
    ingest_and_evaluate(redis_store, config, tickets("ann", MONDAY, 5), at(MONDAY, 12))
    keys = set(redis_store.client.scan_iter(match="*"))
    assert {
        "wb:{main}:awards:agent:ann",
        "wb:{main}:awards:holders:five:",
        "wb:{main}:awards:subjects",
        "wb:{main}:awards:recent",
        "wb:{main}:awards:enabled",
    } <= keys
    assert [a.badge for a in awards_for(redis_store).recent()] == ["five"]


def test_two_evaluations_at_once_store_and_return_an_award_only_once(store: Store) -> None:
    config = make_config(MILESTONES)
    ingest_events(store, config, tickets("ann", MONDAY, 5))
    first = evaluate_achievements(store, config, at(MONDAY, 12))
    book = awards_for(store)
    assert book.add(first) == []
    assert grounds(first) == {("five", "agent", "ann", "", MONDAY)}
