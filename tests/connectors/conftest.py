"""Fixtures for connector tests: recorded waits instead of real sleeps."""

from __future__ import annotations

import pytest


@pytest.fixture
def waits() -> list[float]:
    """Every wait a connector asked for (tests never really sleep)."""
    return []
