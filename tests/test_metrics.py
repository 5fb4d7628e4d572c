"""`/metrics`: Prometheus series scraped after real requests against a real Redis (issue #12)."""

from __future__ import annotations

import json
import time
import urllib.request
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Iterator

import dash
import pytest
from prometheus_client.parser import text_string_to_metric_families

from dashboard import create_app
from kpi.config import Config
from kpi.config.settings import Settings
from kpi.store import RedisStore
from kpi.store.sync_state import sync_state_for
from tests.conftest import RedisServer
from tests.kiosk.dash_client import DashClient
from tests.test_frozen_redis import EVENT, PUSH, opened
from tests.test_serve import served  # noqa: F401 - a fixture

Samples = dict[tuple[str, tuple[tuple[str, str], ...]], float]


@pytest.fixture(autouse=True)
def single_process(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("PROMETHEUS_MULTIPROC_DIR", raising=False)


@pytest.fixture
def app(redis_store: RedisStore, config: Config) -> dash.Dash:
    return create_app(Settings(ingest_token="push", api_token="read"), config=config, store=redis_store)


def scrape(app: dash.Dash) -> Samples:
    response = app.server.test_client().get("/metrics")
    assert response.status_code == 200 and response.mimetype == "text/plain"
    return parsed(response.get_data(as_text=True))


def parsed(text: str) -> Samples:
    return {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
    }


def value(samples: Samples, name: str, **labels: str) -> float:
    return samples.get((name, tuple(sorted(labels.items()))), 0.0)


def grew(before: Samples, after: Samples, name: str, **labels: str) -> float:
    return value(after, name, **labels) - value(before, name, **labels)


def test_met001_api_requests_are_timed_as_the_api_route_class(app: dash.Dash) -> None:
    before = scrape(app)
    app.server.test_client().get("/api/v1/health")
    after = scrape(app)
    assert grew(before, after, "wallboard_request_seconds_count", route="api") == 1
    assert grew(before, after, "wallboard_requests_total", route="api", status="2xx") == 1


def test_met002_a_kiosk_poll_is_timed_as_a_kiosk_poll_and_manage_as_manage(app: dash.Dash) -> None:
    client = app.server.test_client()
    tv = DashClient(client)
    meta, seen = opened(tv)
    before = scrape(app)
    status, _ = tv.poll(meta, {**seen, "v": -1}, views=len(seen.get("d", [])) or 1)
    client.get("/manage")
    after = scrape(app)
    assert status == 200
    assert grew(before, after, "wallboard_request_seconds_count", route="kiosk poll") == 1
    assert grew(before, after, "wallboard_request_seconds_count", route="manage") == 1


def test_met003_ingest_counts_by_outcome(app: dash.Dash) -> None:
    client = app.server.test_client()
    before = scrape(app)
    for _ in range(2):
        client.post("/api/v1/events", data=json.dumps(EVENT | {"id": "m1"}), headers=PUSH)
    bad = client.post("/api/v1/events", data=json.dumps([EVENT | {"id": "m2", "value": "x"}]), headers=PUSH)
    after = scrape(app)
    assert bad.status_code == 400
    assert grew(before, after, "wallboard_ingest_events_total", outcome="new") == 1
    assert grew(before, after, "wallboard_ingest_events_total", outcome="unchanged") == 1
    assert grew(before, after, "wallboard_ingest_events_total", outcome="invalid") == 1


def test_met004_connector_lag_and_last_success_come_from_the_sync_state(
    app: dash.Dash, redis_store: RedisStore
) -> None:
    success = datetime.now(timezone.utc) - timedelta(minutes=3)
    sync_state_for(redis_store).write_health(
        "zendesk", {"status": "ok", "lag_seconds": "42", "last_success_at": success.isoformat()}
    )
    samples = scrape(app)
    assert value(samples, "wallboard_connector_lag_seconds", connector="zendesk") == 42
    last = value(samples, "wallboard_connector_last_success_timestamp_seconds", connector="zendesk")
    assert last == pytest.approx(success.timestamp())


def test_met005_shared_view_cache_hits_are_counted_on_kiosk_polls(app: dash.Dash) -> None:
    tv = DashClient(app.server.test_client())
    meta, seen = opened(tv)
    before = scrape(app)
    for _ in range(2):
        tv.poll(meta, {**seen, "v": -1}, views=len(seen.get("d", [])) or 1)
    after = scrape(app)
    assert grew(before, after, "wallboard_cache_requests_total", cache="kiosk_views", result="hit") >= 1


@pytest.fixture
def own_redis(tmp_path: Path) -> Iterator[RedisServer]:
    server = RedisServer(tmp_path)
    server.start()
    yield server
    server.stop()


def test_met006_redis_errors_and_the_open_breaker_are_exported(
    own_redis: RedisServer, config: Config
) -> None:
    app = create_app(Settings(redis_url=own_redis.url, api_token="read"), config=config)
    client = app.server.test_client()
    before = scrape(app)
    assert value(before, "wallboard_redis_breaker_state", state="closed") == 1
    own_redis.stop()
    for _ in range(3):
        assert client.get("/api/v1/health").status_code == 503
    after = scrape(app)
    assert grew(before, after, "wallboard_redis_errors_total", kind="connection") >= 1
    assert grew(before, after, "wallboard_redis_errors_total", kind="refused") >= 1
    assert value(after, "wallboard_redis_breaker_state", state="open") == 1
    assert value(after, "wallboard_redis_breaker_state", state="closed") == 0


def test_met007_under_gunicorn_every_worker_counts_into_one_scrape(served: str) -> None:  # noqa: F811
    """`wallboard serve` with two workers: multiprocess mode, so any worker's scrape sees both."""
    closed, deadline = 0.0, time.monotonic() + 60
    while closed < 2 and time.monotonic() < deadline:
        closed = value(_scrape_url(served), "wallboard_redis_breaker_state", state="closed")
        time.sleep(0.2)
    assert closed == 2, "the two workers' breaker gauges were not summed (not in multiprocess mode?)"
    before = _scrape_url(served)
    for _ in range(10):
        urllib.request.urlopen(f"{served}/healthz", timeout=5).close()
    after = _scrape_url(served)
    assert grew(before, after, "wallboard_request_seconds_count", route="other") == 10


def _scrape_url(base: str) -> Samples:
    with urllib.request.urlopen(f"{base}/metrics", timeout=5) as response:
        return parsed(response.read().decode())


def test_met008_only_the_metrics_module_imports_prometheus_client() -> None:
    root = Path(__file__).resolve().parents[1]
    importers = {
        str(path.relative_to(root))
        for package in ("kpi", "dashboard", "connectors")
        for path in (root / package).rglob("*.py")
        if "prometheus_client" in path.read_text()
    }
    assert importers == {"dashboard/metrics.py"}
