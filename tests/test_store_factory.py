"""Which store the app gets: in-process without REDIS_URL, Redis over TCP or a unix socket with it."""

from __future__ import annotations

import shutil
import subprocess
import time
from pathlib import Path

from kpi.config import Config
from kpi.model.events import Event
from kpi.store import MemoryStore, RedisStore, open_store


def test_sf001_no_redis_url_gives_the_in_process_store() -> None:
    assert isinstance(open_store(None), MemoryStore)


def test_sf002_unix_socket_url_gives_a_working_redis_store(tmp_path: Path, config: Config) -> None:
    socket_path = tmp_path / "redis.sock"
    process = subprocess.Popen(
        [
            shutil.which("redis-server") or "redis-server",
            "--port",
            "0",
            "--unixsocket",
            str(socket_path),
            "--save",
            "",
            "--dir",
            str(tmp_path),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 10
        while not socket_path.exists() and time.monotonic() < deadline:
            time.sleep(0.05)
        store = open_store(f"unix://{socket_path}", namespace="sock")
        assert isinstance(store, RedisStore)
        event = Event(
            source="crm", id="1", type="deal_won", agent_id="a", value=10, occurred_at="2026-11-24T10:00:00Z"
        )
        assert [o.value for o in store.upsert([event], config)] == ["new"]
        assert store.data_version() == 1
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_sf003_unreachable_redis_answers_ping_false_without_hanging() -> None:
    assert open_store("redis://127.0.0.1:1/0").ping() is False
