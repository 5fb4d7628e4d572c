"""Achievements benchmark: the cost of evaluating badges after an ingest batch, and of a full sweep.

Starts its own redis-server (or uses ``--redis-url``), loads the bench floor (30 agents in 3 teams) over
``--days`` of history with the built-in config, then prints:

* the first full sweep (everything found retroactively) and a second one (nothing new: the steady cost);
* for batches of ``--batch`` fresh events: ingest time alone and the evaluation of the batch's agents.

Run ``python -m bench.achievements``; ``--help`` lists the knobs.
"""

from __future__ import annotations

import argparse
import statistics
import time
from datetime import datetime, timedelta, timezone

from bench._dataset import events, load
from bench._redis import own_redis
from kpi.config import load_config
from kpi.ingest.achievements import evaluate_achievements
from kpi.ingest.pipeline import ingest_events
from kpi.store import RedisStore, make_redis


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--days", type=int, default=180, help="days of history (default 180)")
    parser.add_argument("--batch", type=int, default=200, help="events per live batch (default 200)")
    parser.add_argument("--batches", type=int, default=10, help="live batches to time (default 10)")
    parser.add_argument("--redis-url", help="use this Redis instead of starting one (it is flushed)")
    args = parser.parse_args()
    with own_redis(args.redis_url) as url:
        run(url, args)


def run(url: str, args: argparse.Namespace) -> None:
    client = make_redis(url)
    client.flushdb()
    store, config = RedisStore(client), load_config()
    now = datetime(2026, 11, 25, 15, tzinfo=timezone.utc)
    loaded = load(store, config, now - timedelta(hours=2), args.days)
    print(f"history: {loaded.received} events, {args.days} days, {len(store.agents())} agents")
    for label in ("first sweep (retroactive)", "second sweep (nothing new)"):
        started = time.perf_counter()
        found = evaluate_achievements(store, config, now)
        print(f"{label}: {time.perf_counter() - started:.2f} s, {len(found)} awards stored")
    fresh = [e for e in events(now, config.zone, 0, seed=99) if e.occurred_at > now - timedelta(hours=2)]
    fresh = [e.model_copy(update={"id": f"live-{i}"}) for i, e in enumerate(fresh)]
    ingest_ms, evaluate_ms = [], []
    for n in range(args.batches):
        batch = fresh[n * args.batch : (n + 1) * args.batch]
        if not batch:
            break
        started = time.perf_counter()
        ingest_events(store, config, batch, now=now)
        middle = time.perf_counter()
        evaluate_achievements(store, config, now, sorted({e.agent_id for e in batch}))
        ingest_ms.append((middle - started) * 1000)
        evaluate_ms.append((time.perf_counter() - middle) * 1000)
    if ingest_ms:
        size = len(fresh[: args.batch])
        print(
            f"live batches of {size} events ({len(ingest_ms)} timed), medians: "
            f"ingest {statistics.median(ingest_ms):.1f} ms, "
            f"evaluating their agents {statistics.median(evaluate_ms):.1f} ms"
        )


if __name__ == "__main__":
    main()
