"""The small poll in a real headless Chromium: a new NPS answer redraws the trend's latest point (#13)."""

from __future__ import annotations

import base64
import re
import time

import dash
import pytest
from kiosk_support import NOW, event

from kpi.ingest.pipeline import ingest_events
from kpi.store import RedisStore
from tests.response_bodies import kiosk_answers, record_bodies

pytestmark = pytest.mark.browser

LAYERS = (
    "return Array.from(document.querySelectorAll('.wb-chart-layers img'))"
    ".map(function (i) { return i.src; });"
)


def _latest_y(src: str) -> float:
    svg = base64.b64decode(src.split(",", 1)[1]).decode()
    return float(re.search(r'cy="([-0-9.]+)" r="11"', svg).group(1))


def test_kwb001_a_new_answer_today_moves_the_trends_latest_point(
    dash_duo, nps_app: dash.Dash, redis_store: RedisStore
) -> None:
    bodies = record_bodies(nps_app)
    dash_duo.start_server(nps_app)
    dash_duo.driver.get(dash_duo.server_url + "/kiosk/nps")
    dash_duo.wait_for_element(".wb-view.is-active .wb-chart-layers img.is-latest")
    history, latest = dash_duo.driver.execute_script(LAYERS)
    config = nps_app.server.extensions["wallboard"].config
    ingest_events(redis_store, config, [event("a2", "nps_response", value=0, at=NOW)], now=NOW)
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline and dash_duo.driver.execute_script(LAYERS)[1] == latest:
        time.sleep(0.1)
    now_history, now_latest = dash_duo.driver.execute_script(LAYERS)
    assert now_history == history and now_latest != latest
    assert _latest_y(now_latest) > _latest_y(latest)  # a detractor: the point goes down the chart
    polls = kiosk_answers(bodies, "nps")
    assert polls and max(len(body) for body in polls) < 2500
