"""Structured logs: one JSON object per line, request ids, level from the environment, no secrets."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import dash
import pytest

from dashboard import create_app
from kpi.config import Config
from kpi.config.settings import Settings
from kpi.store import RedisStore
from tests.conftest import RedisServer

SECRETS = {
    "WALLBOARD_INGEST_TOKEN": "ingest-s3cret-value",
    "WALLBOARD_API_TOKEN": "read-s3cret-value",
    "WALLBOARD_SECRET_KEY": "signing-s3cret-value",
}
COOKIE = "session=cookie-s3cret-value"
LINK = "link-s3cret-value.abc"


@pytest.fixture
def app(redis_store: RedisStore, config: Config) -> dash.Dash:
    return create_app(Settings(api_token="read"), config=config, store=redis_store)


def test_log001_a_given_x_request_id_is_returned(app: dash.Dash) -> None:
    response = app.server.test_client().get("/healthz", headers={"X-Request-ID": "lb-7f3a.42"})
    assert response.headers["X-Request-ID"] == "lb-7f3a.42"


def test_log002_a_request_without_one_gets_a_new_id_each_time(app: dash.Dash) -> None:
    client = app.server.test_client()
    ids = {client.get("/healthz").headers["X-Request-ID"] for _ in range(2)}
    assert len(ids) == 2 and all(len(i) == 32 for i in ids)


def test_log003_an_unsafe_x_request_id_is_replaced(app: dash.Dash) -> None:
    response = app.server.test_client().get("/healthz", headers={"X-Request-ID": "a b<script>"})
    assert response.headers["X-Request-ID"] != "a b<script>" and len(response.headers["X-Request-ID"]) == 32


def test_log004_the_level_comes_from_wallboard_log_level() -> None:
    code = (
        "import logging; from wallboard import logs; logs.configure(); "
        "log = logging.getLogger('wallboard'); log.info('quiet'); log.warning('loud')"
    )
    env = {**os.environ, "WALLBOARD_LOG_LEVEL": "warning"}
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=60)
    lines = [json.loads(line) for line in result.stderr.splitlines()]
    assert [(line["level"], line["message"]) for line in lines] == [("WARNING", "loud")]


def _get(url: str, headers: dict[str, str]) -> int:
    try:
        with urllib.request.urlopen(urllib.request.Request(url, headers=headers), timeout=10) as response:
            return response.status
    except urllib.error.HTTPError as exc:
        return exc.code


@pytest.fixture
def served_log(redis_server: RedisServer, free_port, tmp_path: Path) -> tuple[str, Path]:  # noqa: ANN001
    """`wallboard serve` (one worker, access log on) with secrets in its environment; its base URL and
    the file its stdout and stderr went to. Requests that carry secrets are made, then it is stopped."""
    port = free_port()
    env = {**os.environ, **SECRETS, "REDIS_URL": redis_server.url, "WALLBOARD_LOG_LEVEL": "DEBUG"}
    env.pop("WALLBOARD_LOG_FORMAT", None)
    log_path = tmp_path / "serve.log"
    with log_path.open("w") as log:
        command = ["wallboard.cli", "serve", "--host", "127.0.0.1", "--port", str(port), "--workers", "1"]
        process = subprocess.Popen([sys.executable, "-m", *command], env=env, stdout=log, stderr=log)
        base = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + 60
            while _get_quietly(f"{base}/healthz") != 200 and time.monotonic() < deadline:
                assert process.poll() is None, log_path.read_text()[-2000:]
                time.sleep(0.2)
            bearer = {"Authorization": f"Bearer {SECRETS['WALLBOARD_API_TOKEN']}", "Cookie": COOKIE}
            assert _get(f"{base}/api/v1/metrics", {**bearer, "X-Request-ID": "trace-me-1"}) == 200
            assert _get(f"{base}/me/link/{LINK}", {"X-Request-ID": "trace-me-2"}) in (302, 400, 403, 404)
            assert _get(f"{base}/api/v1/leaderboard?metric=x&token={LINK}", bearer) == 400
        finally:
            process.terminate()
            process.wait(timeout=30)
    return base, log_path


def _get_quietly(url: str) -> int | None:
    try:
        return _get(url, {})
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return None


def test_log005_every_line_of_a_served_app_is_one_json_object(served_log: tuple[str, Path]) -> None:
    lines = served_log[1].read_text().splitlines()
    assert len(lines) > 5
    assert all(isinstance(json.loads(line), dict) for line in lines), lines


def test_log006_access_lines_and_request_logs_carry_the_request_id(served_log: tuple[str, Path]) -> None:
    entries = [json.loads(line) for line in served_log[1].read_text().splitlines()]
    access = [e for e in entries if e["logger"] == "gunicorn.access" and e.get("request_id") == "trace-me-1"]
    assert [(e["method"], e["path"], e["status"]) for e in access] == [("GET", "/api/v1/metrics", 200)]
    refused = [e for e in entries if e["logger"] != "gunicorn.access" and e.get("request_id") == "trace-me-2"]
    assert refused and "link refused" in refused[0]["message"]


def test_log007_no_token_cookie_or_link_secret_is_ever_logged(served_log: tuple[str, Path]) -> None:
    text = served_log[1].read_text()
    for secret in [*SECRETS.values(), COOKIE.split("=")[1], LINK]:
        assert secret not in text
