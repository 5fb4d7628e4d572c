"""Lead changes in a challenge's last hour: detected from two looks, rate-limited per instance."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from kpi.game.challenge_scoring import lead_change
from kpi.game.challenges import LeadChangeRule
from kpi.ingest.challenges import LEAD, challenge_moments
from kpi.model.challenge_results import Entry, LeadRecord, Standings
from kpi.store import RedisStore
from tests.challenges.support import MONDAY, at, make_config, tickets, write

END = datetime(2026, 11, 9, tzinfo=timezone.utc)
RULE = LeadChangeRule(last_minutes=60, every_minutes=15)


def _led_by(*leaders: str) -> Standings:
    return Standings("agent", "value", tuple(Entry(1, m, m.title(), None, 5.0, 5.0, 5) for m in leaders))


def test_a_new_leader_in_the_last_hour_is_celebrated() -> None:
    record, leader = lead_change(LeadRecord(("ann",)), _led_by("bob"), END - timedelta(minutes=30), END, RULE)
    assert leader is not None and leader.id == "bob"
    assert record == LeadRecord(("bob",), END - timedelta(minutes=30))


def test_a_lead_change_before_the_last_hour_is_not_celebrated() -> None:
    record, leader = lead_change(LeadRecord(("ann",)), _led_by("bob"), END - timedelta(minutes=90), END, RULE)
    assert leader is None and record.leaders == ("bob",)


def test_the_first_look_only_records_the_leaders() -> None:
    assert lead_change(None, _led_by("bob"), END - timedelta(minutes=5), END, RULE)[1] is None


def test_a_second_change_within_the_rate_limit_is_not_celebrated() -> None:
    celebrated = END - timedelta(minutes=20)
    record, leader = lead_change(
        LeadRecord(("bob",), celebrated), _led_by("ann"), END - timedelta(minutes=10), END, RULE
    )
    assert leader is None and record == LeadRecord(("ann",), celebrated)


def test_a_change_after_the_rate_limit_is_celebrated_again() -> None:
    celebrated = END - timedelta(minutes=40)
    _, leader = lead_change(
        LeadRecord(("bob",), celebrated), _led_by("ann"), END - timedelta(minutes=20), END, RULE
    )
    assert leader is not None and leader.id == "ann"


def test_a_disabled_rule_never_celebrates() -> None:
    off = LeadChangeRule(enabled=False)
    assert lead_change(LeadRecord(("ann",)), _led_by("bob"), END - timedelta(minutes=5), END, off)[1] is None


def test_lead_changes_are_published_from_the_store_once_per_rate_window(redis_store: RedisStore) -> None:
    config = make_config({"id": "sprint", "kind": "race", "metric": "tickets_solved"})
    end = at(MONDAY + timedelta(days=7), 0)
    write(redis_store, config, tickets("ann", MONDAY, 3))
    assert challenge_moments(redis_store, config, end - timedelta(minutes=50)) == []
    write(redis_store, config, tickets("bob", MONDAY, 4))
    moments = challenge_moments(redis_store, config, end - timedelta(minutes=45))
    assert [(m.kind, m.agent_id) for m in moments] == [(LEAD, "bob")]
    write(redis_store, config, tickets("ann", MONDAY, 2))
    assert challenge_moments(redis_store, config, end - timedelta(minutes=40)) == []


def test_a_collaborative_target_reached_is_celebrated_once(redis_store: RedisStore) -> None:
    config = make_config({"id": "team", "kind": "collaborative", "metric": "tickets_solved", "target": 5})
    write(redis_store, config, tickets("ann", MONDAY, 6))
    first = challenge_moments(redis_store, config, at(MONDAY, 12))
    assert [m.kind for m in first] == ["challenge_target"]
    assert challenge_moments(redis_store, config, at(MONDAY, 13)) == []
