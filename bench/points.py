"""Points benchmark: ingest events/s with the default points rules against no rules, and rescore events/s.

Starts its own throwaway redis-server (or uses ``--redis-url``), generates a contact-center floor whose
tickets carry priority, complexity and backlog age and whose CSAT ratings name their ticket, and prints:

* ingest events/s (batches of 500) with no points rules and with the default rules, ``--rounds`` interleaved
  runs each (3 by default), and their ratio, best and median, against the goal of at least 70 %;
* ``rescore`` of ``--rescore-events`` stored events (ingested without rules, then rescored with the
  default rules): events/s, Python's and the Redis server's CPU seconds, then a second rescore that
  changes nothing (idempotent). The stored history is written with the same script as ingest, a chunk
  per script run (`RedisStore.run_batch`), as ingest writes a batch.

Run ``python -m bench.points`` (about a minute with the defaults); ``--million`` rescores 1,000,000 events.
"""

from __future__ import annotations

import argparse
import contextlib
import random
import statistics
import sys
import time
from datetime import datetime, timedelta, timezone
from importlib import resources
from typing import Sequence

import yaml
from redis import Redis

from bench._redis import own_redis
from bench.ingest import MIX, Person, clear, floor, value_for
from kpi.config import Config, load_config, parse_config
from kpi.model.contributions import contribution_of
from kpi.model.events import Event
from kpi.store import RedisStore, make_redis

GOAL = 0.70
"""Ingest with the default rules should keep this share of the rate without rules (issue 9)."""
BATCH = 500


def without_points() -> Config:
    """The default config with points turned off."""
    data = yaml.safe_load(resources.files("kpi.config").joinpath("default_config.yaml").read_text())
    return parse_config({**data, "points": {"rules": {}}}, "default config without points")


def attributes_for(kind: str, rng: random.Random, moment: datetime, tickets: list[int]) -> dict[str, object]:
    """What a source would attach: ticket priority, complexity and age; a rating's ticket."""
    if kind == "ticket_solved":
        return {
            "priority": rng.choices(["urgent", "high", "normal", "low"], weights=[5, 20, 55, 20])[0],
            "complexity": rng.choice(["low", "medium", "high"]),
            "channel": rng.choice(["phone", "chat", "email"]),
            "first_contact_resolution": rng.random() < 0.4,
            "created_at": (moment - timedelta(days=rng.expovariate(1 / 4))).isoformat(),
            "reopened": rng.random() < 0.03,
        }
    if kind == "csat_rating" and tickets:
        return {"ticket_id": f"ticket_solved-{rng.choice(tickets[-200:])}"}
    if kind == "call_handled":
        return {"channel": "phone", "first_contact_resolution": rng.random() < 0.4}
    return {"channel": rng.choice(["phone", "chat", "email"])}


def events(count: int, days: int, agents: Sequence[Person], rng: random.Random, now: datetime) -> list[Event]:
    """`count` events over the last `days` days in time order; ratings name a recent ticket."""
    kinds, weights = zip(*MIX)
    start = now - timedelta(days=days)
    moments = sorted(
        start + timedelta(days=rng.randrange(days), hours=rng.uniform(8, 18)) for _ in range(count)
    )
    tickets: list[int] = []
    found = []
    for n, moment in enumerate(moments):
        agent = rng.choice(agents)
        kind = rng.choices(kinds, weights)[0]
        found.append(
            Event(
                source="bench",
                id=f"{kind}-{n}",
                type=kind,
                agent_id=agent.id,
                agent_name=agent.name,
                team=agent.team,
                value=value_for(kind, rng),
                occurred_at=moment,
                attributes=attributes_for(kind, rng, moment, tickets),
            )
        )
        if kind == "ticket_solved":
            tickets.append(n)
    return found


def ingest_rate(store: RedisStore, config: Config, batch: Sequence[Event]) -> float:
    """Events per second into an emptied namespace, `BATCH` events per upsert call."""
    clear(store.client, store.namespace)
    started = time.perf_counter()
    for start in range(0, len(batch), BATCH):
        store.upsert(batch[start : start + BATCH], config)
    return len(batch) / (time.perf_counter() - started)


