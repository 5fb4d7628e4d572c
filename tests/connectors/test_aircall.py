"""The Aircall connector against a local replay of ``GET /v1/calls`` with its rate-limit headers."""

from __future__ import annotations

import base64
import json
from typing import Any

import pytest
from pytest_httpserver import HTTPServer
from replays.aircall import API_ID, API_TOKEN, DAY_BEFORE, MONTH, NOW, PAGES, START, T3, AircallReplay

from connectors.testing import Answer, Replay
from kpi.store import RedisStore


@pytest.fixture
def scenario(httpserver: HTTPServer) -> AircallReplay:
    return AircallReplay(httpserver)


@pytest.fixture
def feed(scenario: AircallReplay) -> Replay:
    return scenario.feed


def handled(store: RedisStore) -> dict[str, tuple[int, float]]:
    return {m: (f.count, f.total / 1000) for m, f in store.figures("avg_handle_time", MONTH, "agent").items()}


def test_answered_calls_count_for_the_agent_with_their_handle_time(connector, runner, redis_store):
    runner.run(connector)
    assert handled(redis_store) == {"aircall:456": (2, 688.0), "aircall:457": (1, 100.0)}


def test_duration_and_wait_time_are_event_attributes(connector, runner, redis_store):
    runner.run(connector)
    stored = json.loads(redis_store.record("aircall", "call:5").event_json)
    assert stored["attributes"] == {"duration": 130, "direction": "inbound", "wait_seconds": 30.0}


def test_missed_call_is_not_counted(connector, runner, redis_store):
    runner.run(connector)
    assert redis_store.record("aircall", "call:2") is None


def test_call_reassigned_on_a_later_page_moves_to_the_new_agent(connector, runner, redis_store):
    runner.run(connector)
    assert json.loads(redis_store.record("aircall", "call:3").event_json)["agent_id"] == "aircall:456"


def test_query_restarts_from_the_last_start_time_before_the_cap(connector, runner, feed):
    runner.run(connector)
    assert [key_of(s) for s in feed.seen] == [f"{START}/1", f"{START}/2", f"{T3}/1", f"{T3}/2"]


def key_of(seen: Any) -> str:
    return f"{seen.args['from']}/{seen.args['page']}"


def test_query_asks_for_ascending_order_up_to_the_run_start(connector, runner, feed):
    runner.run(connector)
    assert (feed.seen[0].args["order"], feed.seen[0].args["to"]) == ("asc", str(int(NOW.timestamp())))


def test_next_run_rereads_the_trailing_window(connector, runner, redis_store, feed):
    runner.run(connector)
    runner.run(connector)
    assert key_of(feed.seen[-1]) == f"{DAY_BEFORE}/1"


def test_rate_limited_request_waits_until_the_aircall_reset_time(connector, runner, feed, waits):
    feed.set(
        f"{START}/2",
        Answer(
            {"error": "Too Many Requests"},
            429,
            {
                "X-AircallApi-Limit": "60",
                "X-AircallApi-Remaining": "0",
                "X-AircallApi-Reset": str(int(NOW.timestamp()) + 9),
            },
        ),
        PAGES[f"{START}/2"],
    )
    assert runner.run(connector).status == "ok"
    assert 9.0 in waits


def test_exhausted_allowance_delays_the_next_request_until_the_reset(connector, runner, feed, waits):
    first = PAGES[f"{START}/1"]
    feed.set(
        f"{START}/1",
        Answer(
            first.body,
            headers={
                **first.headers,
                "X-AircallApi-Remaining": "0",
                "X-AircallApi-Reset": str(int(NOW.timestamp()) + 42),
            },
        ),
    )
    runner.run(connector)
    assert waits == [pytest.approx(42.0, abs=1)]


def test_requests_use_basic_auth_with_the_api_id_and_token(connector, runner, feed):
    runner.run(connector)
    expected = base64.b64encode(f"{API_ID}:{API_TOKEN}".encode()).decode()
    assert feed.seen[0].headers["Authorization"] == f"Basic {expected}"
