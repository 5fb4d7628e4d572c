"""The load bench's virtual TV (bench/_load_tv.py) sends the poll that the kiosk page in Chromium sends.

The app records each poll request it receives (URL and headers). Chromium loads ``/kiosk/tv`` and polls; a
`VirtualTV` loads the same page and polls once: same URL (built by `poll_url` from the page's stores, as
kiosk.js's ``pollUrl`` builds it) and the same headers. When the poll's transport changes, this test fails
until `VirtualTV` is adapted.
"""

from __future__ import annotations

import asyncio
import time
from typing import Any

import dash
import httpx
import pytest
from flask import request

from bench._load_tv import VirtualTV
from dashboard.services.kiosk.wire import POLL_PATH

pytestmark = pytest.mark.browser

SKIPPED = {"connection", "user-agent", "sec-ch-ua"}
"""Headers that name the Chromium build or how the connection is kept, not the poll."""


def _recorded(app: dash.Dash) -> list[dict[str, Any]]:
    polls: list[dict[str, Any]] = []

    @app.server.before_request
    def record() -> None:
        if request.path.startswith(POLL_PATH):
            polls.append({"url": request.full_path, "headers": dict(request.headers)})

    return polls


def _first(polls: list[dict[str, Any]]) -> dict[str, Any]:
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        if polls:
            return polls[0]
        time.sleep(0.2)
    raise AssertionError("Chromium sent no kiosk poll within 15 s")


async def _virtual_poll(base_url: str) -> None:
    async with httpx.AsyncClient(base_url=base_url) as client:
        tv = VirtualTV(client, "tv")
        assert (await tv.load()).ok
        assert (await tv.poll()).ok


def _headers(poll: dict[str, Any]) -> dict[str, str]:
    return {k.lower(): v for k, v in poll["headers"].items() if k.lower() not in SKIPPED}


def test_kpwire001_the_virtual_tv_sends_the_poll_chromium_sends(
    dash_duo, kiosk_app: dash.Dash, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("WALLBOARD_STREAMS", "0")  # the TV polls
    polls = _recorded(kiosk_app)
    dash_duo.start_server(kiosk_app)
    dash_duo.driver.get(dash_duo.server_url + "/kiosk/tv")
    chromium = _first(polls)
    dash_duo.driver.get("about:blank")
    polls.clear()
    asyncio.run(_virtual_poll(dash_duo.server_url))
    virtual = polls[0]
    assert (virtual["url"], _headers(virtual)) == (chromium["url"], _headers(chromium))
