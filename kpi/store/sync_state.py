"""Where connectors keep their cursors, locks and health: next to the figures they feed.

Only this module (and redis_store.py) knows Redis key names. A connector's keys are
``wb:{<namespace>}:sync:<connector>:cursor|lock|health``, plus the set ``wb:{<namespace>}:sync:names``.
A cursor is saved only by the holder of the connector's lock, and saving it extends the lock, in one
atomic step: a runner that lost its lock (it stalled past the expiry) can never move a cursor back.
"""

from __future__ import annotations

import threading
import time
import weakref
from collections.abc import Callable, Mapping
from typing import Protocol

from kpi.store.base import Store
from kpi.store.clients import Client
from kpi.store.keys import Keys
from kpi.store.memory import MemoryStore
from kpi.store.redis_store import RedisStore, call_redis

_SAVE_IF_HELD = """
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
redis.call('PEXPIRE', KEYS[1], ARGV[2])
if ARGV[3] == '1' then redis.call('SET', KEYS[2], ARGV[4]) end
return 1
"""

_RELEASE_IF_HELD = """
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
"""


class SyncState(Protocol):
    """Cursors, locks and health of the connectors of one store."""

    def cursor(self, connector: str) -> str | None:
        """The saved cursor, or None before the first run."""

    def acquire(self, connector: str, token: str, ttl_seconds: float) -> bool:
        """Take the connector's lock for `ttl_seconds` unless someone else holds it."""

    def save(self, connector: str, token: str, ttl_seconds: float, cursor: str | None = None) -> bool:
        """If `token` holds the lock: extend it and store `cursor` (unless None); else False."""

    def release(self, connector: str, token: str) -> None:
        """Give the lock up if `token` still holds it."""

    def write_health(self, connector: str, fields: Mapping[str, str]) -> None:
        """Merge `fields` into the connector's health record."""

    def health(self) -> dict[str, dict[str, str]]:
        """Every connector's health record, by connector name."""


class RedisSyncState:
    """Sync state in the same Redis database and namespace as a `RedisStore`."""

    def __init__(self, client: Client, namespace: str) -> None:
        self.client = client
        self.keys = Keys(namespace)
        self._save = client.register_script(_SAVE_IF_HELD)
        self._release = client.register_script(_RELEASE_IF_HELD)

    def cursor(self, connector: str) -> str | None:
        return call_redis(self.client.get, self.keys.sync(connector, "cursor"))

    def acquire(self, connector: str, token: str, ttl_seconds: float) -> bool:
        return bool(
            call_redis(
                self.client.set, self.keys.sync(connector, "lock"), token, nx=True, px=_millis(ttl_seconds)
            )
        )

    def save(self, connector: str, token: str, ttl_seconds: float, cursor: str | None = None) -> bool:
        keys = [self.keys.sync(connector, "lock"), self.keys.sync(connector, "cursor")]
        args = [token, _millis(ttl_seconds), "0" if cursor is None else "1", cursor or ""]
        return bool(call_redis(self._save, keys=keys, args=args))

    def release(self, connector: str, token: str) -> None:
        call_redis(self._release, keys=[self.keys.sync(connector, "lock")], args=[token])

    def write_health(self, connector: str, fields: Mapping[str, str]) -> None:
        pipe = self.client.pipeline(transaction=True)
        pipe.sadd(self.keys.sync_names, connector)
        if fields:
            pipe.hset(self.keys.sync(connector, "health"), mapping=dict(fields))
        call_redis(pipe.execute)

    def health(self) -> dict[str, dict[str, str]]:
        names = sorted(call_redis(self.client.smembers, self.keys.sync_names))
        pipe = self.client.pipeline(transaction=False)
        for name in names:
            pipe.hgetall(self.keys.sync(name, "health"))
        return dict(zip(names, call_redis(pipe.execute), strict=True))


class MemorySyncState:
    """Sync state of an in-process store; the clock is injectable so lock expiry can be tested."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._lock = threading.Lock()
        self._cursors: dict[str, str] = {}
        self._locks: dict[str, tuple[str, float]] = {}
        self._health: dict[str, dict[str, str]] = {}

    def _holder(self, connector: str) -> str | None:
        held = self._locks.get(connector)
        if held is None or held[1] <= self._clock():
            return None
        return held[0]

    def cursor(self, connector: str) -> str | None:
        with self._lock:
            return self._cursors.get(connector)

    def acquire(self, connector: str, token: str, ttl_seconds: float) -> bool:
        with self._lock:
            if self._holder(connector) is not None:
                return False
            self._locks[connector] = (token, self._clock() + ttl_seconds)
            return True

    def save(self, connector: str, token: str, ttl_seconds: float, cursor: str | None = None) -> bool:
        with self._lock:
            if self._holder(connector) != token:
                return False
            self._locks[connector] = (token, self._clock() + ttl_seconds)
            if cursor is not None:
                self._cursors[connector] = cursor
            return True

    def release(self, connector: str, token: str) -> None:
        with self._lock:
            if self._holder(connector) == token:
                del self._locks[connector]

    def write_health(self, connector: str, fields: Mapping[str, str]) -> None:
        with self._lock:
            self._health.setdefault(connector, {}).update(fields)

    def health(self) -> dict[str, dict[str, str]]:
        with self._lock:
            return {name: dict(fields) for name, fields in sorted(self._health.items())}


_MEMORY_STATES: weakref.WeakKeyDictionary[MemoryStore, MemorySyncState] = weakref.WeakKeyDictionary()


def sync_state_for(store: Store) -> SyncState:
    """The sync state that lives with `store` (the same one on every call for an in-process store)."""
    if isinstance(store, RedisStore):
        return RedisSyncState(store.client, store.namespace)
    if isinstance(store, MemoryStore):
        return _MEMORY_STATES.setdefault(store, MemorySyncState())
    raise TypeError(f"no sync state for a store of kind {getattr(store, 'kind', type(store).__name__)!r}")


def _millis(seconds: float) -> int:
    return max(1, int(seconds * 1000))
