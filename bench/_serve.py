"""A real `wallboard serve` for the load bench: its config, its process group, and CPU read from /proc."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any, Iterator

import httpx
import yaml

from bench._redis import free_port

DEFAULT_CONFIG = Path(__file__).resolve().parent.parent / "kpi" / "config" / "default_config.yaml"
PUSH_TOKEN, READ_TOKEN = "bench-push", "bench-read"
MANAGER, PASSWORD = "bench-admin", "bench-password-1"
MARKER_ID, MARKER_ALIAS = "bench-marker", "Beacon"
"""The agent whose figure the pushed marked events raise; TVs recognise its alias in what they are sent."""


def write_config(workdir: Path) -> Path:
    """The built-in config, plus one admin for the managers and an alias for the marker agent."""
    from werkzeug.security import generate_password_hash

    data: dict[str, Any] = yaml.safe_load(DEFAULT_CONFIG.read_text())
    hashed = generate_password_hash(PASSWORD, method="pbkdf2:sha256:1000")
    data["users"] = {MANAGER: {"password_hash": hashed, "role": "admin", "name": "Bench Admin"}}
    data["agents"] = {**(data.get("agents") or {}), MARKER_ID: {"alias": MARKER_ALIAS}}
    path = workdir / "wallboard.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False))
    return path


@contextlib.contextmanager
def serve(redis_url: str, config: Path, workers: int, log: Path | None = None) -> Iterator[tuple[str, int]]:
    """`wallboard serve` in its own process group until the block ends; yields its URL and group id.

    Its output (JSON log lines, warnings and errors only) goes to `log` when one is given.
    """
    port = free_port()
    env = {
        **os.environ,
        "REDIS_URL": redis_url,
        "WALLBOARD_CONFIG": str(config),
        "WALLBOARD_INGEST_TOKEN": PUSH_TOKEN,
        "WALLBOARD_API_TOKEN": READ_TOKEN,
        "WALLBOARD_SECRET_KEY": "bench-secret-key-shared-by-workers",
        "WALLBOARD_ACCESS_LOG": "off",
        "WALLBOARD_LOG_LEVEL": "WARNING",
    }
    command = [sys.executable, "-m", "wallboard.cli", "serve", "--host", "127.0.0.1", "--port", str(port)]
    output = log.open("ab") if log else subprocess.DEVNULL
    process = subprocess.Popen(
        [*command, "--workers", str(workers)],
        env=env,
        stdout=output,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_until_healthy(base, process, seconds=90)
        yield base, process.pid
    finally:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=10)
        if log:
            output.close()


def _wait_until_healthy(base: str, process: subprocess.Popen[bytes], seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            sys.exit(f"wallboard serve exited with {process.returncode} before answering")
        with contextlib.suppress(httpx.HTTPError):
            if httpx.get(f"{base}/api/v1/health", timeout=5).status_code == 200:
                return
        time.sleep(0.2)
    sys.exit(f"wallboard serve did not answer within {seconds:.0f} s")


def _ticks_to_seconds(ticks: int) -> float:
    return ticks / os.sysconf("SC_CLK_TCK")


def _stat_fields(pid: int) -> list[str] | None:
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    return text[text.rindex(")") + 2 :].split()


def process_cpu(pid: int) -> float:
    """CPU seconds (user + system, all threads, and its reaped children) of one process."""
    fields = _stat_fields(pid)
    if fields is None:
        return 0.0
    return _ticks_to_seconds(sum(int(fields[index]) for index in (11, 12, 13, 14)))


def group_cpu(pgid: int) -> float:
    """CPU seconds of every live process in the process group `pgid` (gunicorn's master and workers)."""
    total = 0.0
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            fields = _stat_fields(int(entry.name))
            if fields is not None and int(fields[2]) == pgid:
                total += process_cpu(int(entry.name))
    return total
