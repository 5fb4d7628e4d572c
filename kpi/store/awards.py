"""Where awards (badges and levels) are kept: next to the figures they were derived from.

Adding is idempotent and race-safe: an award is stored only if its holder does not hold it yet (HSETNX),
and `add` returns only those it stored, so two evaluations running at once never announce one award twice.
Every change of the awards moves the data version, so the kiosks' badges view refreshes.
"""

from __future__ import annotations

import threading
import weakref
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Protocol

from kpi.model.awards import Award, Subject
from kpi.store.base import AWARDS_PART, Store
from kpi.store.clients import Client
from kpi.store.keys import Keys
from kpi.store.redis_store import RedisStore, call_redis

KEEP_RECENT = 500
"""About this many of the newest awards are listed for `recent` (the floor's latest badges)."""


class AwardBook(Protocol):
    """The awards of one store."""

    def held(self, subjects: Sequence[Subject]) -> dict[Subject, dict[str, Award]]:
        """Each subject's awards by key (subjects without awards get an empty mapping)."""

    def holders(self, badge: str, occurrences: Sequence[str]) -> dict[str, set[Subject]]:
        """Who holds each occurrence of a badge."""

    def subjects(self) -> set[Subject]:
        """Every agent and team that holds an award."""

    def add(self, awards: Sequence[Award]) -> list[Award]:
        """Store the awards their holders do not hold yet; return those stored."""

    def replace(self, awards: Sequence[Award]) -> None:
        """Overwrite held awards (a new date after a correction moved it)."""

    def remove(self, awards: Sequence[Award]) -> None:
        """Withdraw awards."""

    def enable(self, badges: Sequence[str], at: datetime) -> set[str]:
        """Note the badges as evaluated from `at` on; return those never evaluated before."""

    def recent(self, limit: int = 50) -> list[Award]:
        """The newest awards, newest first."""


def _ref(subject: Subject) -> str:
    return f"{subject[0]}\t{subject[1]}"


def _subject(ref: str) -> Subject:
    scope, member = ref.split("\t", 1)
    return (scope, member)  # type: ignore[return-value]


class RedisAwards:
    """Awards in the same Redis database and namespace as a `RedisStore`."""

    def __init__(self, client: Client, namespace: str = "main") -> None:
        self.client = client
        self.keys = Keys(namespace)

    def held(self, subjects: Sequence[Subject]) -> dict[Subject, dict[str, Award]]:
        pipe = self.client.pipeline(transaction=False)
        for scope, member in subjects:
            pipe.hgetall(self.keys.awards(scope, member))
        replies = call_redis(pipe.execute) if subjects else []
        return {
            subject: {key: Award.decode(text) for key, text in (reply or {}).items()}
            for subject, reply in zip(subjects, replies)
        }

    def holders(self, badge: str, occurrences: Sequence[str]) -> dict[str, set[Subject]]:
        pipe = self.client.pipeline(transaction=False)
        for occurrence in occurrences:
            pipe.smembers(self.keys.award_holders(badge, occurrence))
        replies = call_redis(pipe.execute) if occurrences else []
        return {o: {_subject(ref) for ref in refs or ()} for o, refs in zip(occurrences, replies)}

    def subjects(self) -> set[Subject]:
        return {_subject(ref) for ref in call_redis(self.client.smembers, self.keys.award_subjects)}

    def add(self, awards: Sequence[Award]) -> list[Award]:
        if not awards:
            return []
        pipe = self.client.pipeline(transaction=True)
        for award in awards:
            ref = _ref(award.subject)
            pipe.hsetnx(self.keys.awards(award.scope, award.member), award.key, award.encode())
            pipe.sadd(self.keys.award_holders(award.badge, award.occurrence), ref)
            pipe.sadd(self.keys.award_subjects, ref)
            pipe.zadd(self.keys.recent_awards, {f"{ref}\t{award.key}": award.found_at.timestamp()}, nx=True)
        pipe.zremrangebyrank(self.keys.recent_awards, 0, -KEEP_RECENT - 1)
        pipe.incr(self.keys.data_version)
        pipe.hincrby(self.keys.versions, AWARDS_PART, 1)
        replies = call_redis(pipe.execute)
        return [award for i, award in enumerate(awards) if replies[4 * i]]

    def replace(self, awards: Sequence[Award]) -> None:
        if awards:
            pipe = self.client.pipeline(transaction=True)
            for award in awards:
                pipe.hset(self.keys.awards(award.scope, award.member), award.key, award.encode())
            pipe.incr(self.keys.data_version)
            pipe.hincrby(self.keys.versions, AWARDS_PART, 1)
            call_redis(pipe.execute)

    def remove(self, awards: Sequence[Award]) -> None:
        if awards:
            pipe = self.client.pipeline(transaction=True)
            for award in awards:
                ref = _ref(award.subject)
                pipe.hdel(self.keys.awards(award.scope, award.member), award.key)
                pipe.srem(self.keys.award_holders(award.badge, award.occurrence), ref)
                pipe.zrem(self.keys.recent_awards, f"{ref}\t{award.key}")
            pipe.incr(self.keys.data_version)
            pipe.hincrby(self.keys.versions, AWARDS_PART, 1)
            call_redis(pipe.execute)

    def enable(self, badges: Sequence[str], at: datetime) -> set[str]:
        if not badges:
            return set()
        pipe = self.client.pipeline(transaction=True)
        for badge in badges:
            pipe.hsetnx(self.keys.enabled_badges, badge, at.isoformat())
        return {badge for badge, new in zip(badges, call_redis(pipe.execute)) if new}

    def recent(self, limit: int = 50) -> list[Award]:
        refs = call_redis(self.client.zrange, self.keys.recent_awards, 0, limit - 1, desc=True)
        pipe = self.client.pipeline(transaction=False)
        for ref in refs:
            scope, member, key = ref.split("\t", 2)
            pipe.hget(self.keys.awards(scope, member), key)
        replies = call_redis(pipe.execute) if refs else []
        return [Award.decode(text) for text in replies if text]


