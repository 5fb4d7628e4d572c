"""Rules tab benchmark: the server time of `/manage`'s rules page (each rule part's points by team, 30 days).

Backfills the demo's simulated floor (30 agents in three teams, `--days` of history with its corrected
deals and reopened tickets) through the ingest path into a throwaway redis-server and into the in-process
store the demo uses, then times `rules_page` (what the tab's callback reads) for an admin.
Prints p50/p95 per store. Run ``python -m bench.rules``; ``--help`` lists the knobs.
"""

from __future__ import annotations

import argparse
import statistics
import time
from datetime import datetime, timezone

from bench._redis import own_redis
from connectors.simulator import SimulatedFloor
from dashboard.services.manage.rules import rules_page
from kpi.config import Config, load_config
from kpi.ingest.pipeline import ingest_events
from kpi.model.viewer import Viewer
from kpi.store import MemoryStore, RedisStore, make_redis
from kpi.store.base import Store

NOW = datetime(2026, 11, 24, 15, 0, tzinfo=timezone.utc)
ADMIN = Viewer("bench", "admin", frozenset())


def backfill(store: Store, config: Config, days: int) -> int:
    """The demo's history written in batches of 5,000; returns how many events."""
    batch, written = [], 0
    for event in SimulatedFloor(config.zone).history(days, NOW):
        batch.append(event)
        if len(batch) == 5000:
            ingest_events(store, config, batch)
            written, batch = written + len(batch), []
    ingest_events(store, config, batch)
    return written + len(batch)


def timed(store: Store, config: Config, requests: int) -> tuple[float, float, int]:
    """p50 and p95 in ms of the rules page, and how many rule rows have points."""
    times, rows = [], 0
    for _ in range(requests):
        start = time.perf_counter()
        page = rules_page(store, config, ADMIN, NOW)
        times.append((time.perf_counter() - start) * 1000)
        rows = sum(1 for row in page.rules if row.by_team)
    p95 = statistics.quantiles(times, n=20)[18] if len(times) > 1 else times[0]
    return statistics.median(times), p95, rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--days", type=int, default=90, help="days of history, as the demo (default 90)")
    parser.add_argument("--requests", type=int, default=20, help="timed page loads per store (default 20)")
    parser.add_argument("--redis-url", help="an empty Redis to use instead of a throwaway one")
    args = parser.parse_args()
    config = load_config()
    with own_redis(args.redis_url) as url:
        for store in (MemoryStore(), RedisStore(make_redis(url), "bench")):
            events = backfill(store, config, args.days)
            p50, p95, rows = timed(store, config, args.requests)
            print(
                f"{store.kind}: {events:,} events over {args.days} days; rules tab p50 {p50:.1f} ms, "
                f"p95 {p95:.1f} ms ({rows} rule parts with points)"
            )


if __name__ == "__main__":
    main()