def report_ingest(runs: list[tuple[float, float]], events_per_run: int) -> None:
    """Print the ingest rates (best of the runs) and the ratio, best and median of the rounds."""
    without, with_rules = max(r[0] for r in runs), max(r[1] for r in runs)
    ratio = with_rules / without
    median = statistics.median(r[1] / r[0] for r in runs)
    print(
        f"  ingest without points rules   {without:>10,.0f} events/s"
        f"  ({events_per_run:,} events, best of {len(runs)})"
    )
    print(f"  ingest with the default rules {with_rules:>10,.0f} events/s")
    verdict = "meets" if ratio >= GOAL else "MISSES"
    print(
        f"  with rules / without = {ratio:.0%} (best), {median:.0%} (median of rounds):"
        f" {verdict} the goal of ≥ {GOAL:.0%}"
    )


def store_fast(store: RedisStore, history: Sequence[Event], config: Config) -> None:
    """Write `history` through upsert.lua, one script run per 500 events (setting up, not measured)."""
    for start in range(0, len(history), BATCH):
        chunk = history[start : start + BATCH]
        store.run_batch([store.script_input(e, contribution_of(e, config, e.team)) for e in chunk])


def redis_cpu(client: Redis) -> float:
    """The Redis server's CPU seconds so far (user and system): what the script runs cost it."""
    cpu = client.info("cpu")
    return float(cpu["used_cpu_user"]) + float(cpu["used_cpu_sys"])


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0], formatter_class=argparse.ArgumentDefaultsHelpFormatter
    )
    parser.add_argument("--redis-url", help="use this Redis (only the benchmark's namespace is written)")
    parser.add_argument("--events", type=int, default=30_000, help="events per ingest run")
    parser.add_argument("--rescore-events", type=int, default=100_000, help="stored events to rescore")
    parser.add_argument("--million", action="store_true", help="rescore 1,000,000 events")
    parser.add_argument("--agents", type=int, default=30)
    parser.add_argument("--teams", type=int, default=3)
    parser.add_argument("--days", type=int, default=90)
    parser.add_argument("--seed", type=int, default=9)
    parser.add_argument(
        "--rounds", type=int, default=3, help="interleaved ingest runs with and without rules"
    )
    args = parser.parse_args(argv)
    rescore_count = 1_000_000 if args.million else args.rescore_events

    rules, plain = load_config(), without_points()
    rng, people, now = random.Random(args.seed), floor(args.agents, args.teams), datetime.now(timezone.utc)
    print(f"generating {max(args.events, rescore_count):,} events ({args.agents} agents, {args.days} days) …")
    history = events(max(args.events, rescore_count), args.days, people, rng, now)
    batch = history[: args.events]

    with contextlib.ExitStack() as stack:
        url = stack.enter_context(own_redis(args.redis_url))
        client = make_redis(url, socket_timeout=120)
        store = RedisStore(client, f"bench-{random.Random().randrange(16**6):06x}")
        runs = [
            (ingest_rate(store, plain, batch), ingest_rate(store, rules, batch)) for _ in range(args.rounds)
        ]
        report_ingest(runs, len(batch))

        clear(client, store.namespace)
        print(f"storing {rescore_count:,} events without points rules …", flush=True)
        store_fast(store, history[:rescore_count], plain)
        for label in ("rescore with the default rules:", "rescore again (idempotent):    "):
            cpu, server, started = time.process_time(), redis_cpu(client), time.perf_counter()
            result = store.rescore(rules)
            seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
            print(
                f"  {label} {result.records:,} records in {seconds:.1f} s "
                f"({result.records / seconds:,.0f} events/s; Python CPU {cpu:.1f} s, "
                f"Redis CPU {redis_cpu(client) - server:.1f} s), {result.changed:,} changed",
                flush=True,
            )
        clear(client, store.namespace)
        client.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
