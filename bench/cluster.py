"""Redis Cluster vs one redis-server: ingest events/s and read latency of one namespace on each.

Starts a throwaway redis-server and a throwaway three-master cluster (`tests/redis_cluster.py`, the
same starter the tests use), writes the same events through `RedisStore.upsert` into each, and times
the reads a TV refresh makes (a top 10 and its members' figures). One namespace lives on one master of
the cluster (its keys share the hash tag), so the figures show what the cluster client costs, not what
more masters add; several namespaces spread over the masters. Figures on a shared machine are indicative.
"""

from __future__ import annotations

import argparse
import contextlib
import random
import statistics
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path
from typing import Iterator, Sequence

from bench._redis import own_redis
from bench.ingest import events, floor
from kpi.config import Config, load_config
from kpi.model.events import Event
from kpi.model.periods import buckets_of
from kpi.store import RedisStore, make_redis
from tests.redis_cluster import RedisClusterServers


@contextlib.contextmanager
def own_cluster() -> Iterator[str]:
    """A three-master cluster for the length of the block; yields its ``redis+cluster://`` URL."""
    with tempfile.TemporaryDirectory() as workdir:
        cluster = RedisClusterServers(Path(workdir))
        try:
            cluster.start()
            yield cluster.url
        finally:
            cluster.stop()


def measure(url: str, config: Config, batch: Sequence[Event], reads: int) -> tuple[float, float, float]:
    """Events/s in batches of 500, then the p50 and p95 ms of one TV read (top 10 and their figures)."""
    store = RedisStore(make_redis(url), "bench")
    store.client.flushdb()
    started = time.perf_counter()
    for start in range(0, len(batch), 500):
        store.upsert(batch[start : start + 500], config)
    rate = len(batch) / (time.perf_counter() - started)
    month = buckets_of(datetime.now(timezone.utc), config.zone)["month"]
    times = []
    for _ in range(reads):
        started = time.perf_counter()
        top = store.ranked("tickets_solved", month, "agent", ascending=False, start=0, count=10)
        store.figures("tickets_solved", month, "agent", [member for member, _ in top])
        times.append((time.perf_counter() - started) * 1000)
    store.client.close()
    return rate, statistics.median(times), statistics.quantiles(times, n=20)[-1]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--events", type=int, default=20_000)
    parser.add_argument("--reads", type=int, default=500)
    args = parser.parse_args(argv)
    config = load_config()
    batch = events(args.events, 30, floor(30, 3), random.Random(2), datetime.now(timezone.utc))
    with own_redis() as server_url, own_cluster() as cluster_url:
        for name, url in (("one redis-server", server_url), ("3-master cluster", cluster_url)):
            rate, p50, p95 = measure(url, config, batch, args.reads)
            print(
                f"{name:<17} {rate:>8,.0f} events/s ingest (batches of 500, {len(batch):,} events);"
                f"  TV read (top 10 + figures) p50 {p50:.2f} ms, p95 {p95:.2f} ms"
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
