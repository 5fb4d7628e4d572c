"""Fixtures shared by every test: a real redis-server, configs, stores and the app."""

from __future__ import annotations

import shutil
import socket
import subprocess
import time
from pathlib import Path
from typing import Callable, Iterator

import pytest
import redis

from kpi.config import Config, load_config
from kpi.store import MemoryStore, RedisStore, make_redis


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class RedisServer:
    """A throwaway redis-server on a free loopback port, which tests may stop and start again."""

    def __init__(self, workdir: Path) -> None:
        self.port = _free_port()
        self.workdir = workdir
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        binary = shutil.which("redis-server")
        if binary is None:
            pytest.fail("redis-server is not installed (apt-get install -y redis-server)")
        self.process = subprocess.Popen(
            [
                binary,
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(self.workdir),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        client = redis.Redis(port=self.port, socket_connect_timeout=0.2)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                if client.ping():
                    return
            except redis.ConnectionError:
                time.sleep(0.05)
        pytest.fail("redis-server did not start within 10 s")

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=10)
            self.process = None


@pytest.fixture
def free_port() -> Callable[[], int]:
    """A function that returns a loopback TCP port nothing listens on right now."""
    return _free_port


@pytest.fixture(scope="session")
def redis_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RedisServer]:
    """A real redis-server for the whole test session."""
    server = RedisServer(tmp_path_factory.mktemp("redis"))
    server.start()
    yield server
    server.stop()


@pytest.fixture
def redis_client(redis_server: RedisServer) -> Iterator[redis.Redis]:
    """A client of the session's redis-server, on a database emptied for this test."""
    if redis_server.process is None:
        redis_server.start()
    client = make_redis(redis_server.url)
    client.flushdb()
    yield client
    client.close()


@pytest.fixture
def config() -> Config:
    """The built-in default configuration (time zone Europe/Oslo)."""
    return load_config()


@pytest.fixture
def redis_store(redis_client: redis.Redis) -> RedisStore:
    """A Redis store on an empty database."""
    return RedisStore(redis_client)


@pytest.fixture(params=["memory", "redis"])
def store(request: pytest.FixtureRequest) -> MemoryStore | RedisStore:
    """Each store in turn: behaviour must not depend on which one runs."""
    if request.param == "memory":
        return MemoryStore()
    return RedisStore(request.getfixturevalue("redis_client"))
