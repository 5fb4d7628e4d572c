"""A screen's data as the store has it now: its views' data and fingerprints, the version, new celebrations.

The poll's reads raise `StoreUnavailable` when the store does not answer (the poll then says so to the TV);
an opening page gets None and shows its views as waiting for data.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Callable, Mapping, Sequence

from dashboard.services.kiosk.seen import Seen
from dashboard.services.kiosk.view_cache import ScreenViews, cached_views, digest, screen_parts
from kpi.config import Config
from kpi.config.screens import Screen, View
from kpi.model.celebration import Celebration
from kpi.read.freshness import Freshness, freshness
from kpi.read.kiosk_views import ViewData, view_data
from kpi.store.base import Store, StoreUnavailable
from kpi.store.celebration_feed import feed_for
from kpi.store.poll_read import PollRead, poll_read

Reader = Callable[[Sequence[str], str], PollRead | None]
"""What a stream gives `changes_since` instead of its own read: the poll state its worker's watcher read
last, for these parts and after this celebration id; None when it has none that fits."""


@dataclass(frozen=True)
class Opening:
    """What a kiosk page is first drawn from."""

    version: int
    datas: list[ViewData]
    digests: tuple[str, ...]
    last_celebration: str
    """The newest celebration already published: a TV that opens now celebrates only what comes after."""


@dataclass(frozen=True)
class Changes:
    """What a poll found in the store since what the TV has seen."""

    sources: Freshness
    version: int
    fresh: list[tuple[str, Celebration]]
    """Celebrations published after the TV's last one (and young enough to show), oldest first."""
    datas: list[ViewData] | None
    """Every view's data again, or None when the data version is the one the TV has."""
    digests: tuple[str, ...] = ()
    """The fingerprint of each view's data (empty when `datas` is None)."""


def views_data(
    store: Store,
    config: Config,
    screen: Screen,
    views: list[View],
    now: datetime,
    shared: ScreenViews | None = None,
    versions: Mapping[str, int] | None = None,
) -> tuple[list[ViewData], tuple[str, ...]]:
    """The data of every view and its fingerprint, from the store as it is now (through `shared`, the
    screen's cache, when given, keyed by the parts' `versions` when the caller has read them: see
    `view_cache`)."""
    if shared is not None:
        return cached_views(shared, store, config, screen, views, now, versions=versions)
    datas = [view_data(store, config, screen, view, now) for view in views]
    return datas, tuple(digest(d) for d in datas)


def opening(
    store: Store,
    config: Config,
    screen: Screen,
    views: list[View],
    now: datetime,
    shared: ScreenViews | None = None,
) -> Opening | None:
    """The data of a kiosk page being opened; None when the store does not answer."""
    try:
        version = store.data_version()
        datas, digests = views_data(store, config, screen, views, now, shared)
        last_celebration = feed_for(store).last_id()
    except StoreUnavailable:
        return None
    return Opening(version, datas, digests, last_celebration)


def changes_since(
    store: Store,
    config: Config,
    screen: Screen,
    views: list[View],
    seen: Seen,
    now: datetime,
    shared: ScreenViews | None = None,
    reader: Reader | None = None,
) -> Changes:
    """How the sources stand and what changed since `seen`: one read of the store (`poll_read`) when
    nothing did, or when what changed is served from the view cache; none when `reader` (a stream's
    watcher) has read it already."""
    max_age = config.celebrations.max_age_seconds
    parts = screen_parts(config, views)
    read = reader(parts, seen.celebration) if reader is not None else None
    if read is None:
        read = poll_read(store, parts, seen.celebration, max_age_seconds=max_age)
    sources = freshness(config.connectors, read.health, now, screen.stale_seconds)
    if read.version == seen.version:
        return Changes(sources, read.version, read.fresh, None)
    datas, digests = views_data(store, config, screen, views, now, shared, read.versions)
    return Changes(sources, read.version, read.fresh, datas, digests)
