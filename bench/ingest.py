"""Ingest benchmark: events/s through RedisStore.upsert, Redis memory per 100k events, and the limit.

Starts its own throwaway redis-server on a free loopback port (or uses ``--redis-url``), generates a
realistic floor (about 30 agents in 3 teams over 90 days: deals, tickets, calls, CSAT and NPS), and prints:

* events/s for single events (one ``upsert`` call per event) and for batches of each ``--batch`` size;
* Redis memory per 100k events (``INFO used_memory`` delta, extrapolated linearly from what was ingested),
  and the same as bytes per stored record, all-in (``--listpack`` applies docs/production.md's advice);
* ``redis-benchmark``'s pipelined ZINCRBY rate on the same server;
* the number of keys one average event touches, the "limit" (ZINCRBY rate / keys per event), and the ratio
  of batched ingest to that limit against the goal of at least 25%.

Run ``python bench/ingest.py`` (well under two minutes with the defaults); ``--help`` lists the knobs.
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import io
import random
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Sequence
from urllib.parse import urlparse

import redis

from bench._redis import own_redis
from kpi.config import Config, load_config
from kpi.model.contributions import contribution_of
from kpi.model.events import Event
from kpi.store import RedisStore, make_redis

GOAL = 0.25
"""Batched ingest should reach this share of the ZINCRBY limit (issue 2)."""

ZSETS_PER_AGGREGATION = {"count": 2, "sum": 3, "mean": 3, "nps": 4}
"""Sorted sets one board cell uses: ``n`` and ``r`` always, ``s`` for sums and means, ``p``/``d`` for NPS."""

RECORD_AGENTS_VERSION = 3
"""Besides the boards an upsert touches the record hash, the agents hash and the data version counter."""

MIX = (
    ("ticket_solved", 0.38),
    ("call_handled", 0.30),
    ("csat_rating", 0.16),
    ("deal_won", 0.08),
    ("nps_response", 0.08),
)
"""Share of each event type on a typical contact-center floor."""


# --- a realistic floor -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Person:
    """An agent on the simulated floor."""

    id: str
    name: str
    team: str


def floor(agents: int, teams: int) -> list[Person]:
    """`agents` agents spread over `teams` teams."""
    names = ["Support", "Phones", "Sales", "Billing", "Retention"]
    return [
        Person(f"agent-{n:03d}", f"Agent {n:03d}", names[n % teams] if teams <= 5 else f"team-{n % teams}")
        for n in range(agents)
    ]


def value_for(kind: str, rng: random.Random) -> float:
    """A plausible value for an event of this type."""
    if kind == "deal_won":
        return round(rng.lognormvariate(8, 0.8), 2)
    if kind == "call_handled":
        return float(int(rng.gammavariate(3, 90)))
    if kind == "csat_rating":
        return float(rng.choices([1, 2, 3, 4, 5], weights=[3, 4, 10, 33, 50])[0])
    if kind == "nps_response":
        return float(rng.choices(range(11), weights=[2, 1, 1, 2, 2, 3, 4, 8, 15, 25, 37])[0])
    return 1.0


def events(count: int, days: int, agents: Sequence[Person], rng: random.Random, now: datetime) -> list[Event]:
    """`count` new events over the last `days` days, in office hours, in time order."""
    kinds, weights = zip(*MIX)
    start = now - timedelta(days=days)
    moments = sorted(
        start + timedelta(days=rng.randrange(days), hours=rng.uniform(8, 18)) for _ in range(count)
    )
    found = []
    for n, moment in enumerate(moments):
        agent = rng.choice(agents)
        kind = rng.choices(kinds, weights)[0]
        found.append(
            Event.model_validate(
                {
                    "source": "bench",
                    "id": f"{kind}-{n}",
                    "type": kind,
                    "agent_id": agent.id,
                    "agent_name": agent.name,
                    "team": agent.team,
                    "value": value_for(kind, rng),
                    "occurred_at": moment.isoformat(),
                    "attributes": {"channel": rng.choice(["phone", "chat", "email"])},
                }
            )
        )
    return found


def keys_per_event(batch: Sequence[Event], config: Config) -> float:
    """Distinct Redis keys one average new event touches: its board zsets plus record, agents and version."""
    total = 0
    for event in batch:
        contribution = contribution_of(event, config, event.team)
        boards = 0
        if contribution is not None:
            scopes = 2 if contribution.team else 1
            boards = (
                sum(ZSETS_PER_AGGREGATION[p.aggregation] for p in contribution.parts)
                * len(contribution.buckets)
                * scopes
            )
        total += boards + RECORD_AGENTS_VERSION
    return total / len(batch)


# --- redis -----------------------------------------------------------------------------------------------


def clear(client: redis.Redis, namespace: str) -> None:
    """Delete every key of the benchmark's namespace (and nothing else)."""
    batch = list(client.scan_iter(match=f"wb:{{{namespace}}}:*", count=5000))
    for start in range(0, len(batch), 5000):
        client.unlink(*batch[start : start + 5000])


