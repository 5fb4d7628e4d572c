"""Challenges benchmark: one challenge view's refresh (data changed, nothing cached) with many agents.

Starts its own redis-server (or uses ``--redis-url``), upserts ``--agents`` agents (default 5,000, in
teams of 100, named after the bench floor) with ``--days`` of tickets and CSAT ratings, configures
``--challenges`` running challenges of every kind (races, team vs team,
collaborative, personal best, fair race; windows that do not align with weeks), then times
`challenge_view` for each challenge after a small fresh batch, and prints p50/p95 per kind and overall.

Run ``python -m bench.challenges``; ``--help`` lists the knobs. Goal: p95 under 25 ms.
"""

from __future__ import annotations

import argparse
import gc
import random
import statistics
import time
from datetime import datetime, timedelta, timezone
from typing import Any

from bench._dataset import NAMES, SOURCE
from bench._redis import own_redis
from kpi.config import Config, parse_config
from kpi.config.root import builtin_data
from kpi.game.challenge_calendar import instances_near
from kpi.ingest.pipeline import ingest_events
from kpi.model.events import Event
from kpi.read.challenge_views import challenge_view
from kpi.store import RedisStore, make_redis

NOW = datetime(2026, 11, 25, 14, tzinfo=timezone.utc)
KINDS = ("race", "team_vs_team", "collaborative", "personal_best", "fair_race")


def definitions(count: int, teams: list[str]) -> list[dict[str, Any]]:
    """`count` running challenges, the kinds in turn, on a few metrics and windows."""
    found = []
    for n in range(count):
        kind = KINDS[n % len(KINDS)]
        spec: dict[str, Any] = {"id": f"c{n}", "title": f"Challenge {n}", "kind": kind}
        spec["metric"] = (
            ("tickets_solved", "csat", "points")[n % 3]
            if kind in ("race", "team_vs_team")
            else ("tickets_solved")
        )
        if n % 2:
            spec["recurring"] = "weekly"
        else:
            spec.update(start="2026-11-20", end="2026-11-27")
        if kind == "team_vs_team":
            spec["participants"] = {"teams": teams[n % 10 : n % 10 + 4]}
        if kind == "collaborative":
            spec["target"] = 50_000
        if kind == "fair_race":
            spec["targets"] = {"default": 40, "roles": {"junior": 25}}
        found.append(spec)
    return found


def bench_config(agents: int, challenges: int) -> Config:
    data = builtin_data()
    teams = [f"Team {t:02d}" for t in range(max(1, agents // 100))]
    people = {f"a{i:05d}": {"role": "junior", "fte": 0.5} for i in range(0, agents, 7)}
    data["challenges"] = {"people": people, "definitions": definitions(challenges, teams)}
    return parse_config(data, "bench")


def history(agents: int, days: int, seed: int = 7) -> list[Event]:
    """Tickets (some rated) and calls for every agent on working days up to `NOW`."""
    rng = random.Random(seed)
    found: list[Event] = []
    today = NOW.date()
    serial = 0
    for offset in range(days, -1, -1):
        day = today - timedelta(days=offset)
        if day.weekday() >= 5:
            continue
        for i in range(agents):
            agent = {
                "agent_id": f"a{i:05d}",
                "agent_name": f"{NAMES[i % len(NAMES)]} {i}",
                "team": f"Team {i // 100:02d}",
            }
            for _ in range(rng.randint(0, 3)):
                serial += 1
                at = datetime(day.year, day.month, day.day, rng.randint(7, 12), tzinfo=timezone.utc)
                found.append(
                    Event(source=SOURCE, id=f"t{serial}", type="ticket_solved", occurred_at=at, **agent)
                )
                if rng.random() < 0.3:
                    score = rng.randint(3, 5)
                    found.append(
                        Event(
                            source=SOURCE,
                            id=f"r{serial}",
                            type="csat_rating",
                            value=score,
                            occurred_at=at,
                            **agent,
                        )
                    )
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--agents", type=int, default=5000, help="agents (default 5000)")
    parser.add_argument("--challenges", type=int, default=20, help="running challenges (default 20)")
    parser.add_argument("--days", type=int, default=35, help="days of history (default 35)")
    parser.add_argument(
        "--rounds", type=int, default=10, help="refreshes of every challenge to time (default 10)"
    )
    parser.add_argument("--redis-url", help="use this Redis instead of starting one (it is flushed)")
    args = parser.parse_args()
    with own_redis(args.redis_url) as url:
        run(url, args)


def run(url: str, args: argparse.Namespace) -> None:
    client = make_redis(url)
    client.flushdb()
    store, config = RedisStore(client), bench_config(args.agents, args.challenges)
    events = history(args.agents, args.days)
    started = time.perf_counter()
    for n in range(0, len(events), 5000):
        store.upsert(events[n : n + 5000], config)
    print(
        f"history: {len(events)} events, {args.agents} agents, {time.perf_counter() - started:.1f} s to load"
    )
    # The loaded history is the bench's, not the app's: kept, its objects made the cycle collector's full
    # passes (45-130 ms) land in timed refreshes.
    del events
    gc.collect()
    instances = [
        i
        for c in config.challenges.definitions
        for i in instances_near(c, NOW, config.zone, 0)
        if i.starts_at <= NOW
    ]
    timings: dict[str, list[float]] = {kind: [] for kind in KINDS}
    rng = random.Random(3)
    for round_ in range(args.rounds):
        fresh = [
            Event(
                source=SOURCE,
                id=f"live-{round_}-{n}",
                type="ticket_solved",
                agent_id=f"a{rng.randrange(args.agents):05d}",
                team=None,
                occurred_at=NOW - timedelta(minutes=5),
            )
            for n in range(20)
        ]
        ingest_events(store, config, fresh, now=NOW)
        for instance in instances:
            began = time.perf_counter()
            challenge_view(store, config, instance, NOW, top_n=5, hidden=frozenset())
            timings[instance.challenge.kind].append((time.perf_counter() - began) * 1000)
    every = [ms for found in timings.values() for ms in found]
    print(
        f"{len(instances)} running challenges, {args.rounds} refreshes each after a fresh batch of 20 events"
    )
    for kind, found in [*timings.items(), ("all", every)]:
        if found:
            print(
                f"  {kind:14s} p50 {_pct(found, 50):6.1f} ms  p95 {_pct(found, 95):6.1f} ms  (n={len(found)})"
            )


def _pct(values: list[float], pct: int) -> float:
    ordered = sorted(values)
    return statistics.quantiles(ordered, n=100)[pct - 1] if len(ordered) > 1 else ordered[0]


if __name__ == "__main__":
    main()
