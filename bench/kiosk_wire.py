"""What a TV costs on the wire: bytes per poll (request, response, compressed) and bytes per TV-hour.

Usage: ``python -m bench.kiosk_wire [--screen floor] [--days 90] [--rate 2] [--polls 200]``.

Starts its own redis-server (bench/_redis.py), fills it with ``--days`` of the demo's simulated floor on the
built-in (demo) config, opens ``/kiosk/<screen>`` as a TV does, then replays the TV's polls over HTTP with
Flask's test client, with ``Accept-Encoding: gzip, br`` like a browser: between two polls the simulated floor
writes ``--rate`` events a second for the poll interval. Prints the request, the unchanged poll, the changed
polls by view type (raw and as sent compressed) and the bytes per TV-hour at that rate. Figures on a busy
shared machine are indicative; the byte counts do not depend on the load.
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections import defaultdict
from datetime import datetime, timedelta, timezone

from bench._redis import own_redis
from bench.kiosk_wire_client import Exchange, TvClient
from connectors.simulator import SimulatedFloor
from dashboard import create_app
from kpi.config import Config, load_config
from kpi.config.settings import Settings
from kpi.ingest.pipeline import ingest_events
from kpi.store import RedisStore, make_redis


def backfill(store: RedisStore, config: Config, floor: SimulatedFloor, days: int, now: datetime) -> int:
    """The demo's history, in batches; returns the number of events."""
    batch, total = [], 0
    for item in floor.history(days, now):
        batch.append(item)
        if len(batch) == 2000:
            total += ingest_events(store, config, batch).received
            batch = []
    if batch:
        total += ingest_events(store, config, batch).received
    return total


class Stream:
    """Live events of the simulated floor handed out at a fixed rate of the simulated clock."""

    def __init__(self, floor: SimulatedFloor, start: datetime) -> None:
        self.floor, self.now, self.buffer = floor, start, []

    def take(self, count: int) -> list:
        while len(self.buffer) < count:
            self.now += timedelta(seconds=10)
            self.buffer.extend(self.floor.live(self.now, 10))
        taken, self.buffer = self.buffer[:count], self.buffer[count:]
        return taken


def measure(args: argparse.Namespace, url: str) -> None:
    config = load_config(None)
    store = RedisStore(make_redis(url), "wire")
    floor = SimulatedFloor(config.zone)
    now = datetime.now(timezone.utc)
    started = time.perf_counter()
    events = backfill(store, config, floor, args.days, now)
    print(f"history: {events:,} events over {args.days} days in {time.perf_counter() - started:.0f} s")
    app = create_app(Settings(), config=config, store=store)
    screen = config.screens[args.screen]
    tvs = {"on screen + next": TvClient(app.server.test_client(), args.screen)}
    tvs["every view"] = TvClient(app.server.test_client(), args.screen, says_view=False)
    for tv in tvs.values():
        page = tv.open()
        tv.interval = screen.refresh_seconds
    tv = tvs["on screen + next"]
    print(
        f"screen {args.screen!r}: {len(tv.view_types)} views {tv.view_types},"
        f" poll every {screen.refresh_seconds} s"
    )
    print(f"page layout (first load): {page.raw:,} bytes, {page.sent:,} sent")
    quiet = [tv.poll() for _ in range(5)]
    request = quiet[-1]
    print(
        f"poll request: body {request.request_body:,} bytes, request line + headers {request.request_head:,}"
        " bytes (the URL and Accept-Encoding; a browser adds its own headers, the same for any transport)"
    )
    last = quiet[-1]
    print(f"unchanged poll: {last.raw:,} bytes raw, {last.sent:,} sent (+{last.head:,} headers)")
    _print_headers("unchanged answer", quiet[-1])
    stream = Stream(floor, now)
    polls: dict[str, list[Exchange]] = defaultdict(list)
    for _ in range(args.polls):
        ingest_events(store, config, stream.take(round(args.rate * screen.refresh_seconds)))
        for name, each in tvs.items():
            polls[name].append(each.poll())
    changed = [p for p in polls["on screen + next"] if p.views]
    if changed:
        _print_headers("changed answer", changed[-1])
    _print_changes(polls["every view"], tvs["every view"].view_types)
    for name, results in polls.items():
        _print_run(name, results, screen.refresh_seconds, args.rate, request)


def _print_headers(what: str, exchange: Exchange) -> None:
    cells = ", ".join(f"{k} {len(k) + len(v) + 4}" for k, v in exchange.headers)
    print(f"{what}: status line + headers {exchange.head} bytes ({cells}; under gunicorn add Server,")
    print("  Date and Connection, 79 bytes)")


def _print_changes(polls: list[Exchange], view_types: list[str]) -> None:
    """How often each view's data changed between two polls (from a TV sent every changed view)."""
    counts: dict[int, int] = defaultdict(int)
    for exchange in polls:
        for index in exchange.indexes:
            counts[index] += 1
    cells = ", ".join(f"{i} {kind} {counts[i] / len(polls):.0%}" for i, kind in enumerate(view_types))
    print(f"share of polls in which each view changed: {cells}")


def _print_run(name: str, polls: list[Exchange], interval: float, rate: float, request: Exchange) -> None:
    per_view: dict[str, list[int]] = defaultdict(list)
    for result in polls:
        for kind, size in result.views:
            per_view[kind].append(size)
    changed = [p for p in polls if p.views]
    print(f"-- a TV sent {name}: {len(changed)} of {len(polls)} polls carried views ({rate} events/s)")
    for kind, sizes in sorted(per_view.items()):
        print(
            f"  {kind:16s} sent {len(sizes):4d} times, mean {statistics.mean(sizes):8,.0f} bytes raw"
            f" (max {max(sizes):,})"
        )
    if changed:
        print(
            f"  changed poll: mean {statistics.mean(p.raw for p in changed):,.0f} bytes raw,"
            f" {statistics.mean(p.sent for p in changed):,.0f} sent"
        )
    per_hour = 3600 / interval
    mean_sent = statistics.mean(p.sent + p.head for p in polls)
    mean_raw = statistics.mean(p.raw + p.head for p in polls)
    mean_head = statistics.mean(p.head for p in polls)
    mean_up = request.request_body + request.request_head
    print(
        f"  per TV-hour ({per_hour:,.0f} polls): down {per_hour * mean_sent / 1e6:.2f} MB sent"
        f" ({per_hour * mean_raw / 1e6:.2f} MB uncompressed; headers {per_hour * mean_head / 1e6:.2f} MB),"
        f" up {per_hour * mean_up / 1e6:.2f} MB"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--screen", default="floor")
    parser.add_argument("--days", type=int, default=90)
    parser.add_argument("--rate", type=float, default=2.0, help="events a second")
    parser.add_argument("--polls", type=int, default=200)
    parser.add_argument("--redis-url", default=None)
    args = parser.parse_args()
    with own_redis(args.redis_url) as url:
        measure(args, url)


if __name__ == "__main__":
    main()
