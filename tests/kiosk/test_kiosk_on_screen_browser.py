"""In headless Chromium: a view held back while off screen is fresh before it comes up (issue #13)."""

from __future__ import annotations

import json
import time

import dash
import pytest
from conftest import agent_name
from kiosk_support import NOW, event

from kpi.config import Config
from kpi.ingest.pipeline import ingest_events
from kpi.store import RedisStore
from tests.response_bodies import kiosk_answers, record_bodies

pytestmark = pytest.mark.browser

WATCH = """
window.wbShown = [];
document.querySelectorAll('.wb-views > .wb-view').forEach(function (view, index) {
  new MutationObserver(function () {
    if (view.classList.contains('is-active')) {
      window.wbShown.push({index: index, at: Date.now(), text: view.textContent});
    }
  }).observe(view, {attributes: true, attributeFilter: ['class']});
});
return Date.now();
"""


def _new_leader_on_every_view(
    dash_duo, kiosk_app: dash.Dash, store: RedisStore, config: Config
) -> list[dict]:  # noqa: ANN001
    """Load the TV, write a new leader, watch a rotation and a half; the TV's answers (polls or stream)."""
    bodies = record_bodies(kiosk_app)
    dash_duo.start_server(kiosk_app)
    dash_duo.driver.get(dash_duo.server_url + "/kiosk/tv")
    dash_duo.wait_for_element(".wb-view.is-active .wb-podium")
    dash_duo.driver.execute_script(WATCH)
    ingest_events(store, config, [event("a03", name=agent_name(3)) for _ in range(20)], now=NOW)
    written = dash_duo.driver.execute_script("return Date.now();")
    time.sleep(9)  # a rotation and a half: 3 views of 2 s, a poll every second
    shown = dash_duo.driver.execute_script("return window.wbShown;")
    boards = [s for s in shown if s["index"] in (0, 1) and s["at"] > written + 2500]
    assert boards and all(agent_name(3) in s["text"] for s in boards), shown
    return [json.loads(body) for body in kiosk_answers(bodies, "tv")]


def test_kscrb001_each_view_shows_the_new_leader_as_soon_as_it_comes_up_and_the_poll_holds_one_back(
    dash_duo,
    kiosk_app: dash.Dash,
    twelve_agents: RedisStore,
    kiosk_config: Config,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("WALLBOARD_STREAMS", "0")
    answers = _new_leader_on_every_view(dash_duo, kiosk_app, twelve_agents, kiosk_config)
    assert max(len(a.get("b", {})) for a in answers) == 2  # never all three at once: one held back


def test_kscrb002_on_the_stream_each_view_shows_the_new_leader_and_every_changed_view_travels_at_once(
    dash_duo, kiosk_app: dash.Dash, twelve_agents: RedisStore, kiosk_config: Config
) -> None:
    answers = _new_leader_on_every_view(dash_duo, kiosk_app, twelve_agents, kiosk_config)
    assert max(len(a.get("b", {})) for a in answers) == 3  # the stream sends every changed view
