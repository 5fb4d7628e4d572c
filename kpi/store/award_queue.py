"""What the next awarding round must look at: agents whose figures changed, the last full sweep, a lock.

Ingestion marks the agents of every batch that changed a figure; an awarding round takes the whole set at
once (in Redis ``SMEMBERS`` and ``DEL`` in one transaction, so an agent marked meanwhile waits for the next
round instead of being lost) and evaluates only them. A short lock keeps two processes from running a
round at the same time; it expires by itself if its holder dies.
"""

from __future__ import annotations

import secrets
import threading
import weakref
from collections.abc import Collection
from datetime import datetime
from typing import Protocol

from kpi.store.base import Store
from kpi.store.keys import Keys
from kpi.store.redis_store import RedisStore, call_redis

_RELEASE_IF_HELD = """
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
"""


class AwardQueue(Protocol):
    """The changed agents, the last sweep and the awarding lock of one store."""

    def mark(self, agent_ids: Collection[str]) -> None:
        """Note that these agents' figures changed."""

    def take(self) -> set[str]:
        """Every marked agent, unmarking them in the same atomic step."""

    def last_sweep(self) -> datetime | None:
        """When the last full sweep ran; None before the first."""

    def swept(self, at: datetime) -> None:
        """Remember a full sweep at `at`."""

    def lock(self, ttl_seconds: float) -> str | None:
        """A token when this caller now holds the awarding lock; None when someone else does."""

    def unlock(self, token: str) -> None:
        """Give the lock up if `token` still holds it."""


class RedisAwardQueue:
    """The queue in the store's Redis namespace."""

    def __init__(self, store: RedisStore) -> None:
        self.client = store.client
        self.keys = Keys(store.namespace)
        self._release = self.client.register_script(_RELEASE_IF_HELD)

    def mark(self, agent_ids: Collection[str]) -> None:
        if agent_ids:
            call_redis(self.client.sadd, self.keys.changed_agents, *sorted(agent_ids))

    def take(self) -> set[str]:
        pipe = self.client.pipeline(transaction=True)
        pipe.smembers(self.keys.changed_agents)
        pipe.delete(self.keys.changed_agents)
        members, _ = call_redis(pipe.execute)
        return set(members or ())

    def last_sweep(self) -> datetime | None:
        text = call_redis(self.client.get, self.keys.award_sweep)
        return datetime.fromisoformat(text) if text else None

    def swept(self, at: datetime) -> None:
        call_redis(self.client.set, self.keys.award_sweep, at.isoformat())

    def lock(self, ttl_seconds: float) -> str | None:
        token = secrets.token_hex(8)
        held = call_redis(self.client.set, self.keys.award_lock, token, nx=True, px=int(ttl_seconds * 1000))
        return token if held else None

    def unlock(self, token: str) -> None:
        call_redis(self._release, keys=[self.keys.award_lock], args=[token])


class MemoryAwardQueue:
    """The queue of an in-process store."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._round = threading.Lock()
        self._changed: set[str] = set()
        self._swept: datetime | None = None

    def mark(self, agent_ids: Collection[str]) -> None:
        with self._lock:
            self._changed |= set(agent_ids)

    def take(self) -> set[str]:
        with self._lock:
            taken, self._changed = self._changed, set()
        return taken

    def last_sweep(self) -> datetime | None:
        with self._lock:
            return self._swept

    def swept(self, at: datetime) -> None:
        with self._lock:
            self._swept = at

    def lock(self, ttl_seconds: float) -> str | None:
        return "memory" if self._round.acquire(blocking=False) else None

    def unlock(self, token: str) -> None:
        if self._round.locked():
            self._round.release()


_QUEUES: weakref.WeakKeyDictionary[object, AwardQueue] = weakref.WeakKeyDictionary()
_QUEUES_LOCK = threading.Lock()


def award_queue_for(store: Store) -> AwardQueue:
    """The award queue that goes with `store` (the same Redis namespace, or this process)."""
    with _QUEUES_LOCK:
        found = _QUEUES.get(store)
        if found is None:
            found = RedisAwardQueue(store) if isinstance(store, RedisStore) else MemoryAwardQueue()
            _QUEUES[store] = found
        return found
