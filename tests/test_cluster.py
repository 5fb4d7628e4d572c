"""Redis Cluster: the store on a three-master cluster, from a ``redis+cluster://`` URL (issue #12).

The store, API and sync test modules marked ``cluster`` run on the session's cluster as well; these
tests cover what only a cluster has: namespaces in different slots, the URL forms, and a node frozen
under the running app (its requests give up within their deadline and everything recovers).
"""

from __future__ import annotations

import json
import os
import signal
import time
from datetime import datetime, timezone
from pathlib import Path
from typing import Iterator

import dash
import pytest
from redis.cluster import RedisCluster

from dashboard import create_app
from dashboard.auth import with_demo_user
from kpi.config import Config
from kpi.config.settings import Settings
from kpi.model.events import Event
from kpi.store import RedisStore, StoreUnavailable, breaker_of, make_redis, open_store
from kpi.store.clients import BREAKER_RESET
from kpi.store.keys import Keys
from tests.kiosk.dash_client import DashClient
from tests.redis_cluster import RedisClusterServers
from tests.test_frozen_redis import EVENT, PUSH, every_route, opened, sign_in

DAY = "2026-11-24"


def ticket(record_id: str, agent_id: str) -> Event:
    return Event.model_validate(
        {
            "source": "zd",
            "id": record_id,
            "type": "ticket_solved",
            "agent_id": agent_id,
            "team": "Support",
            "occurred_at": f"{DAY}T09:00:00+01:00",
        }
    )


def test_cl001_two_namespaces_land_on_different_slots_and_nodes(redis_cluster: RedisClusterServers) -> None:
    client = make_redis(redis_cluster.url)
    keys = [Keys("main").data_version, Keys("demo").data_version]
    assert isinstance(client, RedisCluster)
    assert client.keyslot(keys[0]) != client.keyslot(keys[1])
    assert client.get_node_from_key(keys[0]).name != client.get_node_from_key(keys[1]).name


def test_cl002_two_namespaces_on_one_cluster_keep_their_own_figures(
    redis_cluster: RedisClusterServers, config: Config
) -> None:
    client = make_redis(redis_cluster.url)
    client.flushdb()
    main, demo = RedisStore(client, "main"), RedisStore(client, "demo")
    main.upsert([ticket("1", "ann"), ticket("2", "ann")], config)
    demo.upsert([ticket("1", "bob")], config)
    assert {m: f.count for m, f in main.figures("tickets_solved", DAY, "agent").items()} == {"ann": 2}
    assert {m: f.count for m, f in demo.figures("tickets_solved", DAY, "agent").items()} == {"bob": 1}


def test_cl003_every_key_of_a_namespace_is_in_its_one_slot(
    redis_cluster: RedisClusterServers, config: Config
) -> None:
    client = make_redis(redis_cluster.url)
    client.flushdb()
    RedisStore(client, "acme").upsert([ticket("1", "ann")], config)
    slots = {client.keyslot(key) for key in client.scan_iter(match="*")}
    assert slots == {client.keyslot(Keys("acme").data_version)}


def test_cl009_a_node_that_lost_its_functions_gets_them_again(
    redis_cluster: RedisClusterServers, config: Config
) -> None:
    """What a new node looks like to the store: the namespace's node does not know the upsert library."""
    client = make_redis(redis_cluster.url)
    client.flushdb()
    store = RedisStore(client, "main")
    store.upsert([ticket("1", "ann")], config)
    client.function_flush()
    store.upsert([ticket("2", "ann"), ticket("3", "ann")], config)
    client.function_flush()
    store.upsert([ticket("4", "ann")], config)
    assert store.figures("tickets_solved", DAY, "agent")["ann"].count == 4


def test_cl004_cluster_nodes_variable_gives_a_cluster_url() -> None:
    settings = Settings.from_env({"REDIS_CLUSTER_NODES": "10.0.0.1:7000, 10.0.0.2:7000"})
    assert settings.redis_url == "redis+cluster://10.0.0.1:7000,10.0.0.2:7000/"


def test_cl005_redis_url_wins_over_cluster_nodes() -> None:
    env = {"REDIS_URL": "redis://r:6379/0", "REDIS_CLUSTER_NODES": "10.0.0.1:7000"}
    assert Settings.from_env(env).redis_url == "redis://r:6379/0"


