"""The shared view cache: one computation per screen and data version, whatever the number of TVs."""

from __future__ import annotations

import hashlib
import threading
import time
from datetime import datetime
from typing import Callable

import pytest
from flask import Flask
from kiosk_support import NOW, event, make_config

from dashboard.cache import WAIT_SECONDS, SharedCache, shared_cache
from dashboard.services.kiosk.view_cache import ScreenViews, cached_bodies, cached_views, view_keys
from kpi.config import Config
from kpi.config.screens import Screen, View
from kpi.ingest.pipeline import ingest_events
from kpi.model.agents import AgentChoices
from kpi.read.kiosk_views import ViewData, view_data
from kpi.store import MemoryStore, RedisStore, Store
from kpi.store.agent_choices import choices_for
from kpi.store.compute_lock import locks_for

pytestmark = pytest.mark.cluster

SCREENS = {
    "floor": {
        "views": [
            {"type": "leaderboard", "metric": "revenue", "period": "month"},
            {"type": "leaderboard", "metric": "tickets_solved", "period": "day"},
        ]
    }
}


@pytest.fixture
def cfg() -> Config:
    return make_config(screens=SCREENS)


@pytest.fixture
def shared(redis_store: RedisStore) -> SharedCache:
    """The shared cache on the test's Redis (a single server, or a cluster in the ``cluster`` run)."""
    return shared_cache(Flask(__name__), redis_store)


def _floor(cfg: Config) -> tuple[Screen, list[View]]:
    screen = cfg.screens["floor"]
    return screen, list(screen.views)


def _counting(calls: list[str]) -> Callable[[Store, Config, Screen, View, datetime], ViewData]:
    lock = threading.Lock()

    def compute(store: Store, config: Config, screen: Screen, view: View, now: datetime) -> ViewData:
        with lock:
            calls.append(view.type)
        return view_data(store, config, screen, view, now)

    return compute


def test_a_ticket_moves_only_the_ticket_metrics_version(store: Store, cfg: Config) -> None:
    ingest_events(store, cfg, [event("a1", "deal_won", value=500), event("a1")], now=NOW)
    before = store.versions(["revenue", "tickets_solved"])
    ingest_events(store, cfg, [event("a1")], now=NOW)
    after = store.versions(["revenue", "tickets_solved"])
    assert after["revenue"] == before["revenue"]
    assert after["tickets_solved"] > before["tickets_solved"]


def test_a_ticket_leaves_a_revenue_views_cache_entry_valid(
    redis_store: RedisStore, cfg: Config, shared: SharedCache
) -> None:
    screen, views = _floor(cfg)
    where = ScreenViews(shared, "floor", "sig")
    ingest_events(redis_store, cfg, [event("a1", "deal_won", value=500), event("a2")], now=NOW)
    revenue_before, tickets_before = view_keys(redis_store, cfg, where, views, NOW)
    ingest_events(redis_store, cfg, [event("a2")], now=NOW)
    revenue_after, tickets_after = view_keys(redis_store, cfg, where, views, NOW)
    assert revenue_after == revenue_before
    assert tickets_after != tickets_before


def test_an_agent_hiding_themselves_invalidates_the_leaderboards(
    redis_store: RedisStore, cfg: Config, shared: SharedCache
) -> None:
    _, views = _floor(cfg)
    where = ScreenViews(shared, "floor", "sig")
    ingest_events(redis_store, cfg, [event("a1", "deal_won", value=500)], now=NOW)
    before = view_keys(redis_store, cfg, where, views, NOW)
    choices_for(redis_store).save("a1", AgentChoices(hide_from_screens=True))
    after = view_keys(redis_store, cfg, where, views, NOW)
    assert all(a != b for a, b in zip(after, before))


def test_a_second_poll_reuses_the_views_computed_by_the_first(
    redis_store: RedisStore, cfg: Config, shared: SharedCache
) -> None:
    screen, views = _floor(cfg)
    ingest_events(redis_store, cfg, [event("a1", "deal_won", value=500), event("a2")], now=NOW)
    calls: list[str] = []
    where = ScreenViews(shared, "floor", "sig")
    first = cached_views(where, redis_store, cfg, screen, views, NOW, _counting(calls))
    second = cached_views(where, redis_store, cfg, screen, views, NOW, _counting(calls))
    assert len(calls) == 2
    assert second == first


def test_concurrent_first_polls_compute_each_view_once(
    redis_store: RedisStore, cfg: Config, shared: SharedCache
) -> None:
    screen, views = _floor(cfg)
    ingest_events(redis_store, cfg, [event("a1", "deal_won", value=500), event("a2")], now=NOW)
    calls: list[str] = []
    results: list[object] = []
    start = threading.Barrier(24)

    def tv() -> None:
        start.wait()
        where = ScreenViews(shared, "floor", "sig")
        results.append(cached_views(where, redis_store, cfg, screen, views, NOW, _counting(calls)))

    threads = [threading.Thread(target=tv) for _ in range(24)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(calls) == ["leaderboard", "leaderboard"]
    assert len(results) == 24 and all(result == results[0] for result in results)


def test_a_poll_computes_itself_when_the_lock_holder_never_delivers(
    redis_store: RedisStore, cfg: Config, shared: SharedCache
) -> None:
    screen, views = _floor(cfg)
    where = ScreenViews(shared, "floor", "sig")
    keys = view_keys(redis_store, cfg, where, views, NOW)
    dead = SharedCache(shared.cache, locks_for(redis_store), shared.salt)
    _, token = _hold_lock_of(dead, keys)
    calls: list[str] = []
    started = time.monotonic()
    datas, _ = cached_views(where, redis_store, cfg, screen, views, NOW, _counting(calls))
    assert len(calls) == 2 and len(datas) == 2
    assert time.monotonic() - started >= WAIT_SECONDS
    assert token


def _hold_lock_of(cache: SharedCache, keys: list[str]) -> tuple[str, str | None]:
    """Take the lock the next computation of `keys` needs, as a worker that then dies would."""
    salted = [f"{cache.salt}{key}" for key in keys]
    name = hashlib.blake2b("\n".join(salted).encode(), digest_size=12).hexdigest()
    return name, cache.locks.acquire(name, 5.0)


def test_each_body_is_drawn_once_per_fingerprint(redis_store: RedisStore, shared: SharedCache) -> None:
    where = ScreenViews(shared, "floor", "sig")
    drawn: list[int] = []

    def draw(index: int) -> str:
        drawn.append(index)
        return f"body {index}"

    first = cached_bodies(where, ["aa", "bb"], [True, False], draw)
    again = cached_bodies(where, ["aa", "bb"], [True, True], draw)
    assert first == ["body 0", None]
    assert again == ["body 0", "body 1"]
    assert drawn == [0, 1]


def test_the_in_process_store_gets_a_cache_of_its_own(cfg: Config) -> None:
    store = MemoryStore()
    cache = shared_cache(Flask(__name__), store)
    screen, views = _floor(cfg)
    calls: list[str] = []
    where = ScreenViews(cache, "floor", "sig")
    cached_views(where, store, cfg, screen, views, NOW, _counting(calls))
    cached_views(where, store, cfg, screen, views, NOW, _counting(calls))
    assert calls == ["leaderboard", "leaderboard"]


def test_a_value_that_cannot_be_cached_is_still_returned(shared: SharedCache) -> None:
    value = shared.one("test", "unpicklable", lambda: lambda: 42, 5)
    assert value() == 42
