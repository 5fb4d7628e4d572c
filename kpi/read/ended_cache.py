"""A memory for figures of buckets that have ended, keyed by the data versions of what they read.

Ended buckets change only through late events and corrections, so screens need not re-read them on every
refresh. Each entry's key carries the versions of the metrics it reads (`kpi.store.base.Store.versions`),
so a late correction of one of them makes a new key and shows at once; the others stay remembered.

Where the memory lives is chosen by the app: `use_memo(store, memo)` gives a store a shared `Memo` (the
web app passes its Redis cache, shared by every worker); without one, each process keeps its own.
"""

from __future__ import annotations

import threading
import time
import weakref
from typing import Any, Callable, Hashable, Mapping, Protocol, Sequence, TypeVar

from kpi.model import telemetry
from kpi.store.base import Store

ENDED_SECONDS = 3600
"""How long an entry lives: it stays right until a version it reads moves, so only memory bounds it."""
MAX_ENTRIES = 512
"""Entries a process's own memory keeps (it starts again empty when full)."""
T = TypeVar("T")


class Memo(Protocol):
    """Somewhere to keep computed values by key."""

    def remember(self, key: str, compute: Callable[[], T], seconds: int) -> T:
        """The value kept under `key`, else `compute()`, kept for `seconds`."""


class ProcessMemo:
    """A memory of this process only."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._entries: dict[str, tuple[float, Any]] = {}

    def remember(self, key: str, compute: Callable[[], T], seconds: int) -> T:
        now = time.monotonic()
        with self._lock:
            found = self._entries.get(key)
        hit = found is not None and found[0] > now
        telemetry.emit("cache", cache="ended_buckets", hit=hit)
        if hit:
            return found[1]  # type: ignore[index]
        value = compute()
        with self._lock:
            if len(self._entries) >= MAX_ENTRIES:
                self._entries.clear()
            self._entries[key] = (now + seconds, value)
        return value


_lock = threading.Lock()
_memos: weakref.WeakKeyDictionary[object, Memo] = weakref.WeakKeyDictionary()


def use_memo(store: Store, memo: Memo) -> None:
    """Remember `store`'s ended buckets in `memo` from now on."""
    with _lock:
        _memos[store] = memo


def memo_of(store: Store) -> Memo:
    """Where `store`'s ended buckets are remembered (this process's own memory unless `use_memo` said)."""
    with _lock:
        found = _memos.get(store)
        if found is None:
            found = _memos[store] = ProcessMemo()
        return found


def remember_ended(
    store: Store,
    reads: Sequence[str],
    key: tuple[Hashable, ...],
    compute: Callable[[], T],
    versions: Mapping[str, int] | None = None,
) -> T:
    """`compute()`, or its remembered result for the same `key` while the versions of `reads` (the
    metrics it reads) have not moved; `versions` when the caller has just read them."""
    parts = sorted(set(reads))
    found = store.versions(parts) if versions is None else {part: versions[part] for part in parts}
    text = "|".join([*(_text(part) for part in key), *(f"{p}={v}" for p, v in sorted(found.items()))])
    return memo_of(store).remember(text, compute, ENDED_SECONDS)


def _text(part: Hashable) -> str:
    """A part of a key, the same in every process (sets sorted)."""
    if isinstance(part, frozenset):
        return ",".join(sorted(map(str, part)))
    return repr(part)
