"""The connector contract, run for every connector registered in the ``wallboard.connectors`` group."""

from __future__ import annotations

import pytest
from pytest_httpserver import HTTPServer
from replays.aircall import AircallReplay
from replays.generic_json import GenericJsonReplay
from replays.hubspot import HubSpotReplay
from replays.salesforce import SalesforceReplay
from replays.zendesk import ZendeskReplay

from connectors.core.registry import Registry
from connectors.testing import ConnectorContract, ReplayScenario
from kpi.store import RedisStore

SCENARIOS: dict[str, type[ReplayScenario]] = {
    scenario.type_name: scenario
    for scenario in (ZendeskReplay, HubSpotReplay, SalesforceReplay, AircallReplay, GenericJsonReplay)
}


def test_every_registered_connector_has_a_replay_scenario():
    assert sorted(set(Registry().names()) - set(SCENARIOS)) == []


class TestConnectorContract(ConnectorContract):
    """Every registered connector against its vendor's replay, storing into a real Redis."""

    @pytest.fixture(params=Registry().names())
    def scenario(self, request: pytest.FixtureRequest, httpserver: HTTPServer) -> ReplayScenario:
        found = SCENARIOS.get(request.param)
        if found is None:
            pytest.fail(
                f"connector type {request.param!r} is registered but has no replay scenario: "
                "add one to tests/connectors/replays/ and to SCENARIOS"
            )
        return found(httpserver)

    @pytest.fixture
    def store(self, redis_store: RedisStore) -> RedisStore:
        return redis_store
