"""`/me` in a real headless Chromium over a real Redis: sign in by link, the figures, consent on a kiosk.

Run with ``DASH_TEST_CHROMEPATH=/usr/bin/chromium python -m pytest --headless tests/me``.
"""

from __future__ import annotations

import time
from typing import Callable

import dash
import pytest

from dashboard import create_app
from kpi.config import Config, parse_config
from kpi.config.settings import Settings
from kpi.store import RedisStore
from tests.manage.conftest import AGENTS, NOW
from tests.me.conftest import SECRET, link_path, me_data
from tests.response_bodies import record_bodies

pytestmark = pytest.mark.browser

SCREENS = {
    "floor": {
        "title": "Floor",
        "top_n": 3,
        "refresh_seconds": 1,
        "views": [{"type": "leaderboard", "metric": "tickets_solved", "period": "week", "top_n": 3}],
    }
}


@pytest.fixture
def browser_app(me_store: RedisStore, me_config: Config) -> dash.Dash:
    """The app with one kiosk screen ranking tickets solved this week (Sol, Sam and Siri lead it)."""
    data = me_data()
    data["screens"] = SCREENS
    config = parse_config(data, "me browser config")
    return create_app(Settings(secret_key=SECRET), config=config, store=me_store, clock=lambda: NOW)


def _until(condition: Callable[[], object], timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.1)
    raise AssertionError("timed out")


def test_me_signs_in_by_link_and_shows_points_level_and_badges(
    dash_duo, browser_app: dash.Dash, me_store: RedisStore
) -> None:
    dash_duo.start_server(browser_app)
    dash_duo.driver.get(dash_duo.server_url + link_path(me_store, "s1"))
    dash_duo.wait_for_contains_text(".me-who", "Siri Support", timeout=15)
    assert dash_duo.driver.current_url.endswith("/me")
    dash_duo.wait_for_element(".me-figure")
    assert dash_duo.find_element(".me-level-name").text
    assert len(dash_duo.find_elements(".me-badge")) >= 10
    assert " of " in dash_duo.find_element(".me-badges").text
    assert dash_duo.find_element(".me-rank-place").text


def test_hiding_me_takes_my_name_off_the_kiosk_within_a_refresh(
    dash_duo, browser_app: dash.Dash, me_store: RedisStore
) -> None:
    dash_duo.start_server(browser_app)
    dash_duo.driver.get(dash_duo.server_url + "/kiosk/floor")
    dash_duo.wait_for_contains_text(".wb-views", "Sol S.", timeout=15)
    kiosk = dash_duo.driver.current_window_handle
    dash_duo.driver.switch_to.new_window("tab")
    dash_duo.driver.get(dash_duo.server_url + link_path(me_store, "s3"))
    dash_duo.wait_for_contains_text(".me-who", "Sol Support", timeout=15)
    dash_duo.find_element("#me-hide input").click()
    dash_duo.wait_for_contains_text("#me-saved", "Saved", timeout=10)
    dash_duo.driver.switch_to.window(kiosk)
    _until(lambda: "Sol S." not in dash_duo.find_element(".wb-views").text, timeout=8)


def test_nothing_me_receives_names_another_agent(
    dash_duo, browser_app: dash.Dash, me_store: RedisStore
) -> None:
    bodies = record_bodies(browser_app)
    dash_duo.start_server(browser_app)
    dash_duo.driver.get("about:blank")
    time.sleep(1)
    bodies.clear()
    dash_duo.driver.get(dash_duo.server_url + link_path(me_store, "s1"))
    dash_duo.wait_for_element(".me-badge", timeout=15)
    dash_duo.find_element("#me-quiet input").click()
    dash_duo.wait_for_contains_text("#me-saved", "Saved", timeout=10)
    others = {name for team in AGENTS.values() for agent_id, name in team if agent_id != "s1"}
    assert any(path == "/_dash-update-component" for path, _ in bodies)
    for path, body in bodies:
        text = body.decode("utf-8", "replace")
        assert not {name for name in others if name in text}, path
    page = dash_duo.driver.page_source
    assert not {name for name in others if name in page}
