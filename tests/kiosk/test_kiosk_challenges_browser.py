"""The challenge views in a real headless Chromium over a real Redis: leaders shown, nobody beyond top N,
never a test challenge, in any response body the kiosk receives."""

from __future__ import annotations

import time
from typing import Any

import pytest
from conftest import agent_name
from kiosk_support import NOW, event, make_config

from dashboard import create_app
from kpi.config import Config
from kpi.config.settings import Settings
from kpi.ingest.pipeline import ingest_events
from kpi.store import RedisStore
from tests.response_bodies import record_bodies, texts

pytestmark = pytest.mark.browser

WEEK = {"start": "2026-11-23", "end": "2026-11-29"}
CHALLENGES: dict[str, Any] = {
    "definitions": [
        {"id": "sprint", "title": "Ticket Sprint", "kind": "race", "metric": "tickets_solved", **WEEK},
        {
            "id": "trial",
            "title": "Secret Trial",
            "kind": "race",
            "metric": "tickets_solved",
            "prize": "Hush prize",
            "test": True,
            **WEEK,
        },
    ]
}
SCREENS: dict[str, Any] = {
    "race": {
        "top_n": 3,
        "refresh_seconds": 1,
        "views": [
            {"type": "challenge", "challenge": "sprint", "seconds": 3},
            {"type": "challenges", "seconds": 3},
        ],
    }
}


@pytest.fixture
def race_config() -> Config:
    return make_config(screens=SCREENS, challenges=CHALLENGES, agents={"a11": {"hide_from_screens": True}})


def test_kch001_a_challenge_view_shows_the_leaders_and_never_beyond_top_n_or_a_test(
    dash_duo, redis_store: RedisStore, race_config: Config
) -> None:
    events = [event(f"a{i:02d}", name=agent_name(i)) for i in range(12) for _ in range(i + 1)]
    ingest_events(redis_store, race_config, events, now=NOW)
    app = create_app(Settings(), config=race_config, store=redis_store, clock=lambda: NOW)
    bodies = record_bodies(app)
    dash_duo.start_server(app)
    dash_duo.driver.get(dash_duo.server_url + "/kiosk/race")
    dash_duo.wait_for_element(".wb-view.is-active .wb-ch-row")
    allowed = {agent_name(i) for i in (10, 9, 8)}  # a11 solved most but is hidden
    dash_duo.wait_for_contains_text(".wb-view.is-active", agent_name(10), timeout=10)
    time.sleep(7)  # the whole rotation, with refreshes
    shown = {agent_name(i) for i in range(12) if agent_name(i) in dash_duo.driver.page_source}
    assert shown == allowed
    assert "Ticket Sprint" in dash_duo.driver.page_source
    assert bodies
    for text in texts(bodies):
        assert not ({agent_name(i) for i in range(12) if agent_name(i) in text} - allowed)
        assert "Secret Trial" not in text and "Hush prize" not in text
