"""The shared cache: flask-caching on the store's Redis, so every worker and instance reuses one result.

`build_cache` makes a flask-caching ``RedisCache`` on the store's own client (the same server or Redis
Cluster, timeouts, retries and circuit breaker) under the namespace's cache prefix
(`kpi.store.keys.Keys.cache_prefix`); the in-process store gets a ``SimpleCache`` of this process.
Values are pickled, compressed and kept as text (the store's client decodes replies).

`SharedCache.computed` is the one way to use it: entries missing from the cache are computed by one
worker while the others wait for them (a short lock, `kpi.store.compute_lock`), bounded by `WAIT_SECONDS`.
A cache that does not answer counts as a miss: the caller computes (and meets the store's own error).
Never ``@cache.cached`` on a Dash callback: every callback shares one URL.
"""

from __future__ import annotations

import base64
import hashlib
import logging
import pickle
import threading
import time
import zlib
from collections import OrderedDict
from importlib import metadata
from typing import Any, Callable, Sequence

import redis
from cachelib.serializers import BaseSerializer
from flask import Flask
from flask_caching import Cache
from flask_caching.backends.base import BaseCache

from kpi.config import Config
from kpi.model import telemetry
from kpi.store import RedisStore, Store, StoreUnavailable
from kpi.store.compute_lock import ComputeLocks, locks_for
from kpi.store.keys import Keys

log = logging.getLogger("wallboard")

LOCK_SECONDS = 2.0
"""How long a computing worker holds its lock at most (it expires by itself if the worker dies)."""
WAIT_SECONDS = 1.0
"""How long a worker waits for another's result before it computes by itself."""
POLL_SECONDS = 0.02
SIMPLE_ENTRIES = 2000
"""Entries the in-process cache keeps (the demo's single process)."""
LOCAL_ENTRIES = 1000
"""Entries a process keeps of the shared cache (`LocalMemo`): a few hundred screens' views and bodies."""
_DOWN = (redis.RedisError, StoreUnavailable)


class TextPickle(BaseSerializer):
    """Pickled, zlib-compressed, base64 text: the store's client decodes every reply as text."""

    def dumps(self, value: Any, protocol: int = pickle.HIGHEST_PROTOCOL) -> str:  # type: ignore[override]
        return base64.b64encode(zlib.compress(pickle.dumps(value, protocol), 1)).decode("ascii")

    def loads(self, value: str | bytes | None) -> Any:  # type: ignore[override]
        if value is None:
            return None
        try:
            return pickle.loads(zlib.decompress(base64.b64decode(value)))
        except (ValueError, zlib.error, pickle.PickleError, EOFError, AttributeError, ImportError):
            return None


def build_cache(server: Flask, store: Store) -> Cache:
    """flask-caching for `server`: on the store's Redis under the namespace's cache prefix, or in process."""
    if isinstance(store, RedisStore):
        config = {
            "CACHE_TYPE": "RedisCache",
            "CACHE_REDIS_HOST": store.client,
            "CACHE_KEY_PREFIX": Keys(store.namespace).cache_prefix,
            "CACHE_SERIALIZER": TextPickle,
        }
    else:
        config = {"CACHE_TYPE": "SimpleCache", "CACHE_THRESHOLD": SIMPLE_ENTRIES}
    return Cache(server, config={**config, "CACHE_DEFAULT_TIMEOUT": 60})


class LocalMemo:
    """Entries of the shared cache kept in this process until they expire there too: the 500 TVs of a
    screen that ask the same question after a change get it from a dict, not from Redis and unpickling.
    Thread-safe; bounded (least recently used entries go first)."""

    def __init__(self, size: int = LOCAL_ENTRIES) -> None:
        self.size = size
        self._entries: OrderedDict[str, tuple[float, tuple[Any]]] = OrderedDict()
        self._lock = threading.Lock()

    def get_many(self, keys: Sequence[str]) -> list[tuple[Any] | None]:
        """Each key's entry (a 1-tuple of its value), or None when absent or expired."""
        now = time.monotonic()
        found: list[tuple[Any] | None] = []
        with self._lock:
            for key in keys:
                entry = self._entries.get(key)
                if entry is not None and entry[0] > now:
                    self._entries.move_to_end(key)
                    found.append(entry[1])
                else:
                    found.append(None)
        return found

    def put_many(self, mapping: dict[str, tuple[Any]], timeout: float) -> None:
        """Keep each entry for `timeout` seconds."""
        until = time.monotonic() + timeout
        with self._lock:
            for key, entry in mapping.items():
                self._entries[key] = (until, entry)
                self._entries.move_to_end(key)
            while len(self._entries) > self.size:
                self._entries.popitem(last=False)


