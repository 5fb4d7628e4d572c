"""A throwaway three-master Redis Cluster on free loopback ports, for the tests that run on a cluster too."""

from __future__ import annotations

import shutil
import socket
import subprocess
import time
from pathlib import Path

import pytest
import redis

MASTERS = 3


def _free_ports(count: int) -> list[int]:
    """`count` distinct loopback ports nothing listens on right now (held open together while chosen)."""
    sockets = [socket.socket() for _ in range(count)]
    try:
        for sock in sockets:
            sock.bind(("127.0.0.1", 0))
        return [sock.getsockname()[1] for sock in sockets]
    finally:
        for sock in sockets:
            sock.close()


class RedisClusterServers:
    """Three ``redis-server --cluster-enabled yes`` in their own directories, joined by
    ``redis-cli --cluster create``; each node's cluster bus gets a free port of its own too."""

    def __init__(self, workdir: Path) -> None:
        ports = _free_ports(2 * MASTERS)
        self.ports, self.bus_ports = ports[:MASTERS], ports[MASTERS:]
        self.workdir = workdir
        self.processes: list[subprocess.Popen[bytes]] = []

    @property
    def url(self) -> str:
        """The ``REDIS_URL`` of the cluster, listing every node."""
        return "redis+cluster://" + ",".join(f"127.0.0.1:{port}" for port in self.ports) + "/"

    def start(self) -> None:
        server, cli = shutil.which("redis-server"), shutil.which("redis-cli")
        if server is None or cli is None:
            pytest.fail("redis-server and redis-cli are not installed (apt-get install -y redis-server)")
        for port, bus_port in zip(self.ports, self.bus_ports):
            self.processes.append(self._start_node(server, port, bus_port))
        for port in self.ports:
            self._wait(port, lambda client: client.ping(), "start")
        nodes = [f"127.0.0.1:{port}" for port in self.ports]
        subprocess.run(
            [cli, "--cluster", "create", *nodes, "--cluster-replicas", "0", "--cluster-yes"],
            check=True,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            timeout=60,
        )
        for port in self.ports:
            self._wait(port, lambda client: client.cluster("info")["cluster_state"] == "ok", "agree")

    def _start_node(self, binary: str, port: int, bus_port: int) -> subprocess.Popen[bytes]:
        directory = self.workdir / str(port)
        directory.mkdir()
        return subprocess.Popen(
            [binary, "--port", str(port), "--bind", "127.0.0.1", "--cluster-enabled", "yes"]
            + ["--cluster-port", str(bus_port), "--cluster-config-file", "nodes.conf"]
            + ["--cluster-node-timeout", "2000", "--save", "", "--appendonly", "no"]
            + ["--dir", str(directory)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )

    @staticmethod
    def _wait(port: int, ready, what: str) -> None:  # noqa: ANN001 - a predicate on a client
        client = redis.Redis(port=port, socket_connect_timeout=0.2, decode_responses=True)
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            try:
                if ready(client):
                    return
            except (redis.ConnectionError, redis.ResponseError, KeyError):
                pass
            time.sleep(0.05)
        pytest.fail(f"redis cluster node {port} did not {what} within 20 s")

    def stop(self) -> None:
        for process in self.processes:
            process.terminate()
        for process in self.processes:
            process.wait(timeout=10)
        self.processes = []
