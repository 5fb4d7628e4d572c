"""Short locks that let one process compute a shared cache entry while the others wait for it.

In Redis a lock is ``wb:{<namespace>}:compute:<name>``, taken with ``SET NX PX`` and a random token, so it
expires by itself when its holder dies; it is released only by its holder (compare and delete in one
script). The in-process store's locks live in this process (its cache does too).
"""

from __future__ import annotations

import threading
import time
import uuid
import weakref
from typing import Protocol

from kpi.store.base import Store
from kpi.store.keys import Keys
from kpi.store.redis_store import RedisStore, call_redis

_RELEASE = """
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
"""


class ComputeLocks(Protocol):
    """Named locks with a time to live."""

    def acquire(self, name: str, seconds: float) -> str | None:
        """A token when the lock `name` was free and is now held for at most `seconds`; None when held."""

    def release(self, name: str, token: str) -> None:
        """Free the lock `name` if `token` still holds it."""


class RedisLocks:
    """Locks in the store's Redis namespace."""

    def __init__(self, store: RedisStore) -> None:
        self._client = store.client
        self._keys = Keys(store.namespace)
        self._release = store.client.register_script(_RELEASE)

    def acquire(self, name: str, seconds: float) -> str | None:
        token = uuid.uuid4().hex
        held = call_redis(
            self._client.set, self._keys.compute_lock(name), token, nx=True, px=max(1, int(seconds * 1000))
        )
        return token if held else None

    def release(self, name: str, token: str) -> None:
        call_redis(self._release, keys=[self._keys.compute_lock(name)], args=[token])


class MemoryLocks:
    """Locks of one process."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._held: dict[str, tuple[str, float]] = {}

    def acquire(self, name: str, seconds: float) -> str | None:
        now = time.monotonic()
        with self._lock:
            found = self._held.get(name)
            if found is not None and found[1] > now:
                return None
            token = uuid.uuid4().hex
            self._held[name] = (token, now + seconds)
            return token

    def release(self, name: str, token: str) -> None:
        with self._lock:
            found = self._held.get(name)
            if found is not None and found[0] == token:
                del self._held[name]


_LOCKS: weakref.WeakKeyDictionary[object, ComputeLocks] = weakref.WeakKeyDictionary()
_LOCKS_LOCK = threading.Lock()


def locks_for(store: Store) -> ComputeLocks:
    """The compute locks that go with `store` (the same Redis namespace, or this process)."""
    with _LOCKS_LOCK:
        found = _LOCKS.get(store)
        if found is None:
            found = RedisLocks(store) if isinstance(store, RedisStore) else MemoryLocks()  # type: ignore[arg-type]
            _LOCKS[store] = found
        return found
