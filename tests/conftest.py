"""Fixtures shared by every test: a real redis-server, configs, stores and the app.

A test module marked ``pytest.mark.cluster`` runs its Redis tests on a three-master Redis Cluster too:
the `store` fixture then gets a ``cluster`` variant, and tests that take `redis_client` (or what is
built on it: `redis_store`, `redis_url`) run once per backend (``server``, ``cluster``).
"""

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
from tests.redis_cluster import RedisClusterServers


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class RedisServer:
    """A throwaway redis-server on a free loopback port, which tests may stop and start again."""

    def __init__(self, workdir: Path, *extra: str) -> None:
        """`extra`: more redis-server arguments (``--rename-command FCALL ""`` makes a Redis without it)."""
        self.port = _free_port()
        self.workdir = workdir
        self.extra = extra
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
                *self.extra,
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


@pytest.fixture(scope="session")
def redis_cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RedisClusterServers]:
    """A real three-master Redis Cluster for the whole test session (started on first use)."""
    cluster = RedisClusterServers(tmp_path_factory.mktemp("redis-cluster"))
    try:
        cluster.start()
        yield cluster
    finally:
        cluster.stop()


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """In modules marked ``cluster``, tests on `redis_client` run on each Redis backend (not those that
    stop or start the single `redis_server` themselves)."""
    names = metafunc.fixturenames
    if (
        metafunc.definition.get_closest_marker("cluster")
        and "redis_backend" in names
        and "redis_server" not in names
    ):
        metafunc.parametrize("redis_backend", ["server", "cluster"], indirect=True)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """The `store` fixture's ``cluster`` variant runs only in modules marked ``cluster``."""
    kept, dropped = [], []
    for item in items:
        params = getattr(getattr(item, "callspec", None), "params", {})
        on_cluster = params.get("store") == "cluster" and item.get_closest_marker("cluster") is None
        (dropped if on_cluster else kept).append(item)
    if dropped:
        config.hook.pytest_deselected(items=dropped)
        items[:] = kept


@pytest.fixture
def redis_backend(request: pytest.FixtureRequest) -> str:
    """Which Redis the test's client talks to: ``server`` (one redis-server) or ``cluster``."""
    return getattr(request, "param", "server")


@pytest.fixture
def redis_url(redis_backend: str, request: pytest.FixtureRequest) -> str:
    """The ``REDIS_URL`` of the test's Redis (started if need be)."""
    if redis_backend == "cluster":
        return request.getfixturevalue("redis_cluster").url
    server: RedisServer = request.getfixturevalue("redis_server")
    if server.process is None:
        server.start()
    return server.url


@pytest.fixture
def redis_client(redis_url: str) -> Iterator[redis.Redis]:
    """A client of the session's redis-server (or cluster), on a database emptied for this test."""
    client = make_redis(redis_url)
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


@pytest.fixture(params=["memory", "redis", "cluster"])
def store(request: pytest.FixtureRequest) -> MemoryStore | RedisStore:
    """Each store in turn: behaviour must not depend on which one runs (``cluster``: see the module doc)."""
    if request.param == "memory":
        return MemoryStore()
    if request.param == "cluster":
        client = make_redis(request.getfixturevalue("redis_cluster").url)
        client.flushdb()
        request.addfinalizer(client.close)
        return RedisStore(client)
    return RedisStore(request.getfixturevalue("redis_client"))
