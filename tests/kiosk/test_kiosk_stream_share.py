"""TVs of one screen on the stream share their answers, whatever their rotation's phase (issue #13)."""

from __future__ import annotations

import gzip
import time
from typing import Any, Callable, Mapping

import dash
import pytest
from kiosk_support import NOW
from test_kiosk_stream_wire_http import TOPPING, Messages, _opened, _stream, stream_url

from dashboard.services.kiosk.stream import StreamSettings, Tv, Watcher, stamped
from dashboard.services.kiosk.stream_gzip import Encoder
from dashboard.services.kiosk.view_cache import screen_parts
from kpi.config import Config
from kpi.ingest.pipeline import ingest_events
from kpi.store import RedisStore


def _changed(messages: Messages) -> dict[str, Any]:
    """The first message that carries more than the pulse."""
    message = messages.next()
    while set(message) == {"p"}:
        message = messages.next()
    return message


def _counting() -> tuple[list[Mapping[str, str]], Callable[..., dict[str, Any]]]:
    asked: list[Mapping[str, str]] = []

    def compute(query: Mapping[str, str], reader: object) -> dict[str, Any]:
        asked.append(query)
        return {"p": {"t": 1, "ok": True}, "b": {"0": len(asked)}}

    return asked, compute


def _generation_moves(watch: Watcher, name: str, since: int, seconds: float = 5.0) -> int:
    """The published generation of `name` once it is not `since` (or after `seconds`)."""
    deadline = time.monotonic() + seconds
    while watch.published(name)[1] == since and time.monotonic() < deadline:
        time.sleep(0.05)
    return watch.published(name)[1]


def test_kss001_a_stream_sends_a_changed_view_that_is_not_on_screen_or_next(
    kiosk_app: dash.Dash, served: str, twelve_agents: RedisStore, kiosk_config: Config
) -> None:
    meta, seen = _opened(kiosk_app)
    with _stream(served, stream_url(meta, seen) + "&w=0") as response:
        messages = Messages(response)
        messages.next()
        ingest_events(twelve_agents, kiosk_config, TOPPING, now=NOW)
        changed = _changed(messages)
    assert "2" in changed["b"] and changed["s"]["d"]["2"] != seen["d"][2]  # view 2 comes up in 2 s


def test_kss002_two_streams_of_a_screen_at_different_phases_get_the_same_change(
    kiosk_app: dash.Dash, served: str, twelve_agents: RedisStore, kiosk_config: Config
) -> None:
    meta, seen = _opened(kiosk_app)
    url = stream_url(meta, seen)
    with _stream(served, url + "&w=0&e=0") as first, _stream(served, url + "&w=2&e=7.5") as second:
        one, two = Messages(first), Messages(second)
        one.next(), two.next()
        ingest_events(twelve_agents, kiosk_config, TOPPING, now=NOW)
        got = _changed(one), _changed(two)
    assert got[0]["b"] == got[1]["b"] and got[0]["s"] == got[1]["s"]


def test_kss003_tvs_of_a_screen_at_different_phases_cost_one_computation_per_change(
    kiosk_app: dash.Dash, twelve_agents: RedisStore, kiosk_config: Config
) -> None:
    asked, compute = _counting()
    seen = {"n": "3", "v": "7", "s": "sig", "d": "AAAAAAAA.BBBBBBBB.CCCCCCCC"}
    tvs = [Tv("tv", {**seen, "w": str(w % 3), "e": str(w * 1.7)}, 1.0) for w in range(6)]
    watch = Watcher(twelve_agents, StreamSettings())
    periods, texts = set(), set()

    def ask_all() -> None:
        for tv in tvs:
            periods.add(watch.published("tv"))
            texts.add(watch.answer("tv", tv.query(), compute)[1])

    with kiosk_app.server.app_context():
        watch.join("tv", screen_parts(kiosk_config, kiosk_config.screens["tv"].views), 30.0, 1.0)
        try:
            before = _generation_moves(watch, "tv", 0)  # the first read published
            ask_all()
            ingest_events(twelve_agents, kiosk_config, TOPPING, now=NOW)
            assert _generation_moves(watch, "tv", before) != before
            ask_all()
        finally:
            watch.leave("tv")
    assert len(asked) == len(texts) == len(periods) < len(tvs)
    assert all("w" not in query and "e" not in query for query in asked)


def test_kss004_a_shared_answer_carries_the_time_of_each_message() -> None:
    text = '{"p":{"t":1700000000,"ok":true},"b":{"0":1}}'
    assert stamped(text, 1700000042.9) == '{"p":{"t":1700000042,"ok":true},"b":{"0":1}}'


@pytest.mark.parametrize("text", ['{"r":"locked"}', "not json"])
def test_kss005_a_text_without_a_leading_pulse_is_sent_as_it_is(text: str) -> None:
    assert stamped(text, 5.0) == text


def test_kss006_streams_that_sent_the_same_message_send_the_next_as_the_same_compressed_bytes() -> None:
    one, two, other = Encoder(True), Encoder(True), Encoder(True)
    texts = ['{"p":{"t":1,"ok":true},"b":{"0":"' + "Zed05Q " * n + '"}}' for n in (40, 41)]
    one.message(texts[0]), two.message(texts[0]), other.message('{"p":{"t":1,"ok":true}}')
    pieces = [encoder.message(texts[1]) for encoder in (one, two, other)]
    assert pieces[0] == pieces[1] != pieces[2] and len(pieces[0]) < len(pieces[2])


def test_kss007_a_stream_that_ends_is_one_whole_gzip_of_its_messages(
    kiosk_app: dash.Dash,
    served: str,
    twelve_agents: RedisStore,
    kiosk_config: Config,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("WALLBOARD_STREAM_SECONDS", "2")
    meta, seen = _opened(kiosk_app)
    ingest_events(twelve_agents, kiosk_config, TOPPING, now=NOW)
    with _stream(served, stream_url(meta, seen)) as response:
        raw = b"".join(response.iter_raw())
    texts = gzip.decompress(raw).decode().split("\n\n")
    assert response.headers["Content-Encoding"] == "gzip" and texts[-1] == ""
    assert all(text.startswith("data: {") for text in texts[:-1]) and len(texts) > 2
