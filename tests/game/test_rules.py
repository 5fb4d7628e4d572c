"""Every rule kind, awarded from an event history through the store (memory and real Redis)."""

from __future__ import annotations

from kpi.config import Config
from kpi.store.base import Store
from tests.game.points_helpers import ev, make_config, points, rating


def test_base_points_are_awarded_per_event(store: Store, rules: Config) -> None:
    store.upsert([ev("t1"), ev("t2")], rules)
    assert points(store) == 20


def test_priority_multiplies_the_base(store: Store, rules: Config) -> None:
    urgent, low = ev("t1", attributes={"priority": "urgent"}), ev("t2", attributes={"priority": "low"})
    store.upsert([urgent, low], rules)
    assert points(store) == 30 + 5


def test_multipliers_of_several_attributes_compound(store: Store, rules: Config) -> None:
    store.upsert([ev("t1", attributes={"priority": "high", "channel": "phone", "complexity": "high"})], rules)
    assert points(store) == 10 * 2 * 1.5 * 2


def test_an_unlisted_attribute_value_counts_as_one(store: Store, rules: Config) -> None:
    store.upsert([ev("t1", attributes={"priority": "whenever", "channel": "email"})], rules)
    assert points(store) == 10


def test_deal_size_band_multiplies_the_base(store: Store, rules: Config) -> None:
    store.upsert([ev("d1", "deal_won", value=9999), ev("d2", "deal_won", value=10000)], rules)
    assert points(store) == 20 + 30


def test_first_contact_resolution_bonus_is_added(store: Store, rules: Config) -> None:
    store.upsert([ev("t1", attributes={"priority": "high", "first_contact_resolution": True})], rules)
    assert points(store) == 20 + 5


def test_backlog_bonus_needs_a_ticket_older_than_the_threshold(store: Store, rules: Config) -> None:
    old = ev("t1", attributes={"created_at": "2026-11-01T09:00:00+01:00"})
    young = ev("t2", attributes={"created_at": "2026-11-20T09:00:00+01:00"})
    store.upsert([old, young], rules)
    assert points(store) == (10 + 10) + 10


def test_sla_breach_costs_points(store: Store, rules: Config) -> None:
    store.upsert([ev("t1", attributes={"sla_breached": True})], rules)
    assert points(store) == 10 - 4


def test_reopened_ticket_takes_its_points_back(store: Store, rules: Config) -> None:
    store.upsert([ev("t1", attributes={"priority": "urgent", "reopened": True}), ev("t2")], rules)
    assert points(store) == 10


def test_csat_5_on_the_same_ticket_earns_the_bonus(store: Store, rules: Config) -> None:
    store.upsert([ev("t1"), rating("r1", "t1", 5)], rules)
    assert points(store) == 10 + 15


def test_csat_below_5_earns_no_bonus(store: Store, rules: Config) -> None:
    store.upsert([ev("t1"), rating("r1", "t1", 4)], rules)
    assert points(store) == 10


def test_the_bonus_goes_to_the_tickets_agent_team_and_day(store: Store, rules: Config) -> None:
    ticket = ev("t1", agent_id="bo", team="South", occurred_at="2026-11-23T10:00:00+01:00")
    store.upsert([ticket, rating("r1", "t1", 5, agent_id="ann", team="North")], rules)
    assert points(store, "bo", "2026-11-23") == 25
    assert points(store, "South", "2026-11-23", "team") == 25
    assert points(store, "ann") == 0


def test_a_rating_naming_no_known_ticket_earns_nothing(store: Store, rules: Config) -> None:
    store.upsert([rating("r1", "nope", 5), ev("r2", "csat_rating", value=5)], rules)
    assert points(store) == 0


def test_a_reopened_ticket_earns_no_rating_bonus(store: Store, rules: Config) -> None:
    store.upsert([ev("t1", attributes={"reopened": True}), rating("r1", "t1", 5)], rules)
    assert points(store) == 0


def test_team_points_are_the_sum_of_their_agents(store: Store, rules: Config) -> None:
    store.upsert([ev("t1"), ev("t2", agent_id="bo", attributes={"priority": "high"})], rules)
    assert points(store, "North", scope="team") == 30


def test_points_count_in_every_period_bucket(store: Store, rules: Config) -> None:
    store.upsert([ev("t1")], rules)
    assert [points(store, bucket=b) for b in ("2026-W48", "2026-11", "2026-Q4", "2026")] == [10] * 4


def test_events_of_a_type_without_a_rule_earn_nothing(store: Store) -> None:
    config = make_config({"rules": {"deal_won": {"base": 1}}})
    store.upsert([ev("t1")], config)
    assert points(store) == 0


def test_events_before_effective_from_earn_nothing(store: Store) -> None:
    config = make_config({"effective_from": "2026-11-25", "rules": {"ticket_solved": {"base": 10}}})
    store.upsert([ev("t1"), ev("t2", occurred_at="2026-11-25T00:30:00+01:00")], config)
    assert points(store, bucket="2026-11") == 10


def test_events_before_effective_from_are_scored_by_the_previous_rules(store: Store) -> None:
    config = make_config(
        {
            "effective_from": "2026-11-25",
            "rules": {"ticket_solved": {"base": 10}},
            "previous": [{"effective_from": "2026-01-01", "rules": {"ticket_solved": {"base": 3}}}],
        }
    )
    store.upsert([ev("t1"), ev("t2", occurred_at="2026-11-25T00:30:00+01:00")], config)
    assert (points(store), points(store, bucket="2026-11")) == (3, 13)


def test_no_rules_means_no_points(store: Store) -> None:
    store.upsert([ev("t1")], make_config({"rules": {}}))
    assert store.figures("points", "2026-11-24", "agent") == {}