class SharedCache:
    """flask-caching plus compute locks: each missing entry is computed once, whoever asks."""

    def __init__(self, cache: Cache, locks: ComputeLocks, salt: str = "") -> None:
        self.cache = cache
        self.backend: BaseCache = cache.app.extensions["cache"][cache]  # type: ignore[union-attr]
        """The flask-caching backend itself: `Cache`'s proxies look it up on `current_app`, which is
        another app when several share a process (tests, benches) or none outside a request."""
        self.locks = locks
        self.salt = salt
        """Put before every key: a digest of the config, so instances on different configs never share."""
        self.memo = LocalMemo()
        """This process's copy of the entries asked for with ``local=True``."""

    def computed(
        self,
        name: str,
        keys: Sequence[str],
        compute: Callable[[list[int]], list[Any]],
        timeout: int,
        *,
        local: bool = False,
    ) -> list[Any]:
        """The cached value of each key; `compute(missing indexes)` gives the values of those missing.

        Args:
            name: the cache's name in telemetry (``wallboard_cache_requests_total{cache=...}``).
            timeout: seconds an entry lives.
            local: keep the values in this process too (`LocalMemo`, for the same `timeout`), and look
                there first: only for keys that name their whole input, and values no caller changes.
        """
        keys = [f"{self.salt}{key}" for key in keys]
        found = self.memo.get_many(keys) if local else [None] * len(keys)
        away = [i for i, entry in enumerate(found) if entry is None]
        if away:
            for index, entry in zip(away, self._get([keys[i] for i in away])):
                found[index] = entry
        missing = [i for i, entry in enumerate(found) if entry is None]
        if missing:
            telemetry.emit("cache", cache=name, hit=False, count=len(missing))
        if len(missing) < len(keys):
            telemetry.emit("cache", cache=name, hit=True, count=len(keys) - len(missing))
        if missing:
            for index, value in zip(missing, self._fill(keys, missing, compute, timeout)):
                found[index] = (value,)
        if local and away:
            self.memo.put_many({keys[i]: found[i] for i in away}, timeout)  # type: ignore[misc]
        return [entry[0] for entry in found]  # type: ignore[index]

    def one(self, name: str, key: str, compute: Callable[[], Any], timeout: int) -> Any:
        """`computed` of a single key."""
        return self.computed(name, [key], lambda _missing: [compute()], timeout)[0]

    def remember(self, key: str, compute: Callable[[], Any], seconds: int) -> Any:
        """`one` under the ``ended_buckets`` name: the `kpi.read.ended_cache.Memo` that kpi is given."""
        digest = hashlib.blake2b(key.encode(), digest_size=16).hexdigest()
        return self.one("ended_buckets", f"ended:{digest}", compute, seconds)

    def _fill(
        self, keys: Sequence[str], missing: list[int], compute: Callable[[list[int]], list[Any]], timeout: int
    ) -> list[Any]:
        """The missing entries: computed under the lock, or another worker's once it has stored them."""
        wanted = [keys[i] for i in missing]
        lock = hashlib.blake2b("\n".join(wanted).encode(), digest_size=12).hexdigest()
        token = self._acquire(lock)
        if token is None:
            waited = self._wait_for(wanted)
            if waited is not None:
                return waited
        try:
            values = compute(missing)
            self._set({key: (value,) for key, value in zip(wanted, values)}, timeout)
            return values
        finally:
            if token is not None:
                self._release(lock, token)

    def _wait_for(self, wanted: list[str]) -> list[Any] | None:
        """The values once another worker stored them all, or None after `WAIT_SECONDS`."""
        deadline = time.monotonic() + WAIT_SECONDS
        while time.monotonic() < deadline:
            time.sleep(POLL_SECONDS)
            found = self._get(wanted)
            if all(entry is not None for entry in found):
                return [entry[0] for entry in found]  # type: ignore[index]
        return None

    def _get(self, keys: Sequence[str]) -> list[tuple[Any] | None]:
        try:
            found = self.backend.get_many(*keys) if keys else []
        except _DOWN:
            log.debug("cache read failed", exc_info=True)
            return [None] * len(keys)
        return [entry if isinstance(entry, tuple) and len(entry) == 1 else None for entry in found]

    def _set(self, mapping: dict[str, tuple[Any]], timeout: int) -> None:
        try:
            self.backend.set_many(mapping, timeout=timeout)
        except _DOWN:
            log.debug("cache write failed", exc_info=True)
        except (pickle.PicklingError, TypeError, AttributeError):
            log.warning("a value could not be cached (not picklable)", exc_info=True)

    def _acquire(self, lock: str) -> str | None:
        try:
            return self.locks.acquire(lock, LOCK_SECONDS)
        except _DOWN:
            return ""

    def _release(self, lock: str, token: str) -> None:
        if token:
            try:
                self.locks.release(lock, token)
            except _DOWN:
                log.debug("compute lock release failed", exc_info=True)


def shared_cache(server: Flask, store: Store, config: Config | None = None) -> SharedCache:
    """The app's shared cache and compute locks; keys carry a digest of `config` (when given) and of the
    installed version, so that instances of another config or release never read each other's entries."""
    try:
        release = metadata.version("wallboard")
    except metadata.PackageNotFoundError:
        release = "dev"
    text = f"{release}|{config.model_dump_json() if config is not None else ''}"
    salt = hashlib.blake2b(text.encode(), digest_size=6).hexdigest() + ":"
    return SharedCache(build_cache(server, store), locks_for(store), salt)
