"""The Salesforce connector against a local replay of the REST queryAll endpoint and its batches."""

from __future__ import annotations

import json
import re
from datetime import UTC, date, datetime
from typing import Any

import pytest
from connector_replay import Answer, Replay
from pytest_httpserver import HTTPServer
from werkzeug import Request

from connectors.core.runner import Runner
from connectors.vendors.salesforce import SalesforceOpportunities, SalesforceOptions
from kpi.config import Config
from kpi.store import RedisStore
from kpi.store.sync_state import sync_state_for

TOKEN = "00D5g000004Xyz!AQ0AQH0dMHZfz972Szmpkb58urFRkgeBGsxL"
API = "/services/data/v62.0"
MONTH = "2026-11"
JANE, KIM = "0055g00000XyZabAAB", "0055g00000XyZcdAAD"
NAMES = {JANE: "Jane Rep", KIM: "Kim Closer"}


def opportunity(
    oid: str,
    owner: str,
    won: bool,
    amount: float | None,
    modified: str,
    *,
    deleted: bool = False,
    close: str = "2026-11-03",
) -> dict[str, Any]:
    return {
        "attributes": {"type": "Opportunity", "url": f"{API}/sobjects/Opportunity/{oid}"},
        "Id": oid,
        "Name": f"Deal {oid}",
        "StageName": "Closed Won" if won else "Negotiation",
        "Amount": amount,
        "CloseDate": close,
        "IsClosed": won,
        "IsWon": won,
        "IsDeleted": deleted,
        "OwnerId": owner,
        "Owner": {
            "attributes": {"type": "User", "url": f"{API}/sobjects/User/{owner}"},
            "Name": NAMES[owner],
            "Email": f"{NAMES[owner].split()[0].lower()}@acme.test",
        },
        "SystemModstamp": modified,
    }


def batch(records: list[dict], next_url: str | None) -> Answer:
    body: dict[str, Any] = {"totalSize": 6, "done": next_url is None, "records": records}
    if next_url:
        body["nextRecordsUrl"] = next_url
    return Answer(body, headers={"Sforce-Limit-Info": "api-usage=18/100000"})


BATCH_1 = batch(
    [
        opportunity("006A1", JANE, True, 12500.0, "2026-11-02T10:00:00.000+0000"),
        opportunity("006A2", KIM, False, 900.0, "2026-11-02T11:00:00.000+0000"),
    ],
    f"{API}/query/01gA-2000",
)
BATCH_2 = batch([], f"{API}/query/01gA-4000")
BATCH_3 = batch(
    [
        opportunity("006A1", JANE, True, 15000.0, "2026-11-04T10:00:00.000+0000"),
        opportunity("006A3", KIM, True, 500.0, "2026-11-04T11:00:00.000+0000", deleted=True),
        opportunity("006A4", KIM, True, 100.0, "2026-11-04T11:30:00.000+0000", close="soon"),
        opportunity("006A5", KIM, True, None, "2026-11-04T11:40:00.000+0000"),
        opportunity("006A6", KIM, True, 800.0, "2026-11-04T12:00:00.000+0000"),
    ],
    None,
)


def since_of(request: Request) -> str:
    found = re.search(r"SystemModstamp >= (\S+)", request.args["q"])
    return found.group(1) if found else "?"


@pytest.fixture
def query(httpserver: HTTPServer) -> Replay:
    replay = Replay(httpserver, f"{API}/queryAll", since_of)
    replay.add("2026-11-01T00:00:00Z", BATCH_1)
    replay.add(
        "2026-11-04T11:55:00Z",
        batch([opportunity("006A6", KIM, True, 800.0, "2026-11-04T12:00:00.000+0000")], None),
    )
    return replay


@pytest.fixture
def batches(httpserver: HTTPServer) -> dict[str, Replay]:
    replays = {}
    for locator, answer in (("01gA-2000", BATCH_2), ("01gA-4000", BATCH_3)):
        replays[locator] = Replay(httpserver, f"{API}/query/{locator}", lambda r: "batch")
        replays[locator].add("batch", answer)
    return replays


@pytest.fixture
def connector(httpserver: HTTPServer, waits: list[float], query, batches) -> SalesforceOpportunities:
    options = SalesforceOptions(
        base_url=httpserver.url_for(""),
        token_env="SF_TOKEN",
        start=date(2026, 11, 1),
        timezone="Europe/Oslo",
        retry_attempts=3,
        agents={KIM: {"team": "Enterprise"}},
    )
    return SalesforceOpportunities("salesforce", options, {"token": TOKEN}, sleep=waits.append)


@pytest.fixture
def runner(redis_store: RedisStore, config: Config) -> Runner:
    return Runner(redis_store, config)


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


def test_malformed_opportunity_is_skipped_with_its_reason(connector, runner):
    report = runner.run(connector)
    assert [(s.record_id, s.reason) for s in report.skipped] == [
        ("006A4", "Invalid isoformat string: 'soon'")
    ]


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


def test_second_sync_over_the_same_data_changes_nothing(connector, runner, redis_store):
    runner.run(connector)
    version = redis_store.data_version()
    runner.run(connector)
    runner.run(connector, since=datetime(2026, 11, 1, tzinfo=UTC))
    assert redis_store.data_version() == version


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


def test_rate_limited_request_waits_as_long_as_retry_after_says(connector, runner, batches, waits):
    batches["01gA-2000"].set("batch", Answer("busy", 429, {"Retry-After": "4"}), BATCH_2)
    assert runner.run(connector).status == "ok"
    assert 4.0 in waits


def test_server_error_is_retried_until_it_succeeds(connector, runner, batches, redis_store):
    batches["01gA-4000"].set("batch", Answer([{"errorCode": "SERVER_UNAVAILABLE"}], 503), BATCH_3)
    assert runner.run(connector).status == "ok"
    assert revenue(redis_store)[f"salesforce:{KIM}"] == 800.0


def test_expired_session_stops_the_connector_with_a_clear_error(connector, runner, query):
    query.set(
        "2026-11-01T00:00:00Z",
        Answer([{"message": "Session expired or invalid", "errorCode": "INVALID_SESSION_ID"}], 401),
    )
    report = runner.run(connector)
    assert report.status == "auth_failed" and "INVALID_SESSION_ID" in report.error
    assert TOKEN not in report.error
