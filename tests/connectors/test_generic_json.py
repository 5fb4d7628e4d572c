"""The generic JSON connector against a local replay of an in-house survey API."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from typing import Any

import pytest
from connector_replay import Answer, Replay
from pytest_httpserver import HTTPServer
from werkzeug import Request

from connectors.core.records import dig
from connectors.core.runner import Runner
from connectors.vendors.generic_json import GenericJson, GenericJsonOptions
from kpi.config import Config
from kpi.store import RedisStore
from kpi.store.sync_state import sync_state_for

TOKEN = "survey-api-key-9876"
PATH = "/api/v1/responses"
MONTH = "2026-11"


def response(rid: int, agent: str, score: Any, updated: str, deleted: bool = False) -> dict:
    return {
        "response_id": rid,
        "score": score,
        "submitted": "2026-11-02T09:00:00+01:00",
        "modified": updated,
        "removed": deleted,
        "agent": {"login": agent, "display": agent.title(), "squad": "Tier 1"},
        "channel": "email",
    }


def page(items: list[dict], next_link: str | None) -> Answer:
    return Answer({"data": {"items": items}, "links": {"next": next_link}})


PAGE_1 = page(
    [response(1, "ada", 9, "2026-11-02T09:00:00Z"), response(2, "bo", 4, "2026-11-02T10:00:00Z")],
    f"{PATH}?cursor=p2",
)
PAGE_2 = page([], f"{PATH}?cursor=p3")
PAGE_3 = page(
    [
        response(1, "ada", 6, "2026-11-03T09:00:00Z"),
        response(2, "bo", 4, "2026-11-03T10:00:00Z", True),
        response(3, "cy", "ten", "2026-11-03T11:00:00Z"),
        response(4, "cy", 10, "2026-11-03T12:00:00Z"),
    ],
    None,
)


def key(request: Request) -> str:
    return request.args.get("cursor") or f"since={request.args.get('modified_since')}"


@pytest.fixture
def feed(httpserver: HTTPServer) -> Replay:
    replay = Replay(httpserver, PATH, key)
    replay.add("since=2026-11-01T00:00:00Z", PAGE_1)
    replay.add("p2", PAGE_2)
    replay.add("p3", PAGE_3)
    replay.add("since=2026-11-03T11:59:00Z", page([response(4, "cy", 10, "2026-11-03T12:00:00Z")], None))
    return replay


@pytest.fixture
def connector(httpserver: HTTPServer, waits: list[float]) -> GenericJson:
    options = GenericJsonOptions.model_validate(
        {
            "base_url": httpserver.url_for(""),
            "path": PATH,
            "token_env": "SURVEY_KEY",
            "auth_header": "X-Api-Key",
            "auth_prefix": "",
            "records_path": "data.items",
            "event_type": "nps_response",
            "start": date(2026, 11, 1),
            "fields": {
                "id": "response_id",
                "agent_id": "agent.login",
                "agent_name": "agent.display",
                "team": "agent.squad",
                "value": "score",
                "occurred_at": "submitted",
                "updated_at": "modified",
                "deleted": "removed",
                "attributes": {"channel": "channel"},
            },
            "watermark_field": "modified",
            "watermark_param": "modified_since",
            "next_path": "links.next",
            "retry_attempts": 3,
        }
    )
    return GenericJson("survey", options, {"token": TOKEN}, sleep=waits.append)


@pytest.fixture
def runner(redis_store: RedisStore, config: Config) -> Runner:
    return Runner(redis_store, config)


def nps(store: RedisStore) -> dict[str, tuple[int, int, int]]:
    return {m: (f.count, f.promoters, f.detractors) for m, f in store.figures("nps", MONTH, "agent").items()}


def test_records_map_to_events_through_the_configured_paths(feed, connector, runner, redis_store):
    runner.run(connector)
    assert nps(redis_store) == {"survey:ada": (1, 0, 1), "survey:cy": (1, 1, 0)}


def test_deleted_flag_retracts_the_record(feed, connector, runner, redis_store):
    runner.run(connector)
    assert redis_store.record("survey", "2").deleted


def test_names_teams_and_attributes_come_from_the_mapping(feed, connector, runner, redis_store):
    runner.run(connector)
    stored = json.loads(redis_store.record("survey", "4").event_json)
    assert (stored["agent_name"], stored["team"], stored["attributes"]) == (
        "Cy",
        "Tier 1",
        {"channel": "email"},
    )


def test_malformed_record_is_skipped_with_its_reason(feed, connector, runner):
    report = runner.run(connector)
    assert [(s.record_id, s.reason) for s in report.skipped] == [
        ("3", "could not convert string to float: 'ten'")
    ]


def test_auth_header_is_the_configured_one(feed, connector, runner):
    runner.run(connector)
    assert feed.seen[0].headers["X-Api-Key"] == TOKEN


def test_watermark_is_saved_only_after_the_last_page_of_an_unsorted_source(
    feed, connector, runner, redis_store
):
    state = sync_state_for(redis_store)
    pages = connector.fetch(None)
    first = next(pages)
    assert first.next_cursor is None
    runner.run(connector)
    assert json.loads(state.cursor("survey")) == {"watermark": "2026-11-03T12:00:00+00:00", "overlap": True}


def test_next_run_asks_from_the_watermark_minus_the_overlap(feed, connector, runner):
    runner.run(connector)
    runner.run(connector)
    assert feed.seen[-1].args["modified_since"] == "2026-11-03T11:59:00Z"


def test_second_sync_over_the_same_data_changes_nothing(feed, connector, runner, redis_store):
    runner.run(connector)
    version = redis_store.data_version()
    runner.run(connector)
    runner.run(connector, since=datetime(2026, 11, 1, tzinfo=UTC))
    assert redis_store.data_version() == version


def test_rate_limited_request_waits_as_long_as_retry_after_says(feed, connector, runner, waits):
    feed.set("p2", Answer({"error": "slow down"}, 429, {"Retry-After": "2"}), PAGE_2)
    assert runner.run(connector).status == "ok"
    assert 2.0 in waits


def test_server_error_is_retried_until_it_succeeds(feed, connector, runner, redis_store):
    feed.set("p3", Answer("oops", 500), PAGE_3)
    assert runner.run(connector).status == "ok"
    assert "survey:cy" in nps(redis_store)


def test_expired_token_stops_the_connector_with_a_clear_error(feed, connector, runner):
    feed.set("since=2026-11-01T00:00:00Z", Answer({"error": "token expired"}, 403))
    report = runner.run(connector)
    assert report.status == "auth_failed" and "HTTP 403" in report.error


def test_next_link_to_another_host_is_refused(feed, connector, runner):
    feed.set("p2", page([], "https://evil.example/steal"))
    report = runner.run(connector)
    assert report.status == "error" and "another host" in report.error


def test_dig_reads_list_items_by_index():
    assert dig({"answers": [{"score": 3}]}, "answers.0.score") == 3
