"""The badges view and badge celebrations in a real headless Chromium over a real Redis."""

from __future__ import annotations

import time
from datetime import timedelta
from typing import Any

import dash
import pytest
from conftest import agent_name
from kiosk_support import NOW, event, make_config

from dashboard import create_app
from kpi.config import Config
from kpi.config.settings import Settings
from kpi.ingest.awarding import award_changed
from kpi.ingest.pipeline import ingest_events
from kpi.model.awards import Award
from kpi.model.periods import local_day
from kpi.store import RedisStore
from kpi.store.awards import awards_for
from tests.response_bodies import record_bodies, texts

pytestmark = pytest.mark.browser

FIVE = {
    "five": {
        "kind": "milestone",
        "name": "High Five",
        "criterion": "Solve five tickets.",
        "metric": "tickets_solved",
        "target": 5,
        "icon": "support-master.svg",
        "group": "mastery",
        "celebrate": True,
    },
    "secret": {
        "kind": "milestone",
        "name": "Secret Trial",
        "criterion": "Solve one ticket.",
        "metric": "tickets_solved",
        "target": 1,
        "icon": "marathon.svg",
        "group": "mastery",
        "celebrate": True,
        "test": True,
    },
}
SCREENS: dict[str, Any] = {
    "wall": {"top_n": 3, "refresh_seconds": 1, "views": [{"type": "badges", "seconds": 30}]}
}
CELEBRATIONS = {"rules": [], "show_seconds": 3, "max_age_seconds": 30}


@pytest.fixture
def badge_config() -> Config:
    return make_config(
        screens=SCREENS,
        achievements=FIVE,
        celebrations=CELEBRATIONS,
        agents={"a11": {"hide_from_screens": True}},
    )


def _app(store: RedisStore, config: Config) -> dash.Dash:
    return create_app(Settings(), config=config, store=store, clock=lambda: NOW)


def test_kbad001_the_badges_view_names_at_most_top_n_holders_and_never_the_hidden(
    dash_duo, redis_store: RedisStore, badge_config: Config
) -> None:
    ingest_events(
        redis_store, badge_config, [event(f"a{i:02d}", name=agent_name(i)) for i in range(12)], now=NOW
    )
    today = local_day(NOW, badge_config.zone)
    awards_for(redis_store).add(
        [
            Award("five", "agent", f"a{i:02d}", "", today, NOW - timedelta(minutes=12 - i), name="High Five")
            for i in range(12)
        ]
        + [Award("secret", "agent", "a00", "", today, NOW, test=True, name="Secret Trial")]
    )
    app = _app(redis_store, badge_config)
    bodies = record_bodies(app)
    dash_duo.start_server(app)
    dash_duo.driver.get(dash_duo.server_url + "/kiosk/wall")
    dash_duo.wait_for_element(".wb-view.is-active .wb-badge")
    time.sleep(2.5)
    shown = {agent_name(i) for i in range(12) if agent_name(i) in dash_duo.driver.page_source}
    assert shown == {agent_name(i) for i in (10, 9, 8)}  # the newest three; a11 is hidden
    assert "Secret Trial" not in dash_duo.driver.page_source
    allowed = {agent_name(i) for i in (10, 9, 8)}
    assert bodies
    for text in texts(bodies):
        assert not ({agent_name(i) for i in range(12) if agent_name(i) in text} - allowed)
        assert "Secret Trial" not in text


def test_kbad002_a_live_award_is_celebrated_and_a_retroactive_one_is_not(
    dash_duo, redis_store: RedisStore, badge_config: Config
) -> None:
    old = [event("a01", name="Old Timer", at=NOW - timedelta(days=3)) for _ in range(5)]
    ingest_events(redis_store, badge_config, old, now=NOW)
    app = _app(redis_store, badge_config)
    dash_duo.start_server(app)
    dash_duo.driver.get(dash_duo.server_url + "/kiosk/wall")
    dash_duo.wait_for_element(".wb-view.is-active .wb-badges")
    swept = award_changed(redis_store, badge_config, NOW)
    assert swept.full and [a.member for a in swept.awards if a.badge == "five"] == ["a01"]
    dash_duo.wait_for_contains_text(".wb-views", "Old T.", timeout=10)
    time.sleep(2)
    assert "is-visible" not in dash_duo.find_element("#kiosk-overlay").get_attribute("class")
    ingest_events(redis_store, badge_config, [event("a02", name="Fresh Face") for _ in range(5)], now=NOW)
    live = award_changed(redis_store, badge_config, NOW)
    assert [(a.member, a.badge, a.retroactive) for a in live.awards if a.badge == "five"] == [
        ("a02", "five", False)
    ]
    dash_duo.wait_for_contains_class("#kiosk-overlay", "is-visible", timeout=10)
    overlay = dash_duo.find_element("#kiosk-overlay").text
    assert "Fresh F." in overlay and "HIGH FIVE" in overlay.upper() and "SECRET" not in overlay.upper()
