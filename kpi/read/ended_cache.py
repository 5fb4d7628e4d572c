"""A short-lived, per-process memory for figures of buckets that have ended.

Ended buckets change only through late events and corrections, so the kiosk need not re-read them on
every refresh: their figures are kept for `SETTLED_SECONDS` per store, and late changes show within that.
"""

from __future__ import annotations

import threading
import time
import weakref
from typing import Any, Callable, Hashable, TypeVar

from kpi.model import telemetry

SETTLED_SECONDS = 60.0
MAX_ENTRIES = 512
T = TypeVar("T")

_lock = threading.Lock()
_memory: weakref.WeakKeyDictionary[object, dict[Hashable, tuple[float, Any]]] = weakref.WeakKeyDictionary()


def remember_ended(
    store: object, key: Hashable, compute: Callable[[], T], *, seconds: float = SETTLED_SECONDS
) -> T:
    """`compute()`, or its result for the same `store` and `key` if it is younger than `seconds`."""
    now = time.monotonic()
    with _lock:
        entries = _memory.setdefault(store, {})
        found = entries.get(key)
        hit = found is not None and found[0] > now
    telemetry.emit("cache", cache="ended_buckets", hit=hit)
    if hit:
        return found[1]  # type: ignore[index]
    value = compute()
    with _lock:
        if len(entries) >= MAX_ENTRIES:
            entries.clear()
        entries[key] = (now + seconds, value)
    return value
