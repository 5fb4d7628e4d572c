"""`/healthz` (the process answers, Redis is never asked) and `/readyz` (config loaded, Redis answers)."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Iterator

import dash
import pytest

from dashboard import create_app
from kpi.config import Config
from kpi.config.settings import Settings
from kpi.store import breaker_of
from tests.conftest import RedisServer


@pytest.fixture
def own_redis(tmp_path: Path) -> Iterator[RedisServer]:
    """A redis-server of this test's own, which the test may stop."""
    server = RedisServer(tmp_path)
    server.start()
    yield server
    server.stop()


@pytest.fixture
def app(own_redis: RedisServer, config: Config) -> dash.Dash:
    """The app over `own_redis`, its store opened from the URL as in production."""
    return create_app(Settings(redis_url=own_redis.url), config=config)


def test_prb001_healthz_answers_ok_while_redis_answers(app: dash.Dash) -> None:
    response = app.server.test_client().get("/healthz")
    assert (response.status_code, response.get_json()) == (200, {"status": "ok"})


def test_prb002_healthz_answers_ok_with_redis_stopped_and_never_asks_it(
    app: dash.Dash, own_redis: RedisServer
) -> None:
    own_redis.stop()
    client = app.server.test_client()
    breaker = breaker_of(app.server.extensions["wallboard"].store.client)
    for _ in range(3):
        assert client.get("/healthz").status_code == 200
    assert breaker.state == "closed" and breaker.refused == 0


def test_prb003_readyz_is_ready_when_redis_answers_and_config_is_loaded(app: dash.Dash) -> None:
    response = app.server.test_client().get("/readyz")
    body = response.get_json()
    assert response.status_code == 200 and body["status"] == "ready"
    assert body["store"] == {"kind": "redis", "up": True, "ping_ms": body["store"]["ping_ms"]}
    assert body["config"]["loaded"] is True and body["config"]["metrics"] > 0


def test_prb004_readyz_answers_503_json_with_redis_stopped(app: dash.Dash, own_redis: RedisServer) -> None:
    own_redis.stop()
    response = app.server.test_client().get("/readyz")
    assert response.status_code == 503 and response.is_json
    assert response.get_json()["status"] == "not ready" and response.get_json()["store"]["up"] is False


def test_prb005_readyz_is_ready_again_once_redis_is_back(app: dash.Dash, own_redis: RedisServer) -> None:
    client = app.server.test_client()
    own_redis.stop()
    assert client.get("/readyz").status_code == 503
    own_redis.start()
    statuses = []
    for _ in range(40):  # the breaker probes Redis again at most BREAKER_RESET after it opened
        statuses.append(client.get("/readyz").status_code)
        if statuses[-1] == 200:
            break
        time.sleep(0.1)
    assert statuses[-1] == 200


def test_prb006_the_api_health_endpoint_still_answers(app: dash.Dash) -> None:
    response = app.server.test_client().get("/api/v1/health")
    assert response.status_code == 200 and response.get_json()["store"]["up"] is True


def test_prb007_an_in_process_store_is_ready(config: Config) -> None:
    app = create_app(Settings(), config=config)
    response = app.server.test_client().get("/readyz")
    assert response.status_code == 200 and response.get_json()["store"]["kind"] == "memory"
