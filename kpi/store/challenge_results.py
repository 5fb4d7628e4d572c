"""Where challenge results are fixed, beside the figures: set once, so two processes never fix twice.

* a result is written with SET NX: `fix` returns False when another process fixed the instance first;
* a collaborative target reached is marked the same way, so it is celebrated once;
* the lead record (leaders, last lead-change celebration) is swapped with compare-and-set, so two
  processes looking at the same moment celebrate a lead change once.
"""

from __future__ import annotations

import threading
import weakref
from collections.abc import Sequence
from datetime import datetime
from typing import Protocol

from kpi.model.challenge_results import FixedResult, LeadRecord
from kpi.store.base import Store
from kpi.store.clients import Client
from kpi.store.keys import Keys
from kpi.store.redis_store import RedisStore, call_redis

MARK_SECONDS = 60 * 86400
"""Reached marks and lead records are kept this long (long after their instance ended)."""
_SWAP = """
local current = redis.call('GET', KEYS[1])
if (current or '') ~= ARGV[1] then return 0 end
redis.call('SET', KEYS[1], ARGV[2], 'EX', ARGV[3])
return 1
"""


class ChallengeBook(Protocol):
    """Fixed results and once-only marks of one store."""

    def fix(self, result: FixedResult) -> bool:
        """Store `result` unless its instance is already fixed; True when this call stored it."""

    def results(self, instance_ids: Sequence[str]) -> dict[str, FixedResult]:
        """The fixed results among `instance_ids` (instances not fixed are left out)."""

    def mark_reached(self, instance_id: str, at: datetime) -> bool:
        """Note that a collaborative instance reached its target; True only the first time."""

    def lead(self, instance_id: str) -> LeadRecord | None:
        """The lead record of an instance, or None before the first look."""

    def swap_lead(self, instance_id: str, old: LeadRecord | None, new: LeadRecord) -> bool:
        """Replace the lead record if it is still `old`; False when another process changed it first."""


class RedisChallengeBook:
    """Results and marks in the store's Redis namespace."""

    def __init__(self, client: Client, namespace: str = "main") -> None:
        self.client = client
        self.keys = Keys(namespace)
        self._swap = client.register_script(_SWAP)

    def fix(self, result: FixedResult) -> bool:
        key = self.keys.challenge_result(result.instance_id)
        return bool(call_redis(self.client.set, key, result.encode(), nx=True))

    def results(self, instance_ids: Sequence[str]) -> dict[str, FixedResult]:
        if not instance_ids:
            return {}
        texts = call_redis(self.client.mget, [self.keys.challenge_result(i) for i in instance_ids])
        return {i: FixedResult.decode(t) for i, t in zip(instance_ids, texts) if t}

    def mark_reached(self, instance_id: str, at: datetime) -> bool:
        key = self.keys.challenge_reached(instance_id)
        return bool(call_redis(self.client.set, key, at.isoformat(), nx=True, ex=MARK_SECONDS))

    def lead(self, instance_id: str) -> LeadRecord | None:
        text = call_redis(self.client.get, self.keys.challenge_lead(instance_id))
        return LeadRecord.decode(text) if text else None

    def swap_lead(self, instance_id: str, old: LeadRecord | None, new: LeadRecord) -> bool:
        key = self.keys.challenge_lead(instance_id)
        before = old.encode() if old is not None else ""
        return bool(call_redis(self._swap, keys=[key], args=[before, new.encode(), MARK_SECONDS]))


class MemoryChallengeBook:
    """Results and marks in process memory, for the in-process store."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._results: dict[str, FixedResult] = {}
        self._reached: dict[str, datetime] = {}
        self._leads: dict[str, LeadRecord] = {}

    def fix(self, result: FixedResult) -> bool:
        with self._lock:
            if result.instance_id in self._results:
                return False
            self._results[result.instance_id] = result
            return True

    def results(self, instance_ids: Sequence[str]) -> dict[str, FixedResult]:
        with self._lock:
            return {i: self._results[i] for i in instance_ids if i in self._results}

    def mark_reached(self, instance_id: str, at: datetime) -> bool:
        with self._lock:
            return self._reached.setdefault(instance_id, at) is at

    def lead(self, instance_id: str) -> LeadRecord | None:
        with self._lock:
            return self._leads.get(instance_id)

    def swap_lead(self, instance_id: str, old: LeadRecord | None, new: LeadRecord) -> bool:
        with self._lock:
            if self._leads.get(instance_id) != old:
                return False
            self._leads[instance_id] = new
            return True


_BOOKS: weakref.WeakKeyDictionary[object, ChallengeBook] = weakref.WeakKeyDictionary()
_BOOKS_LOCK = threading.Lock()


def challenge_book_for(store: Store) -> ChallengeBook:
    """The challenge results that go with `store`: the same Redis and namespace, else this process."""
    with _BOOKS_LOCK:
        book = _BOOKS.get(store)
        if book is None:
            redis_store = isinstance(store, RedisStore)
            book = RedisChallengeBook(store.client, store.namespace) if redis_store else MemoryChallengeBook()
            _BOOKS[store] = book
        return book
