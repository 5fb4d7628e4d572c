"""What the TV's challenge path reads once per data version, and the versions one refresh reads once.

`per_version` keeps a value for the data version it was computed under (every write that changes a figure
or an agent moves that version, so the value is exact for all of it); `per_agents_version` for the version
of the agents' names and teams. Inside `one_refresh`, the data version and the versions of the parts a
view reads are read once, up front, for everything the refresh computes: each is read before what it keys
is computed, so a value is newer than its key, never older.
"""

from __future__ import annotations

import threading
import weakref
from collections.abc import Callable, Hashable, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any, TypeVar

from kpi.store.base import AGENTS_PART, Store

T = TypeVar("T")
_lock = threading.Lock()
_by_version: weakref.WeakKeyDictionary[object, dict[str, tuple[int, dict[Hashable, Any]]]] = (
    weakref.WeakKeyDictionary()
)


@dataclass(frozen=True)
class _Pinned:
    store: Store
    data: int
    parts: dict[str, int]


_pinned: ContextVar[_Pinned | None] = ContextVar("challenge_refresh", default=None)


@contextmanager
def one_refresh(store: Store, parts: Sequence[str]) -> Iterator[None]:
    """Within the block, `store`'s data version and the versions of `parts` are read once (two reads)."""
    data = store.data_version()
    token = _pinned.set(_Pinned(store, data, store.versions(sorted(set(parts)))))
    try:
        yield
    finally:
        _pinned.reset(token)


def versions_of(store: Store, parts: Sequence[str]) -> dict[str, int]:
    """The versions of `parts` (`Store.versions`), those of the current refresh when it read them."""
    pinned = _pinned.get()
    if pinned is not None and pinned.store is store and all(part in pinned.parts for part in parts):
        return {part: pinned.parts[part] for part in parts}
    return store.versions(list(parts))


def per_version(store: Store, key: Hashable, compute: Callable[[], T]) -> T:
    """`compute()` once per data version of `store` in this process (several challenges on one window, on
    one screen or several, read it once)."""
    pinned = _pinned.get()
    version = pinned.data if pinned is not None and pinned.store is store else store.data_version()
    return _per(store, "data", version, key, compute)


def per_agents_version(store: Store, key: Hashable, compute: Callable[[], T]) -> T:
    """`compute()` once per version of the agents' names and teams (`AGENTS_PART`) in this process."""
    return _per(store, "agents", versions_of(store, [AGENTS_PART])[AGENTS_PART], key, compute)


def _per(store: Store, slot: str, version: int, key: Hashable, compute: Callable[[], T]) -> T:
    with _lock:
        slots = _by_version.setdefault(store, {})
        known = slots.get(slot)
        if known is None or known[0] != version:
            known = slots[slot] = (version, {})
        if key in known[1]:
            return known[1][key]
    value = compute()
    with _lock:
        known[1][key] = value
    return value
