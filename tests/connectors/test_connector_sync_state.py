"""Cursors, locks and health kept next to the figures, in each store."""

from __future__ import annotations

import time

import pytest
import redis

from kpi.store import MemoryStore, RedisStore
from kpi.store.sync_state import MemorySyncState, RedisSyncState, SyncState, sync_state_for

pytestmark = pytest.mark.cluster
"""Also on a three-master Redis Cluster (tests/conftest.py)."""


@pytest.fixture
def state(store) -> SyncState:
    return sync_state_for(store)


def test_cursor_is_none_before_the_first_save(state):
    assert state.cursor("zendesk") is None


def test_saved_cursor_is_read_back(state):
    state.acquire("zendesk", "me", 30)
    state.save("zendesk", "me", 30, '{"cursor": "c1"}')
    assert state.cursor("zendesk") == '{"cursor": "c1"}'


def test_lock_held_by_one_token_is_refused_to_another(state):
    state.acquire("zendesk", "first", 30)
    assert not state.acquire("zendesk", "second", 30)


def test_save_without_the_lock_is_refused_and_keeps_the_cursor(state):
    state.acquire("zendesk", "holder", 30)
    state.save("zendesk", "holder", 30, "mine")
    assert not state.save("zendesk", "intruder", 30, "theirs")
    assert state.cursor("zendesk") == "mine"


def test_released_lock_can_be_taken_again(state):
    state.acquire("zendesk", "first", 30)
    state.release("zendesk", "first")
    assert state.acquire("zendesk", "second", 30)


def test_release_by_another_token_keeps_the_lock(state):
    state.acquire("zendesk", "first", 30)
    state.release("zendesk", "second")
    assert not state.acquire("zendesk", "third", 30)


def test_expired_lock_is_taken_over(state):
    state.acquire("zendesk", "dead", 0.05)
    deadline = time.monotonic() + 5
    while not state.acquire("zendesk", "alive", 30):
        assert time.monotonic() < deadline, "the expired lock was never released"
        time.sleep(0.01)


def test_locks_of_different_connectors_are_independent(state):
    state.acquire("zendesk", "a", 30)
    assert state.acquire("hubspot", "b", 30)


def test_health_lists_every_connector_with_its_fields(state):
    state.write_health("zendesk", {"status": "ok"})
    state.write_health("hubspot", {"status": "error", "last_error": "HTTP 500"})
    state.write_health("zendesk", {"records": "7"})
    assert state.health() == {
        "hubspot": {"status": "error", "last_error": "HTTP 500"},
        "zendesk": {"status": "ok", "records": "7"},
    }


def test_memory_store_keeps_one_state_across_calls():
    store = MemoryStore()
    assert sync_state_for(store) is sync_state_for(store)


def test_memory_lock_expires_by_the_injected_clock():
    now = [0.0]
    state = MemorySyncState(clock=lambda: now[0])
    state.acquire("zendesk", "dead", 10)
    now[0] = 10.0
    assert state.acquire("zendesk", "alive", 10)


def test_redis_keys_live_under_the_store_namespace(redis_client: redis.Redis):
    state = sync_state_for(RedisStore(redis_client, "acme"))
    state.acquire("zendesk", "me", 30)
    state.save("zendesk", "me", 30, "c1")
    state.write_health("zendesk", {"status": "ok"})
    assert sorted(redis_client.scan_iter(match="*")) == [
        "wb:{acme}:sync:names",
        "wb:{acme}:sync:zendesk:cursor",
        "wb:{acme}:sync:zendesk:health",
        "wb:{acme}:sync:zendesk:lock",
    ]


def test_redis_state_is_the_redis_implementation(redis_store: RedisStore):
    assert isinstance(sync_state_for(redis_store), RedisSyncState)
