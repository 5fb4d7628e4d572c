"""The Zendesk connector against a local replay of the incremental ticket export, into a real Redis."""

from __future__ import annotations

import base64
import json
from datetime import UTC, datetime

import pytest
from pytest_httpserver import HTTPServer
from replays.zendesk import MONTH, TOKEN, ZendeskReplay

from connectors.testing import Replay
from kpi.store import RedisStore
from kpi.store.sync_state import sync_state_for


@pytest.fixture
def scenario(httpserver: HTTPServer) -> ZendeskReplay:
    return ZendeskReplay(httpserver)


@pytest.fixture
def replay(scenario: ZendeskReplay) -> Replay:
    return scenario.feed


def counts(store: RedisStore, metric_name: str, scope: str = "agent") -> dict[str, int]:
    return {member: figs.count for member, figs in store.figures(metric_name, MONTH, scope).items()}


def test_sync_counts_each_solved_ticket_for_its_latest_assignee(replay, connector, runner, redis_store):
    runner.run(connector)
    assert counts(redis_store, "tickets_solved") == {"zendesk:501": 1, "zendesk:503": 1}


def test_deleted_ticket_retracts_its_solve_and_its_rating(replay, connector, runner, redis_store):
    runner.run(connector)
    assert redis_store.record("zendesk", "ticket:2").deleted
    assert "zendesk:502" not in redis_store.figures("csat", MONTH, "agent")


def test_good_and_bad_ratings_become_csat_scores(replay, connector, runner, redis_store):
    runner.run(connector)
    csat = redis_store.figures("csat", MONTH, "agent")
    assert {m: (f.count, f.total) for m, f in csat.items()} == {
        "zendesk:501": (1, 5000),
        "zendesk:503": (1, 5000),
    }


def test_teams_are_the_agents_default_groups(replay, connector, runner, redis_store):
    runner.run(connector)
    assert counts(redis_store, "tickets_solved", "team") == {"Tier 1": 2}


def test_agent_names_come_from_sideloaded_users(replay, connector, runner, redis_store):
    runner.run(connector)
    assert {a.id: a.name for a in redis_store.agents().values()} == {
        "zendesk:501": "Ada Agent",
        "zendesk:502": "Bo Agent",
        "zendesk:503": "Cy Agent",
    }


def test_reply_and_resolution_times_are_event_attributes(replay, connector, runner, redis_store):
    runner.run(connector)
    stored = json.loads(redis_store.record("zendesk", "ticket:1").event_json)
    assert {k: stored["attributes"][k] for k in ("reply_time_minutes", "full_resolution_minutes")} == {
        "reply_time_minutes": 30,
        "full_resolution_minutes": 115,
    }


def test_solved_tickets_carry_what_the_points_rules_read(replay, connector, runner, redis_store):
    runner.run(connector)
    reopened = json.loads(redis_store.record("zendesk", "ticket:1").event_json)["attributes"]
    first_touch = json.loads(redis_store.record("zendesk", "ticket:4").event_json)["attributes"]
    quality = ("priority", "created_at", "reopened", "first_contact_resolution", "sla_breached")
    assert [reopened.get(k) for k in quality] == ["high", "2026-11-01T08:00:00+00:00", True, False, True]
    assert [first_touch.get(k) for k in quality] == ["urgent", "2026-10-10T08:00:00+00:00", False, True, None]


def test_ratings_name_their_tickets_record(replay, connector, runner, redis_store):
    runner.run(connector)
    stored = json.loads(redis_store.record("zendesk", "csat:4").event_json)
    assert stored["attributes"] == {"score": "good", "ticket_id": "ticket:4"}


def test_default_rules_reward_quality_and_take_back_reopened_tickets(replay, connector, runner, redis_store):
    runner.run(connector)
    points = redis_store.figures("points", MONTH, "agent")
    assert {m: f.total / 1000 for m, f in points.items()} == {"zendesk:501": 60.0, "zendesk:503": -5.0}


def test_solve_is_dated_by_the_ticket_metrics_solved_at(replay, connector, runner, redis_store):
    runner.run(connector)
    stored = json.loads(redis_store.record("zendesk", "ticket:4").event_json)
    assert stored["occurred_at"] == "2026-11-03T10:30:00Z"


def test_skipped_records_are_counted_in_the_health_record(replay, connector, runner, redis_store):
    runner.run(connector)
    health = sync_state_for(redis_store).health()["zendesk"]
    assert (health["status"], health["records"], health["skipped"]) == ("ok", "7", "1")


def test_first_run_starts_at_the_configured_start_date(replay, connector, runner):
    runner.run(connector)
    assert replay.seen[0].args["start_time"] == str(int(datetime(2026, 11, 1, tzinfo=UTC).timestamp()))


def test_requests_authenticate_with_email_slash_token(replay, connector, runner):
    runner.run(connector)
    expected = base64.b64encode(f"bot@acme.test/token:{TOKEN}".encode()).decode()
    assert replay.seen[0].headers["Authorization"] == f"Basic {expected}"


def test_next_poll_continues_from_the_saved_after_cursor(replay, connector, runner):
    runner.run(connector)
    runner.run(connector)
    assert replay.seen[-1].args["cursor"] == "c3"
