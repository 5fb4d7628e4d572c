"""Server µs and Redis round trips of ONE kiosk poll of each kind, in process.

Usage: ``python -m bench.poll_profile [--screen floor] [--days 14] [--repeat 200] [--profile KIND]``.

Starts its own redis-server, fills it with ``--days`` of the demo's simulated floor on the built-in config,
opens ``/kiosk/<screen>`` as a TV does (bench/kiosk_wire_client.py), then times GETs of the poll route with
Flask's test client (``Accept-Encoding: gzip, deflate, br`` like a browser), each kind ``--repeat`` times:

* ``unchanged`` — the TV has the current version: the pulse only;
* ``behind`` — one event landed since the TV's last poll, as for the 500 TVs of a screen after a change:
  the first of them computes (``behind-first``, the cold figure), the others ask the same question;
* ``new-tv`` — a TV that knows only its screen's signature (no version, no fingerprints): every body.

Prints µs of wall and CPU time per poll (median) and the Redis round trips per poll (commands sent on a
connection: a pipeline counts once). ``--profile KIND`` prints cProfile's top functions for that kind.
Figures on a busy shared machine are indicative only.
"""

from __future__ import annotations

import argparse
import cProfile
import json
import pstats
import statistics
import time
from datetime import datetime, timezone
from typing import Any, Callable

from redis.connection import Connection

from bench._redis import own_redis
from bench.kiosk_wire import Stream, backfill
from bench.kiosk_wire_client import BROWSER, TvClient, _decoded
from connectors.simulator import SimulatedFloor
from dashboard import create_app
from kpi.config import load_config
from kpi.config.settings import Settings
from kpi.ingest.pipeline import ingest_events
from kpi.store import RedisStore, make_redis
from tests.kiosk.dash_client import poll_url

KINDS = ("unchanged", "behind-first", "behind", "new-tv")


class RoundTrips:
    """Counts what this process sends to Redis: one per command, one per pipeline."""

    def __init__(self) -> None:
        self.count = 0
        self._send = Connection.send_packed_command

    def __enter__(self) -> RoundTrips:
        counter = self

        def send(connection: Connection, command: Any, check_health: bool = True) -> None:  # noqa: ANN401
            counter.count += 1
            counter._send(connection, command, check_health)

        Connection.send_packed_command = send  # type: ignore[method-assign]
        return self

    def __exit__(self, *_: object) -> None:
        Connection.send_packed_command = self._send  # type: ignore[method-assign]


def timed(get: Callable[[], Any], trips: RoundTrips) -> tuple[float, float, int]:
    """Wall µs, CPU µs and round trips of one poll."""
    before = trips.count
    wall, cpu = time.perf_counter(), time.process_time()
    response = get()
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    assert response.status_code == 200, response.status_code
    return wall * 1e6, cpu * 1e6, trips.count - before


def measure(args: argparse.Namespace, url: str) -> None:
    config = load_config(None)
    store = RedisStore(make_redis(url), "profile")
    floor = SimulatedFloor(config.zone)
    now = datetime.now(timezone.utc)
    events = backfill(store, config, floor, args.days, now)
    print(f"history: {events:,} events over {args.days} days; screen {args.screen!r}")
    app = create_app(Settings(), config=config, store=store)
    client = app.server.test_client()
    tv = TvClient(client, args.screen)
    tv.open()
    for _ in range(3):
        tv.poll()
    stream = Stream(floor, now)
    results: dict[str, list[tuple[float, float, int]]] = {kind: [] for kind in KINDS}
    profiles = {kind: cProfile.Profile() for kind in KINDS}

    def get(seen: dict[str, Any], kind: str) -> Callable[[], Any]:
        target = poll_url(tv.meta, seen, len(tv.view_types))

        def call() -> Any:  # noqa: ANN401 - a werkzeug response
            if args.profile != kind:
                return client.get(target, headers=BROWSER)
            profiles[kind].enable()
            try:
                return client.get(target, headers=BROWSER)
            finally:
                profiles[kind].disable()

        return call

    with RoundTrips() as trips:
        for _ in range(args.repeat):
            tv.poll()
            seen = dict(tv.seen)
            results["unchanged"].append(timed(get(seen, "unchanged"), trips))
            ingest_events(store, config, stream.take(1))
            results["behind-first"].append(timed(get(seen, "behind-first"), trips))
            for _ in range(3):
                results["behind"].append(timed(get(seen, "behind"), trips))
            fresh = {"sig": seen.get("sig")}
            results["new-tv"].append(timed(get(fresh, "new-tv"), trips))
    print(f"{'kind':14s} {'wall µs':>9s} {'cpu µs':>9s} {'redis trips':>12s}  (medians of {args.repeat})")
    for kind, rows in results.items():
        wall, cpu, count = (statistics.median(column) for column in zip(*rows))
        print(f"{kind:14s} {wall:9,.0f} {cpu:9,.0f} {count:12.0f}")
    if args.profile:
        pstats.Stats(profiles[args.profile]).sort_stats("cumulative").print_stats(args.top)
    if args.live:
        live(args, client, tv, store, config, stream)


def live(
    args: argparse.Namespace, client: Any, tv: TvClient, store: RedisStore, config: Any, stream: Stream
) -> None:  # noqa: ANN401
    """`--live` TVs, each with its own seen-state, polling in turn while `--rate` events a second land (as
    in bench.load: one event every TVs / (rate x interval) polls); mean CPU per poll, all kinds together."""
    interval = config.screens[args.screen].refresh_seconds
    every = max(1, round(args.live / (args.rate * interval)))
    seens = [dict(tv.seen) for _ in range(args.live)]
    profile = cProfile.Profile()
    cpu, polls, carried = 0.0, 0, 0
    for _ in range(args.rounds):
        for index in range(args.live):
            if polls % every == 0:
                ingest_events(store, config, stream.take(1))
            target = poll_url(tv.meta, seens[index], len(tv.view_types))
            started = time.process_time()
            if args.live_profile:
                profile.enable()
            response = client.get(target, headers=BROWSER if not args.plain else {})
            if args.live_profile:
                profile.disable()
            cpu += time.process_time() - started
            polls += 1
            answer = json.loads(_decoded(response))
            seens[index] = answer.get("s", seens[index])
            carried += "b" in answer
    print(
        f"live: {args.live} TVs x {args.rounds} rounds, an event every {every} polls:"
        f" {cpu / polls * 1e6:,.0f} µs CPU per poll, {carried / polls:.0%} of polls carried views"
    )
    if args.live_profile:
        pstats.Stats(profile).sort_stats(args.live_profile).print_stats(args.top)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--screen", default="floor")
    parser.add_argument("--days", type=int, default=14)
    parser.add_argument("--repeat", type=int, default=200)
    parser.add_argument("--profile", choices=KINDS, default=None)
    parser.add_argument("--top", type=int, default=30)
    parser.add_argument("--live", type=int, default=0, help="then TVs polling in turn with events landing")
    parser.add_argument("--rounds", type=int, default=5, help="polls of each live TV")
    parser.add_argument("--rate", type=float, default=2.0, help="events a second in the live run")
    parser.add_argument("--live-profile", choices=("cumulative", "tottime"), default=None)
    parser.add_argument("--plain", action="store_true", help="live TVs accept no compression")
    parser.add_argument("--redis-url", default=None)
    args = parser.parse_args()
    with own_redis(args.redis_url) as url:
        measure(args, url)


if __name__ == "__main__":
    main()
