"""The generic JSON connector against a local replay of an in-house survey API."""

from __future__ import annotations

import json

import pytest
from pytest_httpserver import HTTPServer
from replays.generic_json import MONTH, TOKEN, GenericJsonReplay, page

from connectors.core.records import dig
from connectors.testing import Replay
from kpi.store import RedisStore
from kpi.store.sync_state import sync_state_for


@pytest.fixture
def scenario(httpserver: HTTPServer) -> GenericJsonReplay:
    return GenericJsonReplay(httpserver)


@pytest.fixture
def feed(scenario: GenericJsonReplay) -> Replay:
    return scenario.feed


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


def test_next_link_to_another_host_is_refused(feed, connector, runner):
    feed.set("p2", page([], "https://evil.example/steal"))
    report = runner.run(connector)
    assert report.status == "error" and "another host" in report.error


def test_dig_reads_list_items_by_index():
    assert dig({"answers": [{"score": 3}]}, "answers.0.score") == 3
