"""Redis clients: one factory for a single Redis server and for a Redis Cluster, patient or for requests.

``REDIS_URL`` picks the kind: ``redis://``, ``rediss://`` and ``unix://`` name one server;
``redis+cluster://host:port[,host:port...]`` (``rediss+cluster://`` over TLS) names a Redis Cluster, found
from whichever listed node answers first. Every key of a namespace carries the hash tag ``{namespace}``,
so a namespace lives in one hash slot: its transactions, Lua scripts and functions run on one node, as on
one server (`on_node_of` sends a keyless command, such as FUNCTION LOAD, to that node).
"""

from __future__ import annotations

from typing import Any, Union
from urllib.parse import urlsplit, urlunsplit

import redis
from redis.backoff import ExponentialBackoff
from redis.cluster import ClusterNode, RedisCluster
from redis.connection import Connection, SSLConnection
from redis.exceptions import RedisClusterException
from redis.retry import Retry

from kpi.store.base import StoreUnavailable
from kpi.store.breaker import CircuitBreaker, guarded_class

Client = Union[redis.Redis, RedisCluster]
CLUSTER_SCHEMES = {"redis+cluster": "redis", "rediss+cluster": "rediss"}
"""A cluster URL's scheme → the scheme of each node's connections."""
REQUEST_TIMEOUT = 0.5
"""Seconds a web request's client waits for one Redis reply (or connection) before it gives up."""
BREAKER_RESET = 2.0
"""Seconds a web worker refuses Redis calls after one failed, before it probes Redis again."""


def is_cluster_url(url: str) -> bool:
    """True for a ``redis+cluster://`` or ``rediss+cluster://`` URL."""
    return urlsplit(url).scheme in CLUSTER_SCHEMES


def make_redis(url: str, *, for_requests: bool = False, **overrides: object) -> Client:
    """A client with explicit timeouts, retries and response shapes (redis-py 8 changed the defaults).

    Args:
        for_requests: a client for a web worker: short timeouts, one quick retry, the request's
            deadline and a circuit breaker shared by the worker's threads (`kpi.store.breaker`);
            on a cluster, one breaker for the connections to every node.
            Without it (sync workers, the CLI) the client waits up to 5 s a reply and retries 3 times.
    """
    breaker = CircuitBreaker(BREAKER_RESET) if for_requests else None
    if is_cluster_url(url):
        return _cluster(url, breaker, overrides)
    options: dict[str, object] = {
        **_common_options(breaker),
        "health_check_interval": 30,
        "retry_on_error": [redis.ConnectionError, redis.TimeoutError],
    }
    if breaker is not None:
        options["connection_class"] = guarded_class(urlsplit(url).scheme, breaker)
    options.update(overrides)
    return redis.Redis.from_url(url, **options)


def _common_options(breaker: CircuitBreaker | None) -> dict[str, object]:
    """Response shapes, timeouts and retries of every client; a breaker means a request's client."""
    patient = breaker is None
    return {
        "decode_responses": True,
        "protocol": 3,
        "legacy_responses": False,
        "socket_timeout": 5 if patient else REQUEST_TIMEOUT,
        "socket_connect_timeout": 3 if patient else REQUEST_TIMEOUT,
        "retry": Retry(ExponentialBackoff(cap=1.0, base=0.05), retries=3)
        if patient
        else Retry(ExponentialBackoff(cap=0.1, base=0.02), retries=1),
    }


def _cluster(url: str, breaker: CircuitBreaker | None, overrides: dict[str, object]) -> RedisCluster:
    """A cluster client from the first listed node; the others are further startup nodes.

    Unlike a single server's client it reads the cluster's slot map as it is created, so it raises
    `StoreUnavailable` when no listed node answers. The retry is the cluster client's own (its
    per-node connections never retry), and the connection class is set explicitly: redis-py passes
    no unknown arguments on to the nodes' connections.
    """
    parts = urlsplit(url)
    node_scheme = CLUSTER_SCHEMES[parts.scheme]
    credentials, _, hosts = parts.netloc.rpartition("@")
    first, *others = [host for host in hosts.split(",") if host]
    login = f"{credentials}@" if credentials else ""
    options = _common_options(breaker)
    if breaker is not None:
        options["connection_class"] = guarded_class(node_scheme, breaker)
    else:
        options["connection_class"] = SSLConnection if node_scheme == "rediss" else Connection
    options.update(overrides)
    try:
        return RedisCluster(
            url=urlunsplit(("redis", f"{login}{first}", "", parts.query, "")),
            startup_nodes=[_node(address) for address in others],
            **options,
        )
    except (RedisClusterException, redis.ConnectionError, redis.TimeoutError) as exc:
        raise StoreUnavailable(f"no node of the Redis Cluster answered: {exc}") from exc


def _node(address: str) -> ClusterNode:
    host, _, port = address.rpartition(":")
    return ClusterNode(host.strip("[]"), int(port))


def breaker_of(client: Client) -> CircuitBreaker | None:
    """The circuit breaker of a web worker's client; None for a patient one."""
    if isinstance(client, RedisCluster):
        connection_class = client.nodes_manager.connection_kwargs.get("connection_class")
    else:
        connection_class = client.connection_pool.connection_class
    return getattr(connection_class, "shared_breaker", None)


def on_node_of(client: Client, key: str) -> dict[str, Any]:
    """Keyword arguments sending a keyless command (PING, SCAN, INFO) to the node that holds `key`'s
    slot on a cluster; none on one server."""
    if isinstance(client, RedisCluster):
        return {"target_nodes": client.get_node_from_key(key)}
    return {}
