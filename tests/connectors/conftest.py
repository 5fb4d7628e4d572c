"""Fixtures for connector tests: recorded waits instead of real sleeps, and a vendor scenario's connector.

A vendor's test module provides a ``scenario`` fixture (its `ReplayScenario`); ``connector`` and
``runner`` are then built here the same way for every vendor.
"""

from __future__ import annotations

import pytest

from connectors.core.base import Connector
from connectors.core.runner import Runner
from connectors.testing import ReplayScenario
from kpi.config import Config
from kpi.store import RedisStore


@pytest.fixture
def waits() -> list[float]:
    """Every wait a connector asked for (tests never really sleep)."""
    return []


@pytest.fixture
def connector(scenario: ReplayScenario, waits: list[float]) -> Connector:
    """The scenario's connector, pointed at its replay, recording its waits."""
    return scenario.connector(waits.append)


@pytest.fixture
def runner(redis_store: RedisStore, config: Config) -> Runner:
    """A runner storing into the real Redis of the test."""
    return Runner(redis_store, config)
