"""The kiosk in a real headless Chromium over a real Redis (issue #3).

Run with ``DASH_TEST_CHROMEPATH=/usr/bin/chromium python -m pytest --headless tests/kiosk``.
"""

from __future__ import annotations

import time
from datetime import datetime, timedelta, timezone
from typing import Callable

import dash
import pytest
from conftest import PRIVACY_SCREENS, agent_name
from kiosk_support import NOW, WebServer, event, make_config

from dashboard import create_app
from kpi.config import Config
from kpi.config.settings import Settings
from kpi.ingest.pipeline import ingest_events
from kpi.store import RedisStore
from kpi.store.sync_state import sync_state_for
from tests.response_bodies import kiosk_answers, record_bodies

pytestmark = pytest.mark.browser

ACTIVE_VIEW = (
    "return Array.from(document.querySelectorAll('.wb-view'))"
    ".findIndex(function (e) { return e.classList.contains('is-active'); });"
)


def _until(condition: Callable[[], object], timeout: float = 15, message: str = "condition") -> object:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {message}")


def _status(dash_duo) -> str:  # noqa: ANN001 - the dash_duo fixture
    return dash_duo.find_element("#kiosk-status").get_attribute("class")


def test_kbrw001_views_rotate_in_order_each_for_its_seconds(dash_duo, kiosk_app: dash.Dash) -> None:
    dash_duo.start_server(kiosk_app)
    dash_duo.driver.get(dash_duo.server_url + "/kiosk/tv")
    dash_duo.wait_for_element(".wb-view.is-active .wb-podium")
    seen: list[tuple[int, float]] = []
    deadline = time.monotonic() + 9
    while time.monotonic() < deadline:
        index = dash_duo.driver.execute_script(ACTIVE_VIEW)
        if not seen or seen[-1][0] != index:
            seen.append((index, time.monotonic()))
        time.sleep(0.05)
    order = [index for index, _ in seen]
    assert order[:4] == [0, 1, 2, 0], order
    dwell = [later - earlier for (_, earlier), (_, later) in zip(seen[1:], seen[2:])]
    configured = [view["seconds"] for view in PRIVACY_SCREENS["tv"]["views"]]
    assert all(0.5 * configured[0] <= d <= 2 * configured[0] for d in dwell), dwell
    progress = dash_duo.find_element("#kiosk-progress")
    assert progress.value_of_css_property("width").endswith("px")
    assert "scaleX(" in progress.get_attribute("style") and "width" not in progress.get_attribute("style")


def test_kbrw002_only_the_top_n_reach_the_dom_and_the_network(
    dash_duo, kiosk_app: dash.Dash, twelve_agents: RedisStore, kiosk_config: Config
) -> None:
    bodies = record_bodies(kiosk_app)
    dash_duo.start_server(kiosk_app)
    dash_duo.driver.get(dash_duo.server_url + "/kiosk/tv")
    dash_duo.wait_for_element(".wb-view.is-active .wb-podium")
    ingest_events(
        twelve_agents, kiosk_config, [event("a07", name=agent_name(7), at=NOW) for _ in range(5)], now=NOW
    )
    dash_duo.wait_for_contains_text(".wb-views", agent_name(7), timeout=10)
    time.sleep(2.5)
    allowed = {agent_name(i) for i in (10, 9, 8, 7)}
    shown = {agent_name(i) for i in range(12) if agent_name(i) in dash_duo.driver.page_source}
    assert shown == {agent_name(i) for i in (10, 9, 7)}
    assert len(bodies) > 5 and kiosk_answers(bodies, "tv")
    for path, body in bodies:
        text = body.decode("utf-8", "replace")
        leaked = {agent_name(i) for i in range(12) if agent_name(i) in text} - allowed
        assert not leaked, (path, leaked)
        assert agent_name(11) not in text


def test_kbrw003_a_celebration_overlay_appears_and_goes_away(
    dash_duo, kiosk_app: dash.Dash, twelve_agents: RedisStore, kiosk_config: Config
) -> None:
    dash_duo.start_server(kiosk_app)
    dash_duo.driver.get(dash_duo.server_url + "/kiosk/tv")
    dash_duo.wait_for_element(".wb-view.is-active .wb-podium")
    assert "is-visible" not in dash_duo.find_element("#kiosk-overlay").get_attribute("class")
    small = event("a02", "deal_won", value=10, name="Small Deal", team="Sales", at=NOW)
    big = event("a03", "deal_won", value=4200, name="Big Dealer", team="Sales", at=NOW - timedelta(seconds=3))
    ingest_events(twelve_agents, kiosk_config, [small, big], now=NOW)
    dash_duo.wait_for_contains_class("#kiosk-overlay", "is-visible", timeout=10)
    assert "Big D." in dash_duo.find_element("#kiosk-overlay").text
    assert "€4,200" in dash_duo.find_element("#kiosk-overlay").text.replace(" ", "").replace("\n", "")
    _until(
        lambda: "is-visible" not in dash_duo.find_element("#kiosk-overlay").get_attribute("class"),
        timeout=15,
        message="the overlay to go away",
    )


