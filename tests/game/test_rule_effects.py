"""Each points rule's effect by team: the parts add up to exactly the points the figures hold."""

from __future__ import annotations

from datetime import datetime, timezone

from kpi.game.points import TypeRule
from kpi.ingest.pipeline import ingest_events
from kpi.read.rule_effects import parts_of, rule_effects
from kpi.store.base import Store
from tests.game.points_helpers import DAY, RULES, ev, make_config, points, rating

NOW = datetime(2026, 11, 24, 15, tzinfo=timezone.utc)


def test_parts_add_up_to_the_score() -> None:
    rule = TypeRule.model_validate(RULES["ticket_solved"])
    urgent = ev(
        "t1", attributes={"priority": "urgent", "first_contact_resolution": True, "sla_breached": True}
    )
    assert parts_of(rule, urgent) == {"base": 30.0, "bonus:fcr": 5, "penalty:sla": -4}
    reopened = ev("t2", attributes={"reopened": True, "first_contact_resolution": True})
    assert parts_of(rule, reopened) == {"base": 0.0, "penalty:reopened": -0}
    for event in (urgent, reopened):
        assert sum(parts_of(rule, event).values()) == rule.score(event).points


def test_effects_by_team_equal_the_points_figures(store: Store) -> None:
    config = make_config()
    events = [
        ev("t1", attributes={"priority": "urgent"}),
        ev("t2", attributes={"first_contact_resolution": True}),
        ev("t3", attributes={"reopened": True}),
        rating("r1", "t1", 5),
        rating("r2", "t3", 5),  # its ticket took its points back: the rating gives nothing
        ev("t4", agent_id="bob", team="Sales", attributes={"sla_breached": True}),
    ]
    ingest_events(store, config, events, now=NOW)
    effects = rule_effects(store, config, NOW)
    by_team: dict[str, float] = {}
    for effect in effects:
        by_team[effect.team] = by_team.get(effect.team, 0) + effect.points
    assert by_team["North"] == points(store, "North", DAY, "team")
    assert by_team["Sales"] == points(store, "Sales", DAY, "team")
    parts = {(e.event_type, e.part, e.team): e.points for e in effects}
    assert parts[("csat_rating", "bonus:csat_5", "North")] == 15
    assert parts[("ticket_solved", "penalty:sla", "Sales")] == -4


def test_events_older_than_the_window_do_not_count(store: Store) -> None:
    config = make_config()
    ingest_events(store, config, [ev("t1")], now=NOW)
    later = datetime(2027, 1, 30, tzinfo=timezone.utc)
    assert rule_effects(store, config, later) == []
