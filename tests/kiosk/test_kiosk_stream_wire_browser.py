"""The kiosk stream in a real headless Chromium: pushed changes reach the screen, the poll stands in (#13)."""

from __future__ import annotations

import dash
import pytest
from conftest import agent_name
from kiosk_support import NOW, event
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait
from test_kiosk_layout_guard import challenge_app  # noqa: F401 - the fixture

from dashboard.services.kiosk.stream import EXTENSION, StreamSettings, Watcher
from kpi.config import Config
from kpi.ingest.pipeline import ingest_events
from kpi.store import RedisStore
from tests.response_bodies import record_bodies

pytestmark = pytest.mark.browser


def _pushed_name_shows(dash_duo, app: dash.Dash, store: RedisStore, config: Config) -> None:  # noqa: ANN001
    """Open the `tv` screen, make a05 top the rankings and wait until the TV shows the name."""
    dash_duo.start_server(app)
    dash_duo.driver.get(dash_duo.server_url + "/kiosk/tv")
    dash_duo.wait_for_element(".wb-view.is-active .wb-podium")
    ingest_events(store, config, [event("a05", name=agent_name(5), at=NOW) for _ in range(9)], now=NOW)
    dash_duo.wait_for_contains_text(".wb-view.is-active", agent_name(5), timeout=10)


def test_kswb001_a_pushed_change_reaches_the_screen_over_the_stream_without_polls(
    dash_duo, kiosk_app: dash.Dash, twelve_agents: RedisStore, kiosk_config: Config
) -> None:
    bodies = record_bodies(kiosk_app)
    _pushed_name_shows(dash_duo, kiosk_app, twelve_agents, kiosk_config)
    streamed = b"".join(body for path, body in bodies if path == "/_kiosk/stream/tv")
    assert agent_name(5).encode() in streamed
    assert not [path for path, _ in bodies if path == "/_kiosk/poll/tv"]


def test_kswb002_with_streams_off_the_tv_polls(
    dash_duo,
    kiosk_app: dash.Dash,
    twelve_agents: RedisStore,
    kiosk_config: Config,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("WALLBOARD_STREAMS", "0")
    bodies = record_bodies(kiosk_app)
    _pushed_name_shows(dash_duo, kiosk_app, twelve_agents, kiosk_config)
    polled = b"".join(body for path, body in bodies if path == "/_kiosk/poll/tv")
    assert agent_name(5).encode() in polled
    assert not [path for path, _ in bodies if path == "/_kiosk/stream/tv"]


def test_kswb003_when_the_workers_streams_are_full_the_tv_polls(
    dash_duo, kiosk_app: dash.Dash, twelve_agents: RedisStore, kiosk_config: Config
) -> None:
    kiosk_app.server.extensions[EXTENSION] = Watcher(twelve_agents, StreamSettings(capacity=0))
    bodies = record_bodies(kiosk_app)
    _pushed_name_shows(dash_duo, kiosk_app, twelve_agents, kiosk_config)
    polled = b"".join(body for path, body in bodies if path == "/_kiosk/poll/tv")
    refused = [body for path, body in bodies if path == "/_kiosk/stream/tv"]
    assert agent_name(5).encode() in polled and refused and all(b"full" in body for body in refused)


def test_kswb004_a_page_gone_closes_its_stream_so_page_after_page_loads(dash_duo, challenge_app) -> None:  # noqa: ANN001, F811
    """Browsers allow six connections per server over HTTP/1.1: a kiosk page left open streams would
    leave the seventh page waiting (about 45 s here) for a connection."""
    dash_duo.start_server(challenge_app)
    for index in range(8):
        dash_duo.driver.get(f"{dash_duo.server_url}/kiosk/challenges-edge?view={index}")
        WebDriverWait(dash_duo.driver, 20).until(
            lambda d: d.find_elements(By.CSS_SELECTOR, ".wb-view.is-active .wb-view-body > div")
        )
