"""Fixtures of the game's tests."""

from __future__ import annotations

import pytest

from kpi.config import Config
from tests.game.points_helpers import make_config


@pytest.fixture
def rules() -> Config:
    """The test metrics with the points rules of `points_helpers.RULES`."""
    return make_config()
