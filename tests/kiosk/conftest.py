"""Fixtures for the kiosk tests: a pinned clock, and apps over Redis."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Callable, Iterator

import dash
import pytest
from kiosk_support import NOW, WebServer, event, make_config

from dashboard import create_app
from kpi.config import Config
from kpi.config.settings import Settings
from kpi.ingest.pipeline import ingest_events
from kpi.store import RedisStore


@pytest.fixture
def now() -> datetime:
    """The pinned current time."""
    return NOW


@pytest.fixture
def clock() -> Callable[[], datetime]:
    """A clock that always says `NOW`."""
    return lambda: NOW


@pytest.fixture
def a_week_ago() -> datetime:
    """A moment in the previous ISO week (and the previous day)."""
    return NOW - timedelta(days=7)


PRIVACY_SCREENS = {
    "tv": {
        "title": "Floor TV",
        "top_n": 3,
        "refresh_seconds": 1,
        "views": [
            {"type": "leaderboard", "metric": "tickets_solved", "period": "week", "seconds": 2},
            {"type": "leaderboard", "metric": "tickets_solved", "period": "day", "top_n": 2, "seconds": 2},
            {"type": "kpi_tiles", "metrics": ["tickets_solved"], "seconds": 2},
        ],
    },
    "locked": {"display_key": "s3cret", "views": [{"type": "leaderboard", "metric": "tickets_solved"}]},
}
CELEBRATIONS = {
    "rules": [{"type": "deal_won", "min_value": 1000, "show_amount": True, "unit": "EUR"}],
    "show_seconds": 3,
    "max_age_seconds": 30,
}


def agent_name(index: int) -> str:
    """A distinctive name for agent `index`, easy to find in any response body."""
    return f"Zed{index:02d}Q"


@pytest.fixture
def kiosk_config() -> Config:
    """Two screens (one with a display key), a hidden agent who would top every ranking, a deal rule."""
    return make_config(
        screens=PRIVACY_SCREENS, celebrations=CELEBRATIONS, agents={"a11": {"hide_from_screens": True}}
    )


@pytest.fixture
def twelve_agents(redis_store: RedisStore, kiosk_config: Config) -> RedisStore:
    """Agents a00…a11 with 1…12 tickets solved today (a11, the best, is hidden from screens)."""
    events = [
        event(f"a{i:02d}", at=NOW - timedelta(minutes=5), name=agent_name(i))
        for i in range(12)
        for _ in range(i + 1)
    ]
    ingest_events(redis_store, kiosk_config, events, now=NOW)
    return redis_store


@pytest.fixture
def kiosk_app(twelve_agents: RedisStore, kiosk_config: Config, clock: Callable[[], datetime]) -> dash.Dash:
    """The whole app over the Redis store, with the clock pinned to `NOW`."""
    return create_app(Settings(), config=kiosk_config, store=twelve_agents, clock=clock)


NPS_SCREENS = {"nps": {"refresh_seconds": 1, "views": [{"type": "nps_trend", "days": 30}]}}


def nps_history(store: RedisStore, config: Config) -> None:
    """Thirty days alternating all promoters and all detractors (the axis spans −100…+100), one today."""
    answers = [
        event(f"a{day % 3}", "nps_response", value=10 if day % 2 else 0, at=NOW - timedelta(days=day))
        for day in range(1, 30)
        for _ in range(2)
    ]
    ingest_events(store, config, [*answers, event("a1", "nps_response", value=9, at=NOW)], now=NOW)


@pytest.fixture
def nps_app(redis_store: RedisStore, clock: Callable[[], datetime]) -> dash.Dash:
    """The app with an `nps` screen (a 30-day NPS trend) over a month of answers."""
    config = make_config(screens={**PRIVACY_SCREENS, **NPS_SCREENS})
    nps_history(redis_store, config)
    return create_app(Settings(), config=config, store=redis_store, clock=clock)


@pytest.fixture
def served(kiosk_app: dash.Dash, free_port) -> Iterator[str]:  # noqa: ANN001 - conftest's factory
    """The kiosk app on a real threaded HTTP server; its base URL."""
    server = WebServer(kiosk_app.server, free_port())
    server.start()
    yield server.url
    server.stop()
