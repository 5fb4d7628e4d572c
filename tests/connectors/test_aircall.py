"""The Aircall connector against a local replay of ``GET /v1/calls`` with its rate-limit headers."""

from __future__ import annotations

import base64
import json
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from connector_replay import Answer, Replay
from pytest_httpserver import HTTPServer
from werkzeug import Request

from connectors.core.runner import Runner
from connectors.vendors.aircall import CALLS, AircallCalls, AircallOptions
from kpi.config import Config
from kpi.store import RedisStore
from kpi.store.sync_state import sync_state_for

API_ID, API_TOKEN = "b4f3c2a1d0e9", "aircall-token-0f1e2d3c4b5a"
NOW = datetime(2026, 11, 5, 12, tzinfo=UTC)
START = int(datetime(2026, 11, 1, tzinfo=UTC).timestamp())
T1 = int(datetime(2026, 11, 2, 9, tzinfo=UTC).timestamp())
T3 = int(datetime(2026, 11, 3, 9, tzinfo=UTC).timestamp())
T5 = int(datetime(2026, 11, 5, 9, tzinfo=UTC).timestamp())
DAY_BEFORE = int((NOW - timedelta(hours=24)).timestamp())
MONTH = "2026-11"
USERS = {
    456: ("Madelaine Dupont", "madelaine.dupont@acme.test"),
    457: ("Omar Haddad", "omar.haddad@acme.test"),
}


def call(call_id: int, started: Any, user: int | None, wait: int = 12, talk: int = 288) -> dict[str, Any]:
    answered = started + wait if user and isinstance(started, int) else None
    return {
        "id": call_id,
        "direct_link": f"https://api.aircall.io/v1/calls/{call_id}",
        "sid": f"CA{call_id:032x}",
        "direction": "inbound",
        "status": "done",
        "missed_call_reason": None if user else "short_abandoned",
        "started_at": started,
        "answered_at": answered,
        "ended_at": (answered + talk) if answered else (started + 30 if isinstance(started, int) else None),
        "duration": wait + talk if user else 30,
        "raw_digits": "+1 800-123-4567",
        "archived": False,
        "cost": "0",
        "voicemail": None,
        "recording": None,
        "user": {
            "id": user,
            "direct_link": f"https://api.aircall.io/v1/users/{user}",
            "name": USERS[user][0],
            "email": USERS[user][1],
            "available": True,
        }
        if user
        else None,
        "number": {
            "id": 123,
            "direct_link": "https://api.aircall.io/v1/numbers/123",
            "name": "Support line",
            "digits": "+33 1 76 36 06 95",
        },
        "assigned_to": None,
        "tags": [],
        "comments": [],
        "teams": [],
    }


def calls(items: list[dict], page: int, more: bool, total: int = 6) -> Answer:
    meta = {
        "count": len(items),
        "total": total,
        "current_page": page,
        "per_page": 2,
        "next_page_link": f"https://api.aircall.io/v1/calls?page={page + 1}&per_page=2" if more else None,
        "previous_page_link": None,
    }
    return Answer(
        {"calls": items, "meta": meta},
        headers={
            "X-AircallApi-Limit": "60",
            "X-AircallApi-Remaining": "59",
            "X-AircallApi-Reset": str(int(NOW.timestamp()) + 60),
        },
    )


PAGES = {
    f"{START}/1": calls([call(1, T1, 456), call(2, T1 + 600, None)], 1, True),
    f"{START}/2": calls([call(3, T3, 457), call(4, "yesterday", 457)], 2, True),
    f"{T3}/1": calls([call(3, T3, 456, talk=400), call(5, T5, 457, wait=30, talk=100)], 1, True),
    f"{T3}/2": calls([], 2, False),
    f"{DAY_BEFORE}/1": calls([call(5, T5, 457, wait=30, talk=100)], 1, False),
}


def key(request: Request) -> str:
    return f"{request.args['from']}/{request.args['page']}"


@pytest.fixture
def feed(httpserver: HTTPServer) -> Replay:
    replay = Replay(httpserver, CALLS, key)
    for name, answer in PAGES.items():
        replay.add(name, answer)
    return replay


@pytest.fixture
def connector(httpserver: HTTPServer, waits: list[float], feed) -> AircallCalls:
    options = AircallOptions(
        base_url=httpserver.url_for(""),
        api_id_env="AIRCALL_ID",
        api_token_env="AIRCALL_TOKEN",
        start=date(2026, 11, 1),
        per_page=2,
        result_cap=4,
        retry_attempts=3,
    )
    return AircallCalls(
        "aircall", options, {"api_id": API_ID, "api_token": API_TOKEN}, sleep=waits.append, now=lambda: NOW
    )


@pytest.fixture
def runner(redis_store: RedisStore, config: Config) -> Runner:
    return Runner(redis_store, config)


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


def test_malformed_call_is_skipped_with_its_reason(connector, runner):
    report = runner.run(connector)
    assert [(s.record_id, s.reason) for s in report.skipped] == [("4", "not a timestamp: 'yesterday'")]


def test_second_sync_over_the_same_data_changes_nothing(connector, runner, redis_store):
    runner.run(connector)
    version = redis_store.data_version()
    runner.run(connector)
    runner.run(connector, since=datetime(2026, 11, 1, tzinfo=UTC))
    assert redis_store.data_version() == version


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


def test_retry_after_is_honoured_too(connector, runner, feed, waits):
    feed.set(f"{T3}/2", Answer("slow down", 429, {"Retry-After": "6"}), PAGES[f"{T3}/2"])
    assert runner.run(connector).status == "ok"
    assert 6.0 in waits


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


def test_server_error_is_retried_until_it_succeeds(connector, runner, feed, redis_store):
    feed.set(f"{T3}/1", Answer("bad gateway", 502), PAGES[f"{T3}/1"])
    assert runner.run(connector).status == "ok"
    assert "aircall:457" in handled(redis_store)


def test_expired_token_stops_the_connector_with_a_clear_error(connector, runner, feed, redis_store):
    feed.set(f"{START}/1", Answer({"error": "Unauthorized", "troubleshoot": "Check your API key"}, 401))
    report = runner.run(connector)
    assert report.status == "auth_failed" and "HTTP 401" in report.error
    assert sync_state_for(redis_store).cursor("aircall") is None


def test_requests_use_basic_auth_with_the_api_id_and_token(connector, runner, feed):
    runner.run(connector)
    expected = base64.b64encode(f"{API_ID}:{API_TOKEN}".encode()).decode()
    assert feed.seen[0].headers["Authorization"] == f"Basic {expected}"