def test_kbrw004_the_screen_survives_the_store_going_away(
    dash_duo, kiosk_app: dash.Dash, redis_server, twelve_agents: RedisStore, kiosk_config: Config
) -> None:
    dash_duo.start_server(kiosk_app)
    dash_duo.driver.get(dash_duo.server_url + "/kiosk/tv")
    dash_duo.wait_for_element(".wb-view.is-active .wb-podium")
    _until(lambda: "is-live" in _status(dash_duo), message="a live status")
    redis_server.stop()
    try:
        _until(lambda: "is-stale" in _status(dash_duo), message="the stale status")
        assert "unreachable" in dash_duo.find_element("#kiosk-status").text
        assert agent_name(10) in dash_duo.driver.page_source
    finally:
        redis_server.start()
    ingest_events(
        twelve_agents, kiosk_config, [event("a05", name=agent_name(5), at=NOW) for _ in range(3)], now=NOW
    )
    _until(lambda: "is-live" in _status(dash_duo), message="the status to recover")
    dash_duo.wait_for_contains_text(".wb-views", agent_name(5), timeout=10)


def test_kbrw005_the_screen_survives_the_web_server_going_away(
    dash_br, twelve_agents: RedisStore, clock: Callable[[], datetime], free_port: Callable[[], int]
) -> None:
    screens = {"tv": {**PRIVACY_SCREENS["tv"], "stale_seconds": 10}}
    app = create_app(Settings(), config=make_config(screens=screens), store=twelve_agents, clock=clock)
    server = WebServer(app.server, free_port())
    server.start()
    try:
        dash_br.driver.get(server.url + "/kiosk/tv")
        dash_br.wait_for_element(".wb-view.is-active .wb-podium")
        _until(lambda: "is-live" in _status(dash_br), message="a live status")
        server.stop()
        _until(lambda: "is-stale" in _status(dash_br), timeout=25, message="the stale status")
        assert "Server unreachable" in dash_br.find_element("#kiosk-status").text
        assert agent_name(10) in dash_br.driver.page_source
        server.start()
        _until(lambda: "is-live" in _status(dash_br), timeout=15, message="the status to recover")
        assert agent_name(10) in dash_br.driver.page_source
    finally:
        server.stop()


def test_kbrw006_a_new_config_is_picked_up_without_touching_the_tv(
    dash_br, twelve_agents: RedisStore, clock: Callable[[], datetime], free_port: Callable[[], int]
) -> None:
    before = create_app(
        Settings(), config=make_config(screens=PRIVACY_SCREENS), store=twelve_agents, clock=clock
    )
    fewer = {
        "tv": {**PRIVACY_SCREENS["tv"], "title": "New title", "views": PRIVACY_SCREENS["tv"]["views"][:2]}
    }
    after = create_app(Settings(), config=make_config(screens=fewer), store=twelve_agents, clock=clock)
    port = free_port()
    server = WebServer(before.server, port)
    server.start()
    try:
        dash_br.driver.get(server.url + "/kiosk/tv")
        dash_br.wait_for_element(".wb-view.is-active .wb-podium")
        assert len(dash_br.find_elements(".wb-view")) == 3
        server.stop()
        server = WebServer(after.server, port)
        server.start()
        _until(lambda: len(dash_br.find_elements(".wb-view")) == 2, timeout=20, message="the kiosk to reload")
        dash_br.wait_for_text_to_equal(".wb-screen-title", "New title")
    finally:
        server.stop()


def test_kbrw100_a_source_behind_turns_the_status_amber_and_names_it(
    dash_duo,
    twelve_agents: RedisStore,
    kiosk_config: Config,  # noqa: ANN001 - the dash_duo fixture
) -> None:
    config = kiosk_config.model_copy(
        update={"connectors": {"zendesk": {"type": "zendesk", "interval_seconds": 60}}}
    )
    ten_minutes_ago = datetime.now(timezone.utc) - timedelta(minutes=10)
    sync_state_for(twelve_agents).write_health(
        "zendesk", {"status": "error", "last_success_at": ten_minutes_ago.isoformat()}
    )
    app = create_app(Settings(), config=config, store=twelve_agents, clock=lambda: datetime.now(timezone.utc))
    dash_duo.start_server(app)
    dash_duo.driver.get(dash_duo.server_url + "/kiosk/tv")
    _until(lambda: "is-stale" in _status(dash_duo), message="an amber status")
    text = dash_duo.find_element("#kiosk-status").text
    assert "zendesk behind" in text and "10 min ago" in text
