"""The demo: a simulated floor that writes realistic history and live events through the upsert path."""

from __future__ import annotations

from collections import Counter
from datetime import datetime, timedelta, timezone

from connectors.simulator import SimulatedFloor
from kpi.config import Config
from kpi.read.rankings import ranking
from kpi.store import RedisStore
from wallboard.demo import DemoFeed

NOW = datetime(2026, 11, 24, 13, 0, tzinfo=timezone.utc)


def test_demo001_history_has_three_teams_thirty_agents_and_every_kind_of_event(config: Config) -> None:
    events = list(SimulatedFloor(config.zone).history(14, NOW))
    assert len({e.agent_id for e in events}) == 30
    assert {e.team for e in events} == {"Support", "Phones", "Sales"}
    assert set(Counter(e.type for e in events)) == {
        "ticket_solved",
        "call_handled",
        "deal_won",
        "csat_rating",
        "nps_response",
    }
    assert all(e.occurred_at <= NOW + timedelta(hours=4) for e in events)


def test_demo002_weekdays_are_busier_than_weekends(config: Config) -> None:
    events = list(SimulatedFloor(config.zone).history(28, NOW))
    per_weekday = Counter(
        e.occurred_at.astimezone(config.zone).weekday() for e in events if e.type == "ticket_solved"
    )
    assert per_weekday[0] > 5 * per_weekday[6]


def test_demo003_live_events_include_corrections_and_retractions(config: Config) -> None:
    floor = SimulatedFloor(config.zone, seed=3)
    list(floor.history(2, NOW))
    live = [e for tick in range(300) for e in floor.live(NOW + timedelta(seconds=3 * tick), 3)]
    assert any(e.deleted for e in live)
    assert any(e.updated_at is not None and not e.deleted for e in live)


def test_demo004_feed_backfills_a_store_that_then_ranks(config: Config, redis_store: RedisStore) -> None:
    feed = DemoFeed(redis_store, config, days=7, tick_seconds=3, clock=lambda: NOW)
    result = feed.backfill()
    assert result.received == result.new > 1000
    rows = ranking(redis_store, config, "tickets_solved", "week", "2026-W48", limit=3)
    assert len(rows) == 3 and rows[0].value >= rows[-1].value > 0


def test_demo005_tickets_carry_what_the_points_rules_read(config: Config) -> None:
    events = list(SimulatedFloor(config.zone).history(14, NOW))
    tickets = [e for e in events if e.type == "ticket_solved"]
    assert {e.attributes["priority"] for e in tickets} == {"urgent", "high", "normal", "low"}
    assert {e.attributes["channel"] for e in tickets} == {"email", "chat", "phone"}
    for flag in ("reopened", "sla_breached", "first_contact_resolution"):
        share = sum(bool(e.attributes[flag]) for e in tickets) / len(tickets)
        assert 0 < share < 0.6, flag
    ticket_ids = {e.id for e in tickets}
    linked = [e for e in events if e.type == "csat_rating" and "ticket_id" in e.attributes]
    assert linked and all(e.attributes["ticket_id"] in ticket_ids for e in linked)


def test_demo006_the_demo_shows_quality_points(config: Config, redis_store: RedisStore) -> None:
    floor = SimulatedFloor(config.zone)
    events = list(floor.history(7, NOW))
    redis_store.upsert(events, config)
    week = "2026-W48"
    assert redis_store.figures("solved_by_phone", week, "agent")
    assert redis_store.figures("tickets_reopened", week, "agent")
    support = {a.id for a in floor.agents if a.team == "Support"}
    points = redis_store.figures("points", week, "agent", sorted(support))
    solved = redis_store.figures("tickets_solved", week, "agent", sorted(support))
    rated = sum(f.count for f in points.values()) > sum(f.count for f in solved.values())
    assert rated, "CSAT-5 bonuses linked to tickets add point contributions beyond the tickets' own"


def test_the_demo_prints_a_personal_link_that_signs_an_agent_in_to_their_own_page(
    capsys, config: Config
) -> None:  # noqa: ANN001
    import argparse

    from dashboard import create_app
    from kpi.config.settings import Settings
    from kpi.store import MemoryStore
    from wallboard.commands import DEMO_AGENT, _print_demo_urls

    store, settings = MemoryStore(), Settings(secret_key="s" * 32)
    app = create_app(settings, config=config, store=store)
    _print_demo_urls(argparse.Namespace(host="127.0.0.1", port=8050, days=90), config, settings, "pw", store)
    line = next(li for li in capsys.readouterr().out.splitlines() if "Agent page:" in li)
    link = line.split()[2]
    client = app.server.test_client()
    opened = client.get(link.removeprefix("http://127.0.0.1:8050"))
    assert opened.status_code == 302 and opened.headers["Location"].endswith("/me")
    assert DEMO_AGENT in line and client.get("/me").status_code == 200
