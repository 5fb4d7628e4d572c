"""The celebration feed: a capped stream that every kiosk reads from the last id it has seen.

In Redis it is a stream ``wb:{<namespace>}:celebrations`` trimmed to about `keep` entries. Stream ids
start with the time of writing in milliseconds, which is how a kiosk skips celebrations that are too old.
"""

from __future__ import annotations

import threading
import time
import weakref
from collections import deque
from typing import Protocol, Sequence

from kpi.model.celebration import Celebration
from kpi.store.base import Store
from kpi.store.clients import Client
from kpi.store.keys import Keys
from kpi.store.redis_store import RedisStore, call_redis

START = "0-0"
"""The id before every entry."""


def parse_id(entry_id: str) -> tuple[int, int]:
    """A stream id as comparable numbers; anything malformed counts as the very start."""
    ms, _, seq = str(entry_id).partition("-")
    try:
        return int(ms), int(seq or 0)
    except ValueError:
        return 0, 0


def floor_id(last_id: str, max_age_seconds: float, now: float) -> str:
    """The later of `last_id` and the oldest id still young enough to show."""
    oldest = (int((now - max_age_seconds) * 1000), 0)
    seen = parse_id(last_id)
    ms, seq = max(seen, oldest)
    return f"{ms}-{seq}"


def decoded(rows: Sequence[tuple[str, dict[str, str]]] | None) -> list[tuple[str, Celebration]]:
    """The entries of a stream read (``XRANGE``), as (id, celebration)."""
    return [(entry_id, Celebration.decode(fields["c"])) for entry_id, fields in rows or []]


class CelebrationFeed(Protocol):
    """Where ingestion publishes celebrations and kiosks pick them up."""

    def publish(self, items: Sequence[Celebration], keep: int) -> None:
        """Append `items`, keeping about the newest `keep` entries."""

    def since(self, last_id: str, *, max_age_seconds: float, limit: int = 5) -> list[tuple[str, Celebration]]:
        """Entries after `last_id` that are at most `max_age_seconds` old, oldest first."""

    def last_id(self) -> str:
        """The id of the newest entry, or `START` when there is none."""


class RedisCelebrations:
    """The feed as a Redis stream under the store's namespace."""

    def __init__(self, client: Client, namespace: str = "main") -> None:
        self.client = client
        self.key = Keys(namespace).celebrations

    def publish(self, items: Sequence[Celebration], keep: int) -> None:
        if not items:
            return
        pipe = self.client.pipeline(transaction=False)
        for item in items:
            pipe.xadd(self.key, {"c": item.encode()}, maxlen=keep, approximate=True)
        call_redis(pipe.execute)

    def since(self, last_id: str, *, max_age_seconds: float, limit: int = 5) -> list[tuple[str, Celebration]]:
        floor = floor_id(last_id, max_age_seconds, time.time())
        return decoded(call_redis(self.client.xrange, self.key, f"({floor}", "+", count=limit))

    def last_id(self) -> str:
        rows = call_redis(self.client.xrevrange, self.key, "+", "-", count=1)
        return rows[0][0] if rows else START


class MemoryCelebrations:
    """The feed in process memory, with ids shaped like Redis stream ids."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._entries: deque[tuple[str, Celebration]] = deque()
        self._last = (0, 0)

    def publish(self, items: Sequence[Celebration], keep: int) -> None:
        with self._lock:
            for item in items:
                ms = int(time.time() * 1000)
                self._last = (ms, self._last[1] + 1) if ms <= self._last[0] else (ms, 0)
                self._entries.append((f"{self._last[0]}-{self._last[1]}", item))
            while len(self._entries) > keep:
                self._entries.popleft()

    def since(self, last_id: str, *, max_age_seconds: float, limit: int = 5) -> list[tuple[str, Celebration]]:
        floor = parse_id(floor_id(last_id, max_age_seconds, time.time()))
        with self._lock:
            newer = [(i, c) for i, c in self._entries if parse_id(i) > floor]
        return newer[:limit]

    def last_id(self) -> str:
        with self._lock:
            return self._entries[-1][0] if self._entries else START


_FEEDS: weakref.WeakKeyDictionary[object, CelebrationFeed] = weakref.WeakKeyDictionary()
_FEEDS_LOCK = threading.Lock()


def feed_for(store: Store) -> CelebrationFeed:
    """The celebration feed that goes with `store`: the same Redis and namespace, else one in this process."""
    with _FEEDS_LOCK:
        feed = _FEEDS.get(store)
        if feed is None:
            if isinstance(store, RedisStore):
                feed = RedisCelebrations(store.client, store.namespace)
            else:
                feed = MemoryCelebrations()
            _FEEDS[store] = feed
        return feed
