"""The kiosk stream under `wallboard serve` (gunicorn gthread): bounded per worker, ended on SIGTERM (#13)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from typing import Iterator

import httpx
import pytest

STREAM = "/_kiosk/stream/floor?n=0"
"""A TV of the built-in config's `floor` screen that has seen nothing (its first message is a reload)."""


@pytest.fixture
def serve(redis_client, redis_server, free_port) -> Iterator[tuple[str, subprocess.Popen]]:  # noqa: ANN001
    """`wallboard serve` with one worker holding at most one stream; its base URL and process."""
    port = free_port()
    env = {**os.environ, "REDIS_URL": redis_server.url, "WALLBOARD_STREAMS": "1", "WALLBOARD_THREADS": "2"}
    env.pop("WALLBOARD_CONFIG", None)
    command = [sys.executable, "-m", "wallboard.cli", "serve", "--host", "127.0.0.1", "--port", str(port)]
    process = subprocess.Popen(
        [*command, "--workers", "1"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_until_healthy(base, process)
        yield base, process
    finally:
        process.kill()
        process.wait(timeout=15)


def _wait_until_healthy(base: str, process: subprocess.Popen) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        assert process.poll() is None, "wallboard serve exited"
        try:
            if httpx.get(base + "/healthz", timeout=5).status_code == 200:
                return
        except httpx.HTTPError:
            time.sleep(0.2)
    pytest.fail("wallboard serve did not answer within 60 s")


def _up_to_date(base: str) -> str:
    """The stream URL of a TV of the `floor` screen that has its current signature and views."""
    with httpx.stream("GET", base + STREAM, timeout=10) as first:
        signature = next(first.iter_lines()).split('"r":"')[1].split('"')[0]
    poll = f"{base}/_kiosk/poll/floor?s={signature}&n="
    views = next(n for n in range(1, 40) if "r" not in httpx.get(f"{poll}{n}").json())
    return f"{base}/_kiosk/stream/floor?n={views}&s={signature}"


def test_kstserve001_a_full_worker_refuses_a_second_stream_and_still_serves_polls(
    serve: tuple[str, subprocess.Popen],
) -> None:
    base, _ = serve
    url = _up_to_date(base)
    with httpx.stream("GET", url, timeout=10) as held:
        assert held.status_code == 200 and next(held.iter_lines()).startswith("data: ")
        second = httpx.get(url, timeout=5)
        poll = httpx.get(url.replace("/_kiosk/stream/", "/_kiosk/poll/"), timeout=5)
    assert second.status_code == 503 and poll.status_code == 200


def test_kstserve002_sigterm_ends_a_workers_streams_at_once(serve: tuple[str, subprocess.Popen]) -> None:
    base, process = serve
    url = _up_to_date(base)
    with httpx.stream("GET", url, timeout=30) as held:
        lines = held.iter_lines()
        assert next(lines).startswith("data: ")
        process.send_signal(signal.SIGTERM)
        started = time.monotonic()
        for _ in lines:
            pass
        ended = time.monotonic() - started
    assert ended < 5, ended  # gunicorn's graceful timeout is 20 s
