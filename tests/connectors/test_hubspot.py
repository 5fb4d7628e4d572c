"""The HubSpot connector against a local replay of the deals search, owners and archived-deals APIs."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from typing import Any

import pytest
from connector_replay import Answer, Replay
from pytest_httpserver import HTTPServer
from werkzeug import Request

from connectors.core.runner import Runner
from connectors.vendors.hubspot import (
    DEALS_LIST,
    DEALS_SEARCH,
    FEEDBACK_SEARCH,
    OWNERS,
    HubSpotDeals,
    HubSpotOptions,
)
from kpi.config import Config
from kpi.store import RedisStore
from kpi.store.sync_state import sync_state_for

TOKEN = "pat-na1-11111111-2222-3333-4444-555555555555"
MONTH = "2026-11"
JANE, KIM = "41629779", "41629780"


def ms(text: str) -> int:
    return int(datetime.fromisoformat(text).timestamp() * 1000)


START = ms("2026-11-01T00:00:00Z")
T4 = "2026-11-04T10:00:00.000Z"
T5 = "2026-11-05T10:00:00.000Z"


def deal(
    deal_id: str, won: bool, owner: str, amount: str, modified: str, closed: str = "2026-11-03T15:00:00Z"
) -> dict:
    return {
        "id": deal_id,
        "properties": {
            "amount": amount,
            "closedate": closed,
            "createdate": "2026-10-11T09:12:44.012Z",
            "dealname": f"Deal {deal_id}",
            "dealstage": "closedwon" if won else "contractsent",
            "hs_is_closed_won": "true" if won else "false",
            MODIFIED: modified,
            "hs_object_id": deal_id,
            "hubspot_owner_id": owner,
            "pipeline": "default",
        },
        "createdAt": "2026-10-11T09:12:44.012Z",
        "updatedAt": modified,
        "archived": False,
    }


MODIFIED = "hs_lastmodifieddate"


def search(results: list[Any], after: str | None = None) -> Answer:
    body: dict[str, Any] = {"total": len(results), "results": results}
    if after:
        body["paging"] = {"next": {"after": after, "link": "https://api.hubapi.com/..."}}
    return Answer(body)


OWNER_PAGES = [
    Answer(
        {
            "results": [
                {
                    "id": JANE,
                    "email": "jane@acme.test",
                    "type": "PERSON",
                    "firstName": "Jane",
                    "lastName": "Rep",
                    "userId": 9586504,
                    "userIdIncludingInactive": 9586504,
                    "createdAt": "2019-12-25T13:01:35.228Z",
                    "updatedAt": "2023-08-22T13:40:26.790Z",
                    "archived": False,
                    "teams": [{"id": "178588", "name": "West Coast Sales", "primary": True}],
                }
            ],
            "paging": {"next": {"after": "MjAyNC0wMS0wMVQwMDowMDowMFo6MTIzNDU=", "link": "..."}},
        }
    ),
    Answer(
        {
            "results": [
                {
                    "id": KIM,
                    "email": "kim@acme.test",
                    "type": "PERSON",
                    "firstName": "Kim",
                    "lastName": "Closer",
                    "userId": 9586505,
                    "userIdIncludingInactive": 9586505,
                    "createdAt": "2019-12-25T13:01:35.228Z",
                    "updatedAt": "2023-08-22T13:40:26.790Z",
                    "archived": False,
                    "teams": [{"id": "178589", "name": "East Coast Sales", "primary": True}],
                }
            ]
        }
    ),
]
MALFORMED = deal("904", True, KIM, "lots", T4)
PAGES = {
    f"{START}/0": search(
        [
            deal("901", True, JANE, "12500", "2026-11-02T10:00:00.000Z"),
            deal("902", False, KIM, "900", "2026-11-02T11:00:00.000Z"),
        ],
        after="2",
    ),
    f"{START}/2": search(
        [deal("903", True, KIM, "800.50", "2026-11-03T10:00:00.000Z"), MALFORMED], after="4"
    ),
    f"{ms(T4)}/0": search([MALFORMED, deal("901", True, JANE, "15000", T5)], after="2"),
    f"{ms(T4)}/2": search([]),
    f"{ms(T5) - 300_000}/0": search([deal("901", True, JANE, "15000", T5)]),
}
ARCHIVED = Answer(
    {
        "results": [
            {
                "id": "903",
                "properties": {MODIFIED: "2026-11-03T10:00:00.000Z"},
                "createdAt": "2026-10-11T09:12:44.012Z",
                "updatedAt": "2026-11-06T08:00:00.000Z",
                "archived": True,
                "archivedAt": "2026-11-06T08:00:00.000Z",
            }
        ]
    }
)


def search_key(request: Request) -> str:
    body = request.get_json()
    return f"{body['filterGroups'][0]['filters'][0]['value']}/{body['after']}"


@pytest.fixture
def deals(httpserver: HTTPServer) -> Replay:
    """Four search pages (the last empty) with a restart at a cap of 4, an edit, and a malformed deal."""
    feed = Replay(httpserver, DEALS_SEARCH, search_key, method="POST")
    for key, answer in PAGES.items():
        feed.add(key, answer)
    return feed


@pytest.fixture
def owners(httpserver: HTTPServer) -> Replay:
    feed = Replay(httpserver, OWNERS, lambda r: r.args.get("after", "first"))
    feed.add("first", OWNER_PAGES[0])
    feed.add("MjAyNC0wMS0wMVQwMDowMDowMFo6MTIzNDU=", OWNER_PAGES[1])
    return feed


@pytest.fixture
def archived(httpserver: HTTPServer) -> Replay:
    feed = Replay(httpserver, DEALS_LIST, lambda r: r.args.get("archived", ""))
    feed.add("true", ARCHIVED)
    return feed


def make(httpserver: HTTPServer, waits: list[float], **options: Any) -> HubSpotDeals:
    settings = {
        "base_url": httpserver.url_for(""),
        "token_env": "HUBSPOT_TOKEN",
        "start": date(2026, 11, 1),
        "page_size": 2,
        "result_cap": 4,
        "retry_attempts": 3,
        **options,
    }
    return HubSpotDeals("hubspot", HubSpotOptions(**settings), {"token": TOKEN}, sleep=waits.append)


@pytest.fixture
def connector(httpserver: HTTPServer, waits: list[float], deals, owners, archived) -> HubSpotDeals:
    return make(httpserver, waits)


@pytest.fixture
def runner(redis_store: RedisStore, config: Config) -> Runner:
    return Runner(redis_store, config)


def revenue(store: RedisStore, scope: str = "agent") -> dict[str, float]:
    return {m: f.total / 1000 for m, f in store.figures("revenue", MONTH, scope).items()}


def test_won_deals_count_for_their_owner_with_the_latest_amount(connector, runner, redis_store):
    runner.run(connector)
    assert revenue(redis_store) == {f"hubspot:{JANE}": 15000.0}


def test_owner_names_come_from_the_owners_endpoint(connector, runner, redis_store):
    runner.run(connector)
    assert redis_store.agents([f"hubspot:{JANE}"])[f"hubspot:{JANE}"].name == "Jane Rep"


def test_owner_primary_team_gets_the_team_figure(connector, runner, redis_store):
    runner.run(connector)
    assert revenue(redis_store, "team") == {"West Coast Sales": 15000.0}


def test_archived_deal_is_retracted(connector, runner, redis_store):
    runner.run(connector)
    assert redis_store.record("hubspot", "deal:903").deleted


def test_search_is_sorted_ascending_on_last_modified_with_string_millis(connector, runner, deals):
    runner.run(connector)
    body = deals.seen[0].json
    assert body["sorts"] == [{"propertyName": MODIFIED, "direction": "ASCENDING"}]
    assert body["filterGroups"][0]["filters"][0] == {
        "propertyName": MODIFIED,
        "operator": "GTE",
        "value": str(START),
    }


def test_search_restarts_from_the_last_value_seen_before_the_result_cap(connector, runner, deals):
    runner.run(connector)
    assert [search_key_of(s) for s in deals.seen] == [
        f"{START}/0",
        f"{START}/2",
        f"{ms(T4)}/0",
        f"{ms(T4)}/2",
    ]


def search_key_of(seen: Any) -> str:
    return f"{seen.json['filterGroups'][0]['filters'][0]['value']}/{seen.json['after']}"


def test_malformed_deal_is_skipped_with_its_reason(connector, runner):
    report = runner.run(connector)
    assert report.status == "ok"
    assert {(s.record_id, s.reason) for s in report.skipped} == {
        ("904", "could not convert string to float: 'lots'")
    }


def test_next_poll_rereads_the_overlap_window(connector, runner, redis_store):
    runner.run(connector)
    cursor = json.loads(sync_state_for(redis_store).cursor("hubspot"))
    assert cursor["deals"] == {"since": ms(T5) - 300_000, "after": None}


def test_second_sync_over_the_same_data_changes_nothing(connector, runner, redis_store):
    runner.run(connector)
    version = redis_store.data_version()
    runner.run(connector)
    runner.run(connector, since=datetime(2026, 11, 1, tzinfo=UTC))
    assert redis_store.data_version() == version


def test_deal_leaving_closed_won_is_retracted(connector, runner, redis_store, deals):
    runner.run(connector)
    deals.set(
        f"{ms(T5) - 300_000}/0", search([deal("901", False, JANE, "15000", "2026-11-07T10:00:00.000Z")])
    )
    runner.run(connector)
    assert revenue(redis_store) == {}


def test_rate_limited_search_waits_as_long_as_retry_after_says(connector, runner, deals, waits):
    deals.set(
        f"{START}/2",
        Answer(
            {
                "status": "error",
                "message": "You have reached your ten secondly limit.",
                "errorType": "RATE_LIMIT",
                "policyName": "TEN_SECONDLY_ROLLING",
            },
            429,
            {"Retry-After": "3"},
        ),
        PAGES[f"{START}/2"],
    )
    assert runner.run(connector).status == "ok"
    assert 3.0 in waits


def test_server_error_is_retried_until_it_succeeds(connector, runner, deals, redis_store):
    deals.set(f"{ms(T4)}/0", Answer("upstream failure", 502), PAGES[f"{ms(T4)}/0"])
    assert runner.run(connector).status == "ok"
    assert revenue(redis_store) == {f"hubspot:{JANE}": 15000.0}


def test_expired_token_stops_the_connector_with_a_clear_error(connector, runner, deals):
    deals.set(
        f"{START}/0",
        Answer(
            {
                "status": "error",
                "message": "Authentication credentials not found.",
                "category": "INVALID_AUTHENTICATION",
            },
            401,
        ),
    )
    report = runner.run(connector)
    assert report.status == "auth_failed" and "refused the credentials" in report.error
    assert TOKEN not in report.error


def test_requests_carry_the_private_app_token_as_bearer(connector, runner, deals):
    runner.run(connector)
    assert deals.seen[0].headers["Authorization"] == f"Bearer {TOKEN}"


def test_survey_responses_become_nps_and_csat_events(httpserver, waits, owners, runner, redis_store):
    feed = Replay(httpserver, FEEDBACK_SEARCH, search_key, method="POST")

    def response(rid: str, kind: str, value: str) -> dict:
        return {
            "id": rid,
            "properties": {
                "hs_createdate": "2026-11-02T09:00:00.000Z",
                MODIFIED: "2026-11-02T09:00:00.000Z",
                "hs_object_id": rid,
                "hs_survey_type": kind,
                "hs_response_value": value,
                "hubspot_owner_id": JANE,
            },
            "createdAt": "2026-11-02T09:00:00.000Z",
            "updatedAt": "2026-11-02T09:00:00.000Z",
            "archived": False,
        }

    feed.add(
        f"{START}/0",
        search([response("1", "NPS", "10"), response("2", "CSAT", "4"), response("3", "CES", "6")]),
    )
    runner.run(make(httpserver, waits, deals=False, feedback=True))
    assert redis_store.figures("nps", MONTH, "agent")[f"hubspot:{JANE}"].promoters == 1
    assert redis_store.figures("csat", MONTH, "agent")[f"hubspot:{JANE}"].total == 4000