def used_memory(client: redis.Redis) -> int:
    """Redis's own figure for the memory it uses, in bytes."""
    return int(client.info("memory")["used_memory"])


def script_usec(client: redis.Redis) -> int:
    """The server's microseconds spent in the upsert library's functions (FCALL) so far."""
    stats = client.info("commandstats").get("cmdstat_fcall", {})
    return int(stats.get("usec", 0))


def zincrby_rate(url: str, requests: int, pipeline: int, key: str) -> float:
    """redis-benchmark's pipelined ZINCRBY requests per second against the server at `url`."""
    binary = shutil.which("redis-benchmark")
    if binary is None:
        sys.exit("redis-benchmark is not installed (it comes with redis-server / redis-tools)")
    parsed = urlparse(url)
    target = (
        ["-s", parsed.path]
        if parsed.scheme == "unix"
        else ["-h", parsed.hostname or "127.0.0.1", "-p", str(parsed.port or 6379)]
    )
    if parsed.password:
        target += ["-a", parsed.password]
    db = (parsed.path or "/0").lstrip("/") if parsed.scheme != "unix" else "0"
    # `-t` has no zincrby test, so the command is given explicitly; -r randomises the member.
    command = [
        binary,
        *target,
        "--dbnum",
        db or "0",
        "--csv",
        "-P",
        str(pipeline),
        "-n",
        str(requests),
        "-r",
        "10000",
        "ZINCRBY",
        key,
        "1",
        "member:__rand_int__",
    ]
    output = subprocess.run(command, check=True, capture_output=True, text=True).stdout
    rows = list(csv.reader(io.StringIO(output)))
    return float(rows[-1][1])


# --- measuring -------------------------------------------------------------------------------------------