class MemoryAwards:
    """Awards in process memory, for the in-process store (`touch` moves its data version)."""

    def __init__(self, touch: Callable[[], None] = lambda: None) -> None:
        self._touch = touch
        self._lock = threading.Lock()
        self._held: dict[Subject, dict[str, Award]] = {}
        self._enabled: dict[str, datetime] = {}

    def held(self, subjects: Sequence[Subject]) -> dict[Subject, dict[str, Award]]:
        with self._lock:
            return {s: dict(self._held.get(s, {})) for s in subjects}

    def holders(self, badge: str, occurrences: Sequence[str]) -> dict[str, set[Subject]]:
        wanted = set(occurrences)
        found: dict[str, set[Subject]] = {o: set() for o in occurrences}
        with self._lock:
            for subject, awards in self._held.items():
                for award in awards.values():
                    if award.badge == badge and award.occurrence in wanted:
                        found[award.occurrence].add(subject)
        return found

    def subjects(self) -> set[Subject]:
        with self._lock:
            return {s for s, awards in self._held.items() if awards}

    def add(self, awards: Sequence[Award]) -> list[Award]:
        stored = []
        with self._lock:
            for award in awards:
                mine = self._held.setdefault(award.subject, {})
                if award.key not in mine:
                    mine[award.key] = award
                    stored.append(award)
        if awards:
            self._touch()
        return stored

    def replace(self, awards: Sequence[Award]) -> None:
        with self._lock:
            for award in awards:
                self._held.setdefault(award.subject, {})[award.key] = award
        if awards:
            self._touch()

    def remove(self, awards: Sequence[Award]) -> None:
        with self._lock:
            for award in awards:
                self._held.get(award.subject, {}).pop(award.key, None)
        if awards:
            self._touch()

    def enable(self, badges: Sequence[str], at: datetime) -> set[str]:
        with self._lock:
            new = {b for b in badges if b not in self._enabled}
            self._enabled.update({b: at for b in new})
        return new

    def recent(self, limit: int = 50) -> list[Award]:
        with self._lock:
            every = [a for awards in self._held.values() for a in awards.values()]
        every.sort(key=lambda a: a.found_at, reverse=True)
        return every[:limit]


_BOOKS: weakref.WeakKeyDictionary[object, AwardBook] = weakref.WeakKeyDictionary()
_BOOKS_LOCK = threading.Lock()


def _toucher(store: Store) -> Callable[[], None]:
    """Moves the in-process store's data version, without keeping the store alive."""
    ref = weakref.ref(store)

    def touch() -> None:
        found = ref()
        if found is not None and hasattr(found, "touch"):
            found.touch(AWARDS_PART)

    return touch


def awards_for(store: Store) -> AwardBook:
    """The award book that goes with `store`: the same Redis and namespace, else one in this process."""
    with _BOOKS_LOCK:
        book = _BOOKS.get(store)
        if book is None:
            redis_store = isinstance(store, RedisStore)
            book = (
                RedisAwards(store.client, store.namespace) if redis_store else MemoryAwards(_toucher(store))
            )
            _BOOKS[store] = book
        return book
