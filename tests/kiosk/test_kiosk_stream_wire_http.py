"""The kiosk stream over real HTTP: server push of the poll's answers, read with httpx (issue #13)."""

from __future__ import annotations

import json
import time
import zlib
from typing import Any

import dash
import httpx
import pytest
from conftest import agent_name
from dash_client import DashClient, find_store
from kiosk_support import NOW, event

from dashboard.services.kiosk import wire
from dashboard.services.kiosk.stream import STREAM_PATH
from kpi.config import Config
from kpi.ingest.pipeline import ingest_events
from kpi.store import RedisStore
from tests.response_bodies import record_bodies, texts

SHOWN = {agent_name(i) for i in (10, 9, 8)}
TOPPING = [event("a05", name=agent_name(5)) for _ in range(9)]
"""Nine more tickets: a05 tops every ranking of the `tv` screen."""


class Messages:
    """The messages of one open stream, as a browser's EventSource reads them."""

    def __init__(self, response: httpx.Response) -> None:
        self.response = response
        gzip = response.headers.get("Content-Encoding") == "gzip"
        self._unzip = zlib.decompressobj(16 + zlib.MAX_WBITS) if gzip else None
        self._chunks = response.iter_raw()
        self._text = ""
        self.wire_bytes = 0

    def next(self) -> dict[str, Any] | None:
        """The next message (None when the stream ended)."""
        while "\n\n" not in self._text:
            try:
                chunk = next(self._chunks)
            except StopIteration:
                return None
            self.wire_bytes += len(chunk)
            self._text += (self._unzip.decompress(chunk) if self._unzip else chunk).decode()
        message, self._text = self._text.split("\n\n", 1)
        assert message.startswith("data: "), message
        return json.loads(message[len("data: ") :])


def _opened(app: dash.Dash, url: str = "/kiosk/tv") -> tuple[dict, dict]:
    status, body = DashClient(app.server.test_client()).page(url)
    layout = json.loads(body)["response"]["_pages_content"]["children"]
    return find_store(layout, "kiosk-meta"), find_store(layout, "kiosk-seen")


def stream_url(meta: dict, seen: dict, views: int = 3) -> str:
    """The stream's URL as kiosk.js builds it: the poll's query (before its first tick: no ``w``)."""
    page = {**meta, "poll": STREAM_PATH + str(meta["screen"]), "durations": [0] * views}
    return wire.poll_url(page, seen)


def _stream(base: str, url: str, gzip: bool = True) -> Any:  # noqa: ANN401 - httpx's stream context
    headers = {"Accept-Encoding": "gzip" if gzip else "identity"}
    return httpx.stream("GET", base + url, headers=headers, timeout=httpx.Timeout(10.0))


def test_kstw001_a_stream_sends_a_pushed_change(
    kiosk_app: dash.Dash, served: str, twelve_agents: RedisStore, kiosk_config: Config
) -> None:
    meta, seen = _opened(kiosk_app)
    with _stream(served, stream_url(meta, seen)) as response:
        messages = Messages(response)
        assert set(messages.next()) == {"p"}
        ingest_events(twelve_agents, kiosk_config, TOPPING, now=NOW)
        changed = messages.next()
        while set(changed) == {"p"}:
            changed = messages.next()
    assert "0" in changed["b"] and changed["s"]["d"]["0"] != seen["d"][0]


def test_kstw002_an_unchanged_stream_pulses_every_refresh_interval(kiosk_app: dash.Dash, served: str) -> None:
    meta, seen = _opened(kiosk_app)
    with _stream(served, stream_url(meta, seen)) as response:
        messages = Messages(response)
        messages.next()
        started = time.monotonic()
        beats = [messages.next(), messages.next()]
        took = time.monotonic() - started
    assert [set(beat) for beat in beats] == [{"p"}, {"p"}] and all(b["p"]["ok"] for b in beats)
    assert 1.0 <= took < 4.0, took  # refresh_seconds is 1 on this screen


def test_kstw003_a_stream_is_gzip_with_headers_for_proxies(kiosk_app: dash.Dash, served: str) -> None:
    meta, seen = _opened(kiosk_app)
    with _stream(served, stream_url(meta, seen)) as response:
        Messages(response).next()
        headers = response.headers
    assert headers["Content-Type"].startswith("text/event-stream") and headers["Content-Encoding"] == "gzip"
    assert headers["Cache-Control"] == "no-store" and headers["X-Accel-Buffering"] == "no"


def test_kstw004_a_stream_without_the_display_key_says_locked_and_ends(served: str) -> None:
    with _stream(served, STREAM_PATH + "locked?n=1&key=wrong") as response:
        messages = Messages(response)
        first, then = messages.next(), messages.next()
    assert first["r"] == "locked" and "b" not in first and then is None


def test_kstw005_a_full_worker_answers_503_at_once(
    kiosk_app: dash.Dash, served: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("WALLBOARD_STREAMS", "0")
    meta, seen = _opened(kiosk_app)
    started = time.monotonic()
    response = httpx.get(served + stream_url(meta, seen), timeout=5)
    assert response.status_code == 503 and time.monotonic() - started < 2


def test_kstw006_a_stream_ends_at_its_lifetime_and_a_reconnect_sends_nothing_again(
    kiosk_app: dash.Dash,
    served: str,
    twelve_agents: RedisStore,
    kiosk_config: Config,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("WALLBOARD_STREAM_SECONDS", "2")
    meta, seen = _opened(kiosk_app)
    ingest_events(twelve_agents, kiosk_config, TOPPING, now=NOW)
    started = time.monotonic()
    with _stream(served, stream_url(meta, seen)) as response:
        messages = Messages(response)
        received = []
        while (message := messages.next()) is not None:
            received.append(message)
    assert time.monotonic() - started < 5 and "b" in received[0]
    for message in received:
        seen = wire.seen_after(seen, message.get("s", {}))
    with _stream(served, stream_url(meta, seen)) as response:
        again = Messages(response).next()
    assert set(again) == {"p"}


def test_kstw007_a_stream_never_carries_a_name_beyond_the_top_n(
    kiosk_app: dash.Dash, served: str, twelve_agents: RedisStore, kiosk_config: Config
) -> None:
    bodies = record_bodies(kiosk_app)
    meta, seen = _opened(kiosk_app)
    ingest_events(twelve_agents, kiosk_config, [event("a05", name=agent_name(5))], now=NOW)
    with _stream(served, stream_url(meta, {**seen, "d": []})) as response:
        messages = Messages(response)
        first = messages.next()
        messages.next()
    streamed = "".join(text for (path, _), text in zip(bodies, texts(bodies)) if path.startswith(STREAM_PATH))
    names = {agent_name(i) for i in range(12) if agent_name(i) in streamed}
    assert "b" in first and names == SHOWN
