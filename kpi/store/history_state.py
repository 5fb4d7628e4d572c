"""Whether a store's history is still being loaded (the demo's backfill): one flag every page reads.

In Redis the string ``wb:{<namespace>}:history:loading`` exists while a backfill runs; it expires by itself
after `LOADING_TTL_SECONDS`, so a process that died mid-load never leaves the notice up for good. An
in-process store keeps the flag in this process.
"""

from __future__ import annotations

import threading
import weakref

from kpi.store.base import Store
from kpi.store.redis_store import RedisStore, call_redis

LOADING_TTL_SECONDS = 600
"""A loading flag left by a process that died expires after this long."""

_FLAGS: weakref.WeakKeyDictionary[object, bool] = weakref.WeakKeyDictionary()
_LOCK = threading.Lock()


def mark_history_loading(store: Store, loading: bool) -> None:
    """Say that `store`'s history is being loaded (True) or is in (False)."""
    if isinstance(store, RedisStore):
        key = store.keys.history_loading
        if loading:
            call_redis(store.client.set, key, "1", ex=LOADING_TTL_SECONDS)
        else:
            call_redis(store.client.delete, key)
        return
    with _LOCK:
        _FLAGS[store] = loading


def history_loading(store: Store) -> bool:
    """True while `store`'s history is being loaded, so its figures are still partial."""
    if isinstance(store, RedisStore):
        return bool(call_redis(store.client.exists, store.keys.history_loading))
    with _LOCK:
        return _FLAGS.get(store, False)