def test_cl006_cluster_url_opens_a_redis_store_on_every_listed_node(
    redis_cluster: RedisClusterServers,
) -> None:
    store = open_store(redis_cluster.url, "main")
    assert isinstance(store, RedisStore) and isinstance(store.client, RedisCluster)
    assert {node.port for node in store.client.get_primaries()} == set(redis_cluster.ports)
    assert store.ping() is True


def test_cl007_a_request_client_on_a_cluster_has_one_breaker_and_a_patient_one_none(
    redis_cluster: RedisClusterServers,
) -> None:
    client = make_redis(redis_cluster.url, for_requests=True)
    connections = [node.redis_connection.connection_pool for node in client.get_primaries()]
    breakers = {id(pool.connection_class.shared_breaker) for pool in connections}
    assert breaker_of(client) is not None and breakers == {id(breaker_of(client))}
    assert breaker_of(make_redis(redis_cluster.url)) is None


def test_cl008_a_cluster_no_node_of_which_answers_is_unavailable(free_port) -> None:  # noqa: ANN001
    with pytest.raises(StoreUnavailable, match="no node of the Redis Cluster answered"):
        open_store(f"redis+cluster://127.0.0.1:{free_port()},127.0.0.1:{free_port()}/")


class FrozenNode:
    """A cluster of this test's own; the node holding one namespace can be frozen (SIGSTOP) and thawed."""

    def __init__(self, workdir: Path) -> None:
        self.cluster = RedisClusterServers(workdir)
        self.pid: int | None = None

    def freeze(self, namespace: str) -> None:
        client = make_redis(self.cluster.url)
        port = client.get_node_from_key(Keys(namespace).data_version).port
        self.pid = self.cluster.processes[self.cluster.ports.index(port)].pid
        client.close()
        os.kill(self.pid, signal.SIGSTOP)

    def thaw(self) -> None:
        if self.pid is not None:
            os.kill(self.pid, signal.SIGCONT)
            self.pid = None


@pytest.fixture
def own_cluster(tmp_path: Path) -> Iterator[FrozenNode]:
    """A throwaway cluster (never the session's shared one), thawed and stopped at the end."""
    frozen = FrozenNode(tmp_path)
    try:
        frozen.cluster.start()
        yield frozen
    finally:
        frozen.thaw()
        frozen.cluster.stop()


@pytest.fixture
def app(own_cluster: FrozenNode, config: Config) -> dash.Dash:
    """The app over `own_cluster`, its store opened from the cluster URL as in production."""
    config, _ = with_demo_user(config, password="demo-password")
    settings = Settings(redis_url=own_cluster.cluster.url, ingest_token="push", api_token="read")
    return create_app(settings, config=config)


def test_cl010_a_frozen_node_is_refused_at_once_and_everything_recovers(
    app: dash.Dash, own_cluster: FrozenNode
) -> None:
    client = app.server.test_client()
    tv = DashClient(client)
    sign_in(client)
    first = EVENT | {"id": "1", "occurred_at": datetime.now(timezone.utc).isoformat()}
    assert client.post("/api/v1/events", data=json.dumps(first), headers=PUSH).status_code == 200
    meta, seen = opened(tv)
    breaker = breaker_of(app.server.extensions["wallboard"].store.client)

    own_cluster.freeze("main")
    started = time.monotonic()
    rounds = [every_route(client, tv, meta, seen) for _ in range(2)]
    frozen_for = time.monotonic() - started
    print(f"\n2 rounds of {len(rounds[0])} routes against a frozen cluster node took {frozen_for:.2f} s")
    for answers in rounds:
        assert answers["push"][0] == 503 and answers["leaderboard"][0] == 503
        assert answers["health"][0] == 503 and answers["kiosk poll"][1]["ok"] is False
    probes = 1 + int(frozen_for / BREAKER_RESET)
    assert breaker.refused >= 2 * len(rounds[0]) - probes, "requests waited instead of being refused"

    own_cluster.thaw()
    for _ in range(100):  # the next probe (at most BREAKER_RESET from now) closes the breaker
        if client.get("/api/v1/health").status_code == 200:
            break
        time.sleep(0.1)
    answers = every_route(client, tv, meta, seen)
    assert answers["push"][0] == 200 and answers["kiosk poll"][1]["ok"] is True
    rows = answers["leaderboard"][1]["rows"]
    assert [(row["id"], row["value"]) for row in rows] == [("a1", 2)]
    assert breaker.state == "closed"
