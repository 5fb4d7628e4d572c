"""Quality gate benchmark: what reading `points` costs with the gate on, against the same reads with it off.

Starts a throwaway redis-server, writes 2,000 agents (20 teams) with 30 days of work and CSAT through
``RedisStore.upsert`` with the built-in config (`bench.me.floor`), then times, interleaved, each read that
points go through (`kpi.read.rankings`) with ``points.quality_gate.enabled`` false and true over the same
data: a TV's top 3 of the week (again, and just after new data: a whole gated board is read once per data
version), one agent's own rank and week points (as `/me` reads them), and the floor's week tile. Prints
p50 per read. Run ``python -m bench.gated_points``; ``--help`` lists the knobs.
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable

from bench._redis import own_redis
from bench.me import NOW, floor
from kpi.config import Config, parse_config
from kpi.config.root import builtin_data
from kpi.model.periods import current_bucket
from kpi.read.rankings import floor_reading, member_reading, ranking, ranks_of
from kpi.store import RedisStore, make_redis


def _config(gate: bool) -> Config:
    data = builtin_data()
    data["points"]["quality_gate"]["enabled"] = gate
    return parse_config(data, "bench config")


def _reads(store: RedisStore, config: Config, agent: str) -> dict[str, Callable[[], object]]:
    week = current_bucket("week", NOW, config.zone)
    return {
        "TV top 3, week": lambda: ranking(store, config, "points", "week", week, limit=3),
        "own rank, week": lambda: ranks_of(store, config, "points", week, "agent", [agent]),
        "own points, week": lambda: member_reading(store, config, "points", week, "agent", agent),
        "floor tile, week": lambda: floor_reading(store, config, "points", week),
    }


def run(url: str, args: argparse.Namespace) -> None:
    off, on = _config(gate=False), _config(gate=True)
    store = RedisStore(make_redis(url), "bench")
    batch: list = []
    for event in floor(args.agents, args.days):
        batch.append(event)
        if len(batch) == 5000:
            store.upsert(batch, off)
            batch = []
    store.upsert(batch, off)
    agent = f"ag{args.agents // 2:04d}"
    reads = {gate: _reads(store, config, agent) for gate, config in (("off", off), ("on", on))}
    changed = "TV top 3, new data"
    for gate in ("off", "on"):
        reads[gate][changed] = reads[gate]["TV top 3, week"]
    times: dict[tuple[str, str], list[float]] = {}
    for round_ in range(args.repeat):
        for name in reads["off"]:
            for gate in ("off", "on"):
                if name == changed:  # a new event: a new data version, nothing remembered
                    store.upsert([next(floor(1, 1)).model_copy(update={"id": f"new-{round_}-{gate}"})], off)
                start = time.perf_counter()
                reads[gate][name]()
                times.setdefault((name, gate), []).append((time.perf_counter() - start) * 1000)
    print(f"{args.agents:,} agents, {args.days} days, {args.repeat} rounds (p50 ms, gate off → on):")
    for name in reads["off"]:
        off_ms, on_ms = (statistics.median(times[(name, gate)]) for gate in ("off", "on"))
        print(f"  {name:<18} {off_ms:7.2f} → {on_ms:7.2f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--agents", type=int, default=2000, help="agents on the floor (default 2000)")
    parser.add_argument("--days", type=int, default=30, help="days of history (default 30)")
    parser.add_argument("--repeat", type=int, default=30, help="timed rounds (default 30)")
    parser.add_argument("--redis-url", help="an empty Redis to use instead of a throwaway one")
    args = parser.parse_args()
    with own_redis(args.redis_url) as url:
        run(url, args)


if __name__ == "__main__":
    main()
