"""Everything a kiosk poll reads from the store, in one round trip.

A poll needs the data version, the versions of the parts its screen shows (`kpi.store.base.Store.versions`),
the celebrations published after the TV's last one (`celebration_feed`) and the connectors' health
(`sync_state`). On Redis these are one pipeline: ``GET version``, ``HMGET versions``, ``XRANGE celebrations``,
``SMEMBERS sync:names`` and ``HGETALL sync:<name>:health`` of the connectors this process knew last time;
only when the set of connectors changed does a second trip read the health of the new ones. An in-process
store is read call by call.
"""

from __future__ import annotations

import threading
import time
import weakref
from dataclasses import dataclass
from typing import Sequence

from kpi.model.celebration import Celebration
from kpi.store.base import Store
from kpi.store.celebration_feed import decoded, feed_for, floor_id
from kpi.store.redis_store import RedisStore, call_redis
from kpi.store.sync_state import sync_state_for


@dataclass(frozen=True)
class PollRead:
    """What the store says to one poll."""

    version: int
    versions: dict[str, int]
    """The data version of each part asked for (0 for a part never changed)."""
    fresh: list[tuple[str, Celebration]]
    """Celebrations after the given id, young enough to show, oldest first."""
    health: dict[str, dict[str, str]]
    """Each connector's health fields, by connector name (sorted)."""


_NAMES: weakref.WeakKeyDictionary[RedisStore, tuple[str, ...]] = weakref.WeakKeyDictionary()
_NAMES_LOCK = threading.Lock()


def poll_read(
    store: Store, parts: Sequence[str], last_id: str, *, max_age_seconds: float, limit: int = 5
) -> PollRead:
    """The version, `parts`' versions, celebrations after `last_id` and the sync health, as they are now.

    Raises:
        StoreUnavailable: the store does not answer.
    """
    if isinstance(store, RedisStore):
        return _redis_read(store, list(parts), last_id, max_age_seconds, limit)
    return PollRead(
        store.data_version(),
        store.versions(list(parts)),
        feed_for(store).since(last_id, max_age_seconds=max_age_seconds, limit=limit),
        sync_state_for(store).health(),
    )


def _redis_read(store: RedisStore, parts: list[str], last_id: str, max_age: float, limit: int) -> PollRead:
    keys = store.keys
    with _NAMES_LOCK:
        known = _NAMES.get(store, ())
    pipe = store.client.pipeline(transaction=False)
    pipe.get(keys.data_version)
    if parts:
        pipe.hmget(keys.versions, parts)
    pipe.xrange(keys.celebrations, f"({floor_id(last_id, max_age, time.time())}", "+", count=limit)
    pipe.smembers(keys.sync_names)
    for name in known:
        pipe.hgetall(keys.sync(name, "health"))
    replies = list(call_redis(pipe.execute))
    version = int(replies.pop(0) or 0)
    found = replies.pop(0) if parts else []
    rows = replies.pop(0)
    names = tuple(sorted(replies.pop(0) or ()))
    if names == known:
        health = dict(zip(names, replies, strict=True))
    else:
        health = sync_state_for(store).health()
        with _NAMES_LOCK:
            _NAMES[store] = tuple(sorted(health))
    return PollRead(
        version,
        {part: int(value or 0) for part, value in zip(parts, found)},
        decoded(rows),
        health,
    )
