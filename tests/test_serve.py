"""`wallboard serve`: the app under gunicorn with several workers sharing one Redis."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Iterator

import pytest


def _request(
    url: str, *, data: bytes | None = None, headers: dict[str, str] | None = None
) -> tuple[int, dict]:
    request = urllib.request.Request(url, data=data, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as exc:
        return exc.code, json.loads(exc.read())


@pytest.fixture
def served(redis_client, redis_server, free_port) -> Iterator[str]:  # noqa: ANN001
    """`wallboard serve` with two workers on a free port, using the test Redis; yields its base URL."""
    port = free_port()
    env = {
        **os.environ,
        "REDIS_URL": redis_server.url,
        "WALLBOARD_INGEST_TOKEN": "in",
        "WALLBOARD_API_TOKEN": "out",
    }
    env.pop("WALLBOARD_CONFIG", None)
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "wallboard.cli",
            "serve",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--workers",
            "2",
        ],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_until_healthy(base, process, seconds=60)
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()


def _wait_until_healthy(base: str, process: subprocess.Popen, seconds: float) -> None:
    """Poll the health endpoint until it answers 200; fail (the caller stops the server) otherwise.

    A slow first answer (workers still importing on a loaded machine) is a reason to ask again, not to fail.
    """
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"wallboard serve exited with {process.returncode} before answering")
        try:
            if _request(f"{base}/api/v1/health")[0] == 200:
                return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.2)
    pytest.fail(f"wallboard serve did not answer within {seconds:.0f} s")


def test_srv001_workers_share_the_figures_through_redis(served: str) -> None:
    events = [
        {
            "source": "crm",
            "id": f"d{n}",
            "type": "deal_won",
            "agent_id": "a1",
            "team": "North",
            "value": 100,
            "occurred_at": "2026-11-24T10:00:00Z",
        }
        for n in range(5)
    ]
    status, body = _request(
        f"{served}/api/v1/events",
        data=json.dumps(events).encode(),
        headers={"Authorization": "Bearer in", "Content-Type": "application/json"},
    )
    assert (status, body["new"]) == (200, 5)
    for _ in range(6):
        status, board = _request(
            f"{served}/api/v1/leaderboard?metric=revenue&period=day&bucket=2026-11-24",
            headers={"Authorization": "Bearer out"},
        )
        assert status == 200 and board["rows"][0]["value"] == 500.0


def test_srv002_serve_refuses_to_start_on_a_broken_config(tmp_path: Path) -> None:
    path = tmp_path / "broken.yaml"
    path.write_text("metrics: {}\n")
    result = subprocess.run(
        [sys.executable, "-m", "wallboard.cli", "serve"],
        capture_output=True,
        text=True,
        env={**os.environ, "WALLBOARD_CONFIG": str(path)},
        timeout=60,
    )
    assert result.returncode == 2
    assert f"{path}: metrics:" in result.stderr
