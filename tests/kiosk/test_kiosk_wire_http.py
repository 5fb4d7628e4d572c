"""The kiosk poll on the wire: a short GET, compressed answers, only what changed (issue #13)."""

from __future__ import annotations

import base64
import gzip
import json

import dash
from conftest import agent_name
from dash_client import DashClient, find_store, poll_url
from kiosk_support import NOW, event
from werkzeug.test import TestResponse as Response

from dashboard.services.kiosk.wire import PATCH
from kpi.config import Config
from kpi.ingest.pipeline import ingest_events
from kpi.store import RedisStore


def _opened(client: DashClient, url: str) -> tuple[dict, dict]:
    status, body = client.page(url)
    layout = json.loads(body)["response"]["_pages_content"]["children"]
    return find_store(layout, "kiosk-meta"), find_store(layout, "kiosk-seen")


def _changed_poll_accepting_gzip(app: dash.Dash, store: RedisStore, config: Config) -> Response:
    """A TV's poll after a07 solved five tickets, from a TV that knows no view body, accepting gzip."""
    meta, seen = _opened(DashClient(app.server.test_client()), "/kiosk/tv")
    ingest_events(store, config, [event("a07", name=agent_name(7)) for _ in range(5)], now=NOW)
    return app.server.test_client().get(
        poll_url(meta, {**seen, "d": []}, views=3), headers={"Accept-Encoding": "gzip"}
    )


def test_kwh001_a_poll_is_a_get_without_body_and_a_short_url(kiosk_app: dash.Dash) -> None:
    client = DashClient(kiosk_app.server.test_client())
    meta, seen = _opened(client, "/kiosk/tv")
    url = poll_url(meta, {**seen, "d": ["0123456789ab"] * 10}, views=10)
    assert len(url) < 300, url
    response = kiosk_app.server.test_client().get(url)
    assert response.status_code == 200 and response.headers["Cache-Control"] == "no-store"


def test_kwh002_a_changed_poll_is_compressed_when_the_browser_accepts_it(
    kiosk_app: dash.Dash, twelve_agents: RedisStore, kiosk_config: Config
) -> None:
    response = _changed_poll_accepting_gzip(kiosk_app, twelve_agents, kiosk_config)
    assert response.headers["Content-Encoding"] == "gzip"
    answer = json.loads(gzip.decompress(response.get_data()))
    assert set(answer["b"]) == {"0", "1", "2"} and len(response.get_data()) < len(json.dumps(answer)) / 2


def test_kwh003_an_unchanged_poll_stays_tiny_and_plain(kiosk_app: dash.Dash) -> None:
    client = DashClient(kiosk_app.server.test_client())
    meta, seen = _opened(client, "/kiosk/tv")
    response = kiosk_app.server.test_client().get(
        poll_url(meta, seen, views=3), headers={"Accept-Encoding": "gzip, br"}
    )
    assert "Content-Encoding" not in response.headers and len(response.get_data()) < 100


def test_kwh004_a_new_answer_today_sends_only_the_trends_latest_point(
    nps_app: dash.Dash, redis_store: RedisStore
) -> None:
    client = DashClient(nps_app.server.test_client())
    meta, seen = _opened(client, "/kiosk/nps")
    config = nps_app.server.extensions["wallboard"].config
    ingest_events(redis_store, config, [event("a2", "nps_response", value=0, at=NOW)], now=NOW)
    status, body = client.poll(meta, seen, views=1)
    patch = json.loads(body)["b"]["0"]
    assert status == 200 and patch[PATCH] == PATCH and len(json.dumps(patch)) < 2500
    images = [op for op in patch["operations"] if op["location"][-1] == "src"]
    assert len(images) == 1 and images[0]["location"][-3:] == [1, "props", "src"]  # the top layer
    latest = base64.b64decode(images[0]["params"]["value"].split(",", 1)[1]).decode()
    assert 'r="11"' in latest and "<text" not in latest


def test_kwh005_an_unchanged_poll_answer_carries_only_the_headers_a_tv_needs(kiosk_app: dash.Dash) -> None:
    client = DashClient(kiosk_app.server.test_client())
    meta, seen = _opened(client, "/kiosk/tv")
    response = kiosk_app.server.test_client().get(
        poll_url(meta, seen, views=3), headers={"Accept-Encoding": "br"}
    )
    assert sorted(response.headers.keys()) == ["Cache-Control", "Content-Length", "Content-Type"]


def test_kwh006_a_compressed_poll_answer_keeps_vary_and_drops_the_apps_date(
    kiosk_app: dash.Dash, twelve_agents: RedisStore, kiosk_config: Config
) -> None:
    response = _changed_poll_accepting_gzip(kiosk_app, twelve_agents, kiosk_config)
    assert response.headers["Content-Encoding"] == "gzip" and response.headers["Vary"] == "Accept-Encoding"
    assert "Date" not in response.headers and "X-Request-ID" not in response.headers


def test_kwh007_a_poll_returns_the_request_id_its_caller_sent(kiosk_app: dash.Dash) -> None:
    client = DashClient(kiosk_app.server.test_client())
    meta, seen = _opened(client, "/kiosk/tv")
    response = kiosk_app.server.test_client().get(
        poll_url(meta, seen, views=3), headers={"X-Request-ID": "lb-1"}
    )
    assert response.headers["X-Request-ID"] == "lb-1"


def test_kwh008_other_routes_keep_their_request_id(kiosk_app: dash.Dash) -> None:
    response = kiosk_app.server.test_client().get("/kiosk/tv")
    assert len(response.headers["X-Request-ID"]) == 32
