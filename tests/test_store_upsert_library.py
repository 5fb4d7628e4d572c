"""The upsert script as a Redis function library (kpi/store/upsert_library.py): loaded once per server,
loaded again where it went missing, and side by side with another release's."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Iterator

import pytest
import redis
from redis.exceptions import ResponseError

from dashboard import create_app
from kpi.config import Config
from kpi.config.settings import Settings
from kpi.store import RedisStore, make_redis
from kpi.store.upsert_library import RedisTooOld, UpsertFunctions, UpsertLibrary, release_body
from tests.conftest import RedisServer
from tests.test_cluster import DAY, ticket

pytestmark = pytest.mark.cluster


def solved(store: RedisStore, agent_id: str = "ann") -> int:
    return store.figures("tickets_solved", DAY, "agent")[agent_id].count


@pytest.fixture
def server_client(redis_server) -> Iterator[redis.Redis]:  # noqa: ANN001 - the session's RedisServer
    """A client of the one redis-server (not the cluster): its command statistics are the server's."""
    if redis_server.process is None:
        redis_server.start()
    client = make_redis(redis_server.url)
    client.flushdb()
    client.function_flush()
    client.config_resetstat()
    yield client
    client.close()


def loads(client: redis.Redis) -> int:
    return int(client.info("commandstats").get("cmdstat_function|load", {}).get("calls", 0))


def test_ul001_a_server_that_lost_the_library_loads_it_again_on_a_single_event(
    redis_store: RedisStore, redis_client: redis.Redis, config: Config
) -> None:
    """FUNCTION FLUSH is what a restart without persistence, or a new node, leaves the store."""
    redis_store.upsert([ticket("1", "ann")], config)
    redis_client.function_flush()
    assert redis_store.upsert([ticket("2", "ann")], config)[0].value == "new"
    assert solved(redis_store) == 2


def test_ul002_a_server_that_lost_the_library_loads_it_again_on_a_batch(
    redis_store: RedisStore, redis_client: redis.Redis, config: Config
) -> None:
    redis_store.upsert([ticket("1", "ann")], config)
    redis_client.function_flush()
    outcomes = redis_store.upsert([ticket("1", "ann"), ticket("2", "ann"), ticket("3", "ann")], config)
    assert [o.value for o in outcomes] == ["unchanged", "new", "new"]
    assert solved(redis_store) == 3


def test_ul003_the_library_is_loaded_once_not_per_call(server_client: redis.Redis, config: Config) -> None:
    store = RedisStore(server_client)
    for n in range(20):
        store.upsert([ticket(str(n), "ann")], config)
    store.upsert([ticket(str(n), "ann") for n in range(20, 40)], config)
    assert loads(server_client) == 1
    assert solved(store) == 40


def test_ul004_a_failing_call_is_not_mistaken_for_a_missing_library(
    server_client: redis.Redis, config: Config
) -> None:
    store = RedisStore(server_client)
    store.upsert([ticket("1", "ann")], config)
    with pytest.raises(ResponseError):
        store.functions.single([store.keys.data_version], ["too", "few"])
    assert loads(server_client) == 1
    assert solved(store) == 1


def test_ul005_two_releases_libraries_run_side_by_side(server_client: redis.Redis, config: Config) -> None:
    """A rolling upgrade: processes of the old and the new release write to one Redis at once."""
    store = RedisStore(server_client)
    built = UpsertLibrary.build()
    older = UpsertLibrary.of(release_body() + "\n-- an older release")
    store.upsert([ticket("1", "ann")], config)
    store.functions = UpsertFunctions(server_client, store.keys.data_version, older)
    store.upsert([ticket("2", "ann")], config)
    store.functions = UpsertFunctions(server_client, store.keys.data_version, built)
    store.upsert([ticket("3", "ann"), ticket("4", "ann")], config)
    libraries = {library["library_name"] for library in server_client.function_list()}
    assert libraries == {f"wallboard_upsert_{built.single[10:]}", f"wallboard_upsert_{older.single[10:]}"}
    assert loads(server_client) == 2
    assert solved(store) == 4


def test_ul006_the_namespace_s_node_lists_the_library_once_a_write_loaded_it(
    redis_store: RedisStore, redis_client: redis.Redis, config: Config
) -> None:
    redis_client.function_flush()
    assert redis_store.functions.loaded_libraries() == []
    redis_store.upsert([ticket("1", "ann")], config)
    assert redis_store.functions.loaded_libraries() == [redis_store.functions.name]


@pytest.fixture
def redis_without_functions(tmp_path: Path) -> Iterator[str]:
    """What Redis 6.x looks like to the store: a server that knows no FCALL or FUNCTION."""
    server = RedisServer(tmp_path, "--rename-command", "FCALL", "", "--rename-command", "FUNCTION", "")
    server.start()
    yield server.url
    server.stop()


def test_ul007_a_redis_without_functions_is_named_too_old_and_nothing_is_written(
    redis_without_functions: str, config: Config
) -> None:
    store = RedisStore(make_redis(redis_without_functions))
    with pytest.raises(RedisTooOld, match="needs Redis 7.0 or later"):
        store.upsert([ticket("1", "ann")], config)
    with pytest.raises(RedisTooOld):
        store.upsert([ticket("2", "ann"), ticket("3", "ann")], config)
    assert store.client.dbsize() == 0


def test_ul008_a_push_to_a_redis_without_functions_is_a_503_that_says_why(
    redis_without_functions: str, config: Config
) -> None:
    store = RedisStore(make_redis(redis_without_functions))
    app = create_app(Settings(ingest_token="push-secret"), config=config, store=store)
    event = {
        "source": "zd",
        "id": "1",
        "type": "ticket_solved",
        "agent_id": "ann",
        "occurred_at": f"{DAY}T09:00:00Z",
    }
    answer = app.server.test_client().post(
        "/api/v1/events",
        data=json.dumps(event),
        headers={"Authorization": "Bearer push-secret"},
        content_type="application/json",
    )
    assert answer.status_code == 503
    assert "needs Redis 7.0 or later" in answer.get_json()["error"]
