"""Each points rule's effect by team: tallies kept by the upsert, exact under corrections and retractions.

The tallies are checked against a recomputation from the final live events alone (each event scored part
by part, a rating counted for its ticket's team and day while the ticket is live and keeps its points).
"""

from __future__ import annotations

import random
from datetime import datetime, timezone

import pytest

from kpi.config import Config
from kpi.game.points import TypeRule
from kpi.ingest.pipeline import ingest_events
from kpi.model.contributions import SCALE, Figures
from kpi.model.events import Event
from kpi.model.periods import bucket_of, local_day
from kpi.read.rule_effects import rule_effects
from kpi.store.base import Store
from tests.game.points_helpers import DAY, RULES, ev, make_config, points, rating

NOW = datetime(2026, 11, 24, 15, tzinfo=timezone.utc)
DAYS = ["2026-11-20", "2026-11-23", "2026-11-24"]
Tallies = dict[tuple[str, str], Figures]


def test_parts_add_up_to_the_score() -> None:
    rule = TypeRule.model_validate(RULES["ticket_solved"])
    urgent = ev(
        "t1", attributes={"priority": "urgent", "first_contact_resolution": True, "sla_breached": True}
    )
    assert dict(rule.score(urgent).parts) == {"base": 30.0, "bonus:fcr": 5, "penalty:sla": -4}
    reopened = ev("t2", attributes={"reopened": True, "first_contact_resolution": True})
    assert dict(rule.score(reopened).parts) == {"penalty:reopened": 0}
    for event in (urgent, reopened):
        assert sum(v for _, v in rule.score(event).parts) == rule.score(event).points


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
    parts = {(e.event_type, e.part, e.team): (e.points, e.events) for e in effects}
    assert parts[("csat_rating", "bonus:csat_5", "North")] == (15, 1)
    assert parts[("ticket_solved", "penalty:sla", "Sales")] == (-4, 1)
    assert parts[("ticket_solved", "penalty:reopened", "North")] == (0, 1)


def test_events_older_than_the_window_do_not_count(store: Store) -> None:
    config = make_config()
    ingest_events(store, config, [ev("t1")], now=NOW)
    later = datetime(2027, 1, 30, tzinfo=timezone.utc)
    assert rule_effects(store, config, later) == []


def _version(rng: random.Random, record: str, minute: int) -> Event:
    """A random version of one record: a ticket, or a rating of one of the tickets."""
    common = {
        "agent_id": rng.choice(("ann", "bo")),
        "team": rng.choice(("North", "South")),
        "occurred_at": f"{rng.choice(DAYS)}T10:00:00+01:00",
        "updated_at": f"2026-11-24T12:{minute:02d}:00+00:00",
        "deleted": rng.random() < 0.15,
    }
    if record.startswith("r"):
        return rating(record, f"t{rng.randrange(4)}", rng.choice((3, 5)), **common)
    flags = ("first_contact_resolution", "reopened", "sla_breached")
    attributes = {flag: rng.random() < 0.3 for flag in flags}
    attributes["priority"] = rng.choice(("urgent", "low", "normal"))
    return ev(record, attributes=attributes, **common)


def _history(seed: int) -> tuple[list[Event], list[Event]]:
    """Several versions of four tickets and three ratings in shuffled order, and each record's newest."""
    rng = random.Random(seed)
    versions = [_version(rng, r, m) for r in ("t0", "t1", "t2", "t3", "r0", "r1", "r2") for m in range(3)]
    newest = {e.id: e for e in sorted(versions, key=lambda e: e.version)}
    rng.shuffle(versions)
    return versions, list(newest.values())


def _recomputed(config: Config, final: list[Event]) -> Tallies:
    """The tallies from the newest version of each record, scored again part by part."""
    book = config.points.rule_book(config.zone)
    assert book is not None
    live = {e.id: e for e in final if not e.deleted}
    found: Tallies = {}
    for event in live.values():
        score = book.score(event)
        if score is None:
            continue
        home: Event | None = event
        if score.link is not None:
            home = live.get(score.link)
            target = book.score(home) if home is not None else None
            if target is None or not target.linkable or not score.points:
                continue
        assert home is not None
        day = bucket_of(local_day(home.occurred_at, config.zone), "day")
        for part, value in score.parts:
            key = (day, home.team or "", f"{event.type}|{part}")
            found[key] = found.get(key, Figures()) + Figures(1, round(value * SCALE))  # type: ignore[index]
    return found  # type: ignore[return-value]


def _stored(store: Store) -> Tallies:
    return {(day, *key): f for day in DAYS for key, f in store.rule_tallies([day]).items()}  # type: ignore[misc]


@pytest.mark.parametrize("seed", range(8))
def test_tallies_follow_corrections_and_retractions_exactly(store: Store, seed: int) -> None:
    config = make_config()
    versions, final = _history(seed)
    for event in versions:
        store.upsert([event], config)
    assert _stored(store) == _recomputed(config, final)


def test_tallies_of_a_retracted_history_are_empty(store: Store) -> None:
    config = make_config()
    versions, final = _history(3)
    store.upsert(versions, config)
    retractions = [e.model_copy(update={"deleted": True, "updated_at": NOW}) for e in final]
    store.upsert(retractions, config)
    assert store.rule_tallies(DAYS) == {}


def test_rescore_rebuilds_the_tallies_with_the_new_rules(store: Store) -> None:
    versions, final = _history(5)
    store.upsert(versions, make_config({"rules": {"ticket_solved": {"base": 1}}}))
    changed = {**RULES, "ticket_solved": {**RULES["ticket_solved"], "base": 7}}
    config = make_config({"rules": changed})
    store.rescore(config)
    assert _stored(store) == _recomputed(config, final)
