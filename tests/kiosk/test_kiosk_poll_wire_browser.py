"""The load bench's virtual TV (`poll_body` in bench/_load_tv.py) posts what the kiosk page in Chromium posts.

Chromium's own callback requests are recorded by wrapping ``fetch`` before the page loads; the poll the
virtual TV builds from the same page state must be the same JSON. When the poll's transport changes, this
test fails until `VirtualTV` is adapted.
"""

from __future__ import annotations

import json
import time

import dash
import pytest

from bench._load_tv import POLL_INPUT, poll_body

pytestmark = pytest.mark.browser

RECORD_POSTS = """
window.__posts = [];
const original = window.fetch;
window.fetch = function (url, options) {
  if (String(url).includes('_dash-update-component') && options && options.body) {
    window.__posts.push({url: String(url), body: options.body});
  }
  return original.apply(this, arguments);
};
"""


def _chromium_poll(dash_duo) -> dict:  # noqa: ANN001 - the dash_duo fixture
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        posts = dash_duo.driver.execute_script("return window.__posts || [];")
        polls = [json.loads(p["body"]) for p in posts if POLL_INPUT in p["body"]]
        if polls:
            return polls[0]
        time.sleep(0.2)
    raise AssertionError("Chromium sent no kiosk poll within 15 s")


def test_kpwire001_the_virtual_tv_posts_the_poll_chromium_posts(dash_duo, kiosk_app: dash.Dash) -> None:
    dash_duo.start_server(kiosk_app)
    dash_duo.driver.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": RECORD_POSTS})
    dash_duo.driver.get(dash_duo.server_url + "/kiosk/tv")
    sent = _chromium_poll(dash_duo)
    state = {entry["id"]: entry["value"] for entry in sent["state"]}
    meta, seen = state["kiosk-meta"], state["kiosk-seen"]
    assert poll_body(meta, seen, len(meta["durations"]), sent["inputs"][0]["value"]) == sent
