"""Memory benchmark: Redis memory of a big floor's history, all-in and per stored record, by kind of key.

Starts a throwaway redis-server (or uses ``--redis-url``), writes the floor of ``bench/manage.py``
(2,000 agents in 20 teams, 10 metrics, 13 months: one work event per agent and weekday, a CSAT rating
per agent and week, an NPS answer every other week) through ``RedisStore.upsert``, and prints Redis's
``used_memory`` growth in MB, the bytes per stored record all-in (records + boards + the rest), where
the bytes go (``MEMORY USAGE`` summed per kind of key: record buckets, board sorted sets, rule tallies…),
and a record value's bytes by field (record_codec.py), averaged over a sample of buckets.

``--agents 200`` writes a tenth of the floor and extrapolates linearly (every agent adds the same
records and board cells; the 20 team members per board do not grow, so this slightly overstates).
``--listpack`` first applies the redis.conf advice of docs/production.md (``hash-max-listpack-value 512``)
with CONFIG SET. Run ``python -m bench.memory`` (a few minutes on a busy 2-core machine).
"""

from __future__ import annotations

import argparse
import contextlib
import sys
import time
from collections import Counter
from typing import Sequence

from bench._redis import own_redis
from bench.manage import bench_config, floor, load
from kpi.config.retention import Retention
from kpi.store import RedisStore, make_redis
from kpi.store.record_codec import SEP

VALUE_FIELDS = ("version", "hash", "flags", "contribution", "event", "link", "linked lines", "link applied")

FULL_FLOOR = 2000


def kind_of(key: str, namespace: str) -> str:
    """The kind of a namespace's key: its first part after the prefix (``recs``, ``b``…), boards by period."""
    rest = key[len(f"wb:{{{namespace}}}:") :]
    kind = rest.split(":", 1)[0]
    if kind != "b":
        return kind
    parts = rest.split(":")
    if parts[1] == "~tally":
        return "b:~tally (day)"
    bucket = parts[2]
    period = (
        "week"
        if "-W" in bucket
        else "quarter"
        if "-Q" in bucket
        else {4: "year", 7: "month"}.get(len(bucket), "day")
    )
    return f"b ({period} boards)"


def usage_by_kind(store: RedisStore) -> Counter[str]:
    """Bytes per kind of key (MEMORY USAGE, sampled for big keys), over a scan of the namespace."""
    found: Counter[str] = Counter()
    keys = list(store.client.scan_iter(match=f"wb:{{{store.namespace}}}:*", count=5000))
    for start in range(0, len(keys), 1000):
        pipe = store.client.pipeline(transaction=False)
        chunk = keys[start : start + 1000]
        for key in chunk:
            pipe.memory_usage(key)
        for key, used in zip(chunk, pipe.execute()):
            found[kind_of(key, store.namespace)] += int(used or 0)
    return found


def field_bytes(store: RedisStore, buckets: int = 64) -> tuple[int, Counter[str]]:
    """How many records `buckets` record buckets hold, and their bytes by value field (and id, separators)."""
    found: Counter[str] = Counter()
    records = 0
    keys = next(store.record_buckets(per_chunk=buckets), [])
    for key in keys:
        for record_id, value in store.client.hgetall(key).items():
            fields = value.split(SEP)
            records += 1
            found["(id: the field name)"] += len(record_id.encode())
            found["(separators)"] += len(fields) - 1
            for name, field in zip(
                VALUE_FIELDS if len(fields) != 9 else [f"old {n}" for n in "vhdclxaqe"], fields
            ):
                found[name] += len(field.encode())
    return records, found


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--redis-url", help="use this Redis instead of starting one")
    parser.add_argument("--agents", type=int, default=FULL_FLOOR, help="agents (extrapolated to 2,000)")
    parser.add_argument("--teams", type=int, default=20)
    parser.add_argument("--days", type=int, default=396, help="days of history (396 = 13 months)")
    parser.add_argument("--batch", type=int, default=5000)
    parser.add_argument("--listpack", action="store_true", help="CONFIG SET hash-max-listpack-value 512")
    args = parser.parse_args(argv)
    # bench.manage's floor ends on a fixed day: keep all of it whatever today is.
    config = bench_config(args.teams).model_copy(update={"retention": Retention(days=36_600)})
    scale = FULL_FLOOR / args.agents
    with contextlib.ExitStack() as stack:
        url = stack.enter_context(own_redis(args.redis_url))
        client = make_redis(url, socket_timeout=120)
        if args.listpack:
            client.config_set("hash-max-listpack-value", "512")
        limits = {k: v for k, v in client.config_get("*-max-listpack-*").items() if "list-" not in k}
        store = RedisStore(client, f"mem-{time.time_ns() % 16**6:06x}")
        before = store.memory_bytes()
        started = time.perf_counter()
        count = load(store, config, floor(args.agents, args.teams, args.days, seed=5), args.batch)
        took = time.perf_counter() - started
        used = store.memory_bytes() - before
        records = store.record_count()
        print(f"redis limits: {limits}")
        print(
            f"floor: {args.agents:,} agents, {args.teams} teams, {len(config.metrics)} metrics, {args.days} "
            f"days: {count:,} events ({records:,} records) in {took:.0f} s ({count / took:,.0f}/s)"
        )
        extrapolated = "" if scale == 1 else f" (×{scale:g}, extrapolated linearly to 2,000 agents)"
        print(f"Redis used_memory growth: {used * scale / 1e6:,.0f} MB{extrapolated}")
        print(f"all-in per stored record: {used / records:,.0f} bytes")
        by_kind = usage_by_kind(store)
        total = sum(by_kind.values())
        for kind, size in by_kind.most_common():
            print(f"  {kind:<24} {size * scale / 1e6:>9,.1f} MB  {size / records:>7,.1f} bytes/record")
        print(f"  {'(sum of MEMORY USAGE)':<24} {total * scale / 1e6:>9,.1f} MB")
        sampled, split = field_bytes(store)
        print(f"a record's value by field (bytes, mean over the {sampled:,} records of 64 buckets):")
        for name, size in split.items():
            print(f"  {name:<24} {size / max(sampled, 1):>7,.1f}")
        client.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