def timed_upserts(store: RedisStore, config: Config, batch: Sequence[Event], size: int) -> float:
    """Events per second when `batch` is sent `size` events per upsert call."""
    started = time.perf_counter()
    for start in range(0, len(batch), size):
        store.upsert(batch[start : start + size], config)
    return len(batch) / (time.perf_counter() - started)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the benchmark and print its figures."""
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0], formatter_class=argparse.ArgumentDefaultsHelpFormatter
    )
    parser.add_argument(
        "--redis-url",
        help="use this Redis instead of starting one (only the benchmark's "
        "namespace and the ZINCRBY key are written and removed)",
    )
    parser.add_argument("--events", type=int, default=50_000, help="events per batched run")
    parser.add_argument("--single", type=int, default=3_000, help="events sent one upsert call each")
    parser.add_argument(
        "--batch", type=int, action="append", help="events per upsert call (repeatable; default 500 and 5000)"
    )
    parser.add_argument("--agents", type=int, default=30)
    parser.add_argument("--teams", type=int, default=3)
    parser.add_argument("--days", type=int, default=90)
    parser.add_argument("--zincrby-requests", type=int, default=200_000)
    parser.add_argument("--pipeline", type=int, default=16, help="redis-benchmark -P")
    parser.add_argument("--seed", type=int, default=2)
    parser.add_argument(
        "--listpack", action="store_true", help="CONFIG SET hash-max-listpack-value 512 (docs/production.md)"
    )
    args = parser.parse_args(argv)
    sizes = args.batch or [500, 5000]

    config = load_config()
    rng = random.Random(args.seed)
    people = floor(args.agents, args.teams)
    now = datetime.now(timezone.utc)
    print(
        f"generating {args.events:,} events: {args.agents} agents in {args.teams} teams "
        f"over {args.days} days ({', '.join(f'{k} {w:.0%}' for k, w in MIX)}) …",
        flush=True,
    )
    batch = events(args.events, args.days, people, rng, now)
    single = batch[: args.single]

    with contextlib.ExitStack() as stack:
        url = stack.enter_context(own_redis(args.redis_url))
        client = make_redis(url, socket_timeout=60)
        if args.listpack:
            client.config_set("hash-max-listpack-value", "512")
        namespace = f"bench-{random.Random().randrange(16**6):06x}"
        store = RedisStore(client, namespace)
        server = client.info("server")
        print(
            f"redis {server['redis_version']} at {url} ({'given' if args.redis_url else 'own server'}), "
            f"namespace {namespace!r}"
        )
        print()

        results: list[tuple[str, float]] = []
        clear(client, namespace)
        rate = timed_upserts(store, config, single, 1)
        results.append((f"single events (1 per call, {len(single):,} events)", rate))
        print(f"  {results[-1][0]:<44} {rate:>10,.0f} events/s", flush=True)

        memory_per_100k = 0.0
        batched: list[float] = []
        for size in sizes:
            clear(client, namespace)
            before, usec = used_memory(client), script_usec(client)
            rate = timed_upserts(store, config, batch, size)
            memory_per_100k = (used_memory(client) - before) / len(batch) * 100_000
            usec_after = script_usec(client)
            in_redis = (usec_after - usec) / len(batch)
            batched.append(rate)
            results.append((f"batches of {size:,} ({len(batch):,} events)", rate))
            print(
                f"  {results[-1][0]:<44} {rate:>10,.0f} events/s   (Redis spends {in_redis:,.0f} µs per "
                f"event in the upsert function: {in_redis * rate / 1e4:.0f}% of the wall time)",
                flush=True,
            )
        clear(client, namespace)

        print()
        print(
            f"Redis memory: {memory_per_100k / 2**20:,.1f} MiB per 100k events "
            f"(INFO used_memory delta over {len(batch):,} new events, extrapolated linearly to 100k); "
            f"all-in {memory_per_100k / 100_000:,.0f} bytes per stored record (record + its share of boards)"
        )
        print(f"hash listpack limits: {client.config_get('hash-max-listpack-*')} (docs/production.md#memory)")

        bench_key = f"wb:{{{namespace}}}:zincrby-bench"
        zrate = zincrby_rate(url, args.zincrby_requests, args.pipeline, bench_key)
        client.unlink(bench_key)
        print(
            f"redis-benchmark -P {args.pipeline} -n {args.zincrby_requests:,} ZINCRBY (random member): "
            f"{zrate:,.0f} requests/s"
        )

        keys = keys_per_event(batch, config)
        limit = zrate / keys
        best = max(batched)
        ratio = best / limit
        print(
            f"keys one average event touches: {keys:.1f} "
            f"(metrics × 5 buckets × 2 scopes × zsets per aggregation {ZSETS_PER_AGGREGATION} "
            f"+ record + agents + version)"
        )
        print(f"limit = ZINCRBY rate / keys per event = {zrate:,.0f} / {keys:.1f} = {limit:,.0f} events/s")
        verdict = "meets" if ratio >= GOAL else "MISSES"
        print(
            f"batched ingest (best, {best:,.0f} events/s) = {ratio:.0%} of the limit: {verdict} the goal "
            f"of ≥ {GOAL:.0%}"
        )
        client.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
