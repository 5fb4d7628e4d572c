"""A screen's views computed once per data version and shared by every TV, worker and instance.

Each view's data (and its fingerprint) is cached under

    view:<screen>:<signature>:<index>:<versions>:<day>[:<minute bucket>]

* ``signature`` — the screen's config, the app and the schedule window (`access.signature`);
* ``versions`` — a digest of the data versions of the parts the view reads (`kpi.read.view_deps`: its
  metrics, and agents' names, display choices and awards where it names people), so a new ticket does
  not recompute a revenue board;
* ``day`` — the office-local day (every view shows a current bucket);
* a bucket of `kpi.read.view_deps.CLOCK_SECONDS` (60 s) for views that read the time of day (pace,
  time left, "days ago"): with unchanged figures, their pace may be up to a minute old.

The first poll after a change computes a view; concurrent polls for the same entries wait for it (up to
`dashboard.cache.WAIT_SECONDS`) instead of computing it again. A view's rendered body is cached by
(screen, signature, index, fingerprint) the same way (`cached_bodies`). Entries live `VIEW_SECONDS`.
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Callable, Mapping, Sequence

from dashboard.cache import SharedCache
from kpi.config import Config
from kpi.config.screens import Screen, View
from kpi.model.periods import local_day
from kpi.read.kiosk_views import ViewData, view_data
from kpi.read.view_deps import CLOCK_SECONDS, view_deps
from kpi.store.base import Store

_KEYS: OrderedDict[tuple[Any, ...], list[str]] = OrderedDict()
_KEYS_LOCK = threading.Lock()
KEYS_KEPT = 256
"""Views' cache keys kept per process, by what decides them: every TV of a screen asks the same after a
change (a poll each, or a stream's computation), and working them out is ~0.3 ms of Python."""
VIEW_SECONDS = 60
"""How long a cached view (data or body) lives: TVs of one screen poll within seconds of each other,
and an entry whose versions moved on is garbage that expires by itself."""
ViewCompute = Callable[[Store, Config, Screen, View, datetime], ViewData]


@dataclass(frozen=True)
class ScreenViews:
    """Where one screen's views are shared: the app's cache, the screen's name and its signature."""

    cache: SharedCache
    screen: str
    signature: str


def digest(data: ViewData) -> str:
    """A short fingerprint of a view's data: the TV gets a view again only when it changes."""
    return hashlib.blake2b(repr(data).encode(), digest_size=6).hexdigest()


def screen_parts(config: Config, views: Sequence[View]) -> list[str]:
    """The version parts that any of `views` reads, sorted (what a poll reads of `Store.versions`)."""
    return sorted({part for view in views for part in view_deps(config, view).parts})


def view_keys(
    store: Store, config: Config, shared: ScreenViews, views: Sequence[View], now: datetime
) -> list[str]:
    """Each view's cache key (one read of the versions its parts are at)."""
    return keys_at(store.versions(screen_parts(config, views)), config, shared, views, now)


def keys_at(
    versions: Mapping[str, int], config: Config, shared: ScreenViews, views: Sequence[View], now: datetime
) -> list[str]:
    """Each view's cache key, from the `versions` of its parts (`screen_parts`) as the store has them."""
    day = local_day(now, config.zone).isoformat()
    minute = int(now.timestamp()) // CLOCK_SECONDS
    memo = (id(config), shared.screen, shared.signature, day, minute, len(views), *sorted(versions.items()))
    with _KEYS_LOCK:
        found = _KEYS.get(memo)
    if found is None:
        found = _keys(versions, config, shared, views, day, minute)
        with _KEYS_LOCK:
            _KEYS[memo] = found
            while len(_KEYS) > KEYS_KEPT:
                _KEYS.popitem(last=False)
    return found


def _keys(
    versions: Mapping[str, int],
    config: Config,
    shared: ScreenViews,
    views: Sequence[View],
    day: str,
    minute: int,
) -> list[str]:
    keys = []
    for index, view in enumerate(views):
        dep = view_deps(config, view)
        stamp = ",".join(f"{part}={versions.get(part, 0)}" for part in dep.parts)
        read = hashlib.blake2b(stamp.encode(), digest_size=8).hexdigest()
        when = f"{day}:{minute}" if dep.clock else day
        keys.append(f"view:{shared.screen}:{shared.signature}:{index}:{read}:{when}")
    return keys


def cached_views(
    shared: ScreenViews,
    store: Store,
    config: Config,
    screen: Screen,
    views: Sequence[View],
    now: datetime,
    compute: ViewCompute = view_data,
    versions: Mapping[str, int] | None = None,
) -> tuple[list[ViewData], tuple[str, ...]]:
    """Every view's data and fingerprint: from this process's memo or the shared cache, the missing ones
    computed once.

    Args:
        versions: the versions of the views' parts when the caller has read them (else read here).
    """
    if versions is None:
        keys = view_keys(store, config, shared, views, now)
    else:
        keys = keys_at(versions, config, shared, views, now)

    def missing(indexes: list[int]) -> list[tuple[ViewData, str]]:
        datas = [compute(store, config, screen, views[i], now) for i in indexes]
        return [(data, digest(data)) for data in datas]

    entries = shared.cache.computed("kiosk_views", keys, missing, VIEW_SECONDS, local=True)
    return [data for data, _ in entries], tuple(fingerprint for _, fingerprint in entries)


def cached_bodies(
    shared: ScreenViews, digests: Sequence[str], send: Sequence[bool], draw: Callable[[int], Any]
) -> list[Any | None]:
    """The rendered body of each view to `send` (None for the others), drawn once per fingerprint.

    Args:
        draw: renders view `index` from its data (the Dash layer's renderer; services know no components).
    """
    wanted = [index for index, again in enumerate(send) if again]
    keys = [f"body:{shared.screen}:{shared.signature}:{i}:{digests[i]}" for i in wanted]
    drawn = shared.cache.computed(
        "kiosk_bodies", keys, lambda missing: [draw(wanted[m]) for m in missing], VIEW_SECONDS, local=True
    )
    bodies: list[Any | None] = [None] * len(send)
    for index, body in zip(wanted, drawn):
        bodies[index] = body
    return bodies


def screen_views(cache: SharedCache | None, screen: str, signature: str) -> ScreenViews | None:
    """Where `screen`'s views are shared; None without a cache (then every request computes)."""
    return ScreenViews(cache, screen, signature) if cache is not None else None


def draw_bodies(
    shared: ScreenViews | None, digests: Sequence[str], send: Sequence[bool], draw: Callable[[int], Any]
) -> list[Any | None]:
    """`cached_bodies` through `shared`, or each body drawn here without a cache."""
    if shared is not None:
        return cached_bodies(shared, digests, send, draw)
    return [draw(index) if again else None for index, again in enumerate(send)]
