"""The HubSpot connector against a local replay of the deals search, owners and archived-deals APIs."""

from __future__ import annotations

import json
from typing import Any

import pytest
from pytest_httpserver import HTTPServer
from replays.hubspot import (
    JANE,
    MODIFIED,
    MONTH,
    START,
    T4,
    T5,
    TOKEN,
    HubSpotReplay,
    deal,
    make,
    ms,
    search,
    search_key,
)

from connectors.testing import Replay
from connectors.vendors.hubspot import FEEDBACK_SEARCH
from kpi.store import RedisStore
from kpi.store.sync_state import sync_state_for


@pytest.fixture
def scenario(httpserver: HTTPServer) -> HubSpotReplay:
    return HubSpotReplay(httpserver)


@pytest.fixture
def deals(scenario: HubSpotReplay) -> Replay:
    return scenario.deals


@pytest.fixture
def owners(scenario: HubSpotReplay) -> Replay:
    return scenario.owners


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


def test_next_poll_rereads_the_overlap_window(connector, runner, redis_store):
    runner.run(connector)
    cursor = json.loads(sync_state_for(redis_store).cursor("hubspot"))
    assert cursor["deals"] == {"since": ms(T5) - 300_000, "after": None}


def test_deal_leaving_closed_won_is_retracted(connector, runner, redis_store, deals):
    runner.run(connector)
    deals.set(
        f"{ms(T5) - 300_000}/0", search([deal("901", False, JANE, "15000", "2026-11-07T10:00:00.000Z")])
    )
    runner.run(connector)
    assert revenue(redis_store) == {}


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
    runner.run(make(httpserver, waits.append, deals=False, feedback=True))
    assert redis_store.figures("nps", MONTH, "agent")[f"hubspot:{JANE}"].promoters == 1
    assert redis_store.figures("csat", MONTH, "agent")[f"hubspot:{JANE}"].total == 4000
