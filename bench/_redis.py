"""A throwaway redis-server for the benchmarks: no persistence, a free loopback port."""

from __future__ import annotations

import contextlib
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from typing import Iterator

import redis


def free_port() -> int:
    """A loopback TCP port that nothing listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_redis(workdir: str) -> tuple[subprocess.Popen[bytes], str]:
    """Start a redis-server writing into `workdir`; return the process and its URL once it answers."""
    binary = shutil.which("redis-server")
    if binary is None:
        sys.exit("redis-server is not installed (apt-get install -y redis-server), or pass --redis-url")
    port = free_port()
    process = subprocess.Popen(
        [
            binary,
            "--port",
            str(port),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
            "--dir",
            workdir,
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    client = redis.Redis(port=port, socket_connect_timeout=0.2)
    for _ in range(200):
        with contextlib.suppress(redis.ConnectionError):
            if client.ping():
                return process, f"redis://127.0.0.1:{port}/0"
        time.sleep(0.05)
    process.kill()
    sys.exit("redis-server did not start within 10 s")


@contextlib.contextmanager
def own_redis(given_url: str | None = None) -> Iterator[str]:
    """A redis-server for the length of the block; yields its URL (`given_url` instead, when one is given)."""
    if given_url:
        yield given_url
        return
    with tempfile.TemporaryDirectory() as workdir:
        process, url = start_redis(workdir)
        try:
            yield url
        finally:
            process.terminate()
            process.wait(timeout=10)
