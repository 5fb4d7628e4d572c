"""The Salesforce connector against a local replay of the REST queryAll endpoint and its batches."""

from __future__ import annotations

import json

import pytest
from pytest_httpserver import HTTPServer
from replays.salesforce import JANE, KIM, MONTH, SalesforceReplay, batch, opportunity

from connectors.testing import Answer, Replay
from kpi.store import RedisStore
from kpi.store.sync_state import sync_state_for


@pytest.fixture
def scenario(httpserver: HTTPServer) -> SalesforceReplay:
    return SalesforceReplay(httpserver)


@pytest.fixture
def query(scenario: SalesforceReplay) -> Replay:
    return scenario.query


@pytest.fixture
def batches(scenario: SalesforceReplay) -> dict[str, Replay]:
    return scenario.batches


def revenue(store: RedisStore, scope: str = "agent") -> dict[str, float]:
    return {m: f.total / 1000 for m, f in store.figures("revenue", MONTH, scope).items()}


def test_won_opportunities_count_for_their_owner_with_the_latest_amount(connector, runner, redis_store):
    runner.run(connector)
    assert revenue(redis_store) == {f"salesforce:{JANE}": 15000.0, f"salesforce:{KIM}": 800.0}


def test_null_amount_counts_the_deal_with_value_zero(connector, runner, redis_store):
    runner.run(connector)
    assert redis_store.figures("deals_won", MONTH, "agent")[f"salesforce:{KIM}"].count == 2


def test_deleted_opportunity_is_retracted(connector, runner, redis_store):
    runner.run(connector)
    assert redis_store.record("salesforce", "opportunity:006A3").deleted


def test_owner_name_comes_from_the_owner_relationship(connector, runner, redis_store):
    runner.run(connector)
    assert redis_store.agents([f"salesforce:{JANE}"])[f"salesforce:{JANE}"].name == "Jane Rep"


def test_team_comes_from_the_agent_mapping(connector, runner, redis_store):
    runner.run(connector)
    assert revenue(redis_store, "team") == {"Enterprise": 800.0}


def test_close_date_is_a_day_in_the_configured_time_zone(connector, runner, redis_store):
    runner.run(connector)
    stored = json.loads(redis_store.record("salesforce", "opportunity:006A6").event_json)
    assert stored["occurred_at"] == "2026-11-03T12:00:00+01:00"


def test_query_is_ordered_by_system_modstamp(connector, runner, query):
    runner.run(connector)
    assert (
        query.seen[0]
        .args["q"]
        .endswith("FROM Opportunity WHERE SystemModstamp >= 2026-11-01T00:00:00Z ORDER BY SystemModstamp ASC")
    )


def test_batches_are_followed_through_next_records_url(connector, runner, batches):
    runner.run(connector)
    assert [len(replay.seen) for replay in batches.values()] == [1, 1]


def test_next_poll_starts_the_overlap_before_the_newest_modstamp(connector, runner, redis_store):
    runner.run(connector)
    assert json.loads(sync_state_for(redis_store).cursor("salesforce")) == {
        "since": "2026-11-04T11:55:00+00:00"
    }


def test_opportunity_leaving_closed_won_is_retracted(connector, runner, redis_store, query):
    runner.run(connector)
    query.set(
        "2026-11-04T11:55:00Z",
        batch([opportunity("006A1", JANE, False, 15000.0, "2026-11-05T09:00:00.000+0000")], None),
    )
    runner.run(connector)
    assert f"salesforce:{JANE}" not in revenue(redis_store)


def test_daily_request_limit_stops_the_run_and_keeps_the_cursor(connector, runner, redis_store, batches):
    batches["01gA-4000"].set(
        "batch",
        Answer([{"message": "TotalRequests Limit exceeded.", "errorCode": "REQUEST_LIMIT_EXCEEDED"}], 403),
    )
    report = runner.run(connector)
    assert report.status == "error" and "REQUEST_LIMIT_EXCEEDED" in report.error
    assert json.loads(sync_state_for(redis_store).cursor("salesforce")) == {
        "since": "2026-11-02T11:00:00+00:00"
    }
