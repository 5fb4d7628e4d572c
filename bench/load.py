"""Load bench: K virtual TVs, M managers and a steady event stream against a real `wallboard serve`.

    python -m bench.load --tvs 500 --managers 5 --rate 2 --seconds 120 [--transport poll] [--streams 512]

Starts a throwaway redis-server, writes a simulated floor (`--days` of history) and the marker agent's head
start, starts `wallboard serve` (`--workers` gunicorn workers, in its own process group) with the built-in
config plus one admin, then drives it from one asyncio process: each TV loads ``/kiosk/<screen>`` and
holds one stream (``--transport stream``, the default: bench/_load_stream.py; it polls only while its stream
is refused) or polls at the page's own interval (``--transport poll``) with its own seen-state
(bench/_load_tv.py), each manager clicks through the /manage tabs, and events are pushed through
``POST /api/v1/events`` at `--rate` per second.

Prints answers due vs served and on time (a poll: answered within its interval; a stream message: within
1 s of its due time, a refresh interval after the TV's previous message), latency p50/p95/p99 (a poll's
round trip; a message's lateness beyond its due time), errors, bytes per TV-hour (requests and answers, as
sent and uncompressed), server CPU per TV per refresh interval (app workers and Redis, from /proc, over the
measured window, divided by TVs x window / refresh interval), the generator's own CPU, push -> visible on
a TV, and whether each goal of issue #13 is met. The machine is shared: figures are indicative.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

from bench import _load_events
from bench._load_report import Cpu, report
from bench._load_run import Plan, Record, run
from bench._redis import start_redis
from bench._serve import group_cpu, process_cpu, serve, write_config
from kpi.config import load_config
from kpi.store import RedisStore, make_redis


def parse(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--tvs", type=int, default=500, help="virtual TVs (default 500)")
    parser.add_argument("--managers", type=int, default=5, help="virtual managers clicking (default 5)")
    parser.add_argument("--rate", type=float, default=2.0, help="events pushed per second (default 2)")
    parser.add_argument("--seconds", type=float, default=120.0, help="length of the measured window")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers (default 2)")
    parser.add_argument("--screen", default="floor", help="the screen every TV shows (default floor)")
    parser.add_argument("--days", type=int, default=14, help="days of floor history written first")
    parser.add_argument("--think", type=float, default=5.0, help="seconds between a manager's clicks")
    parser.add_argument(
        "--transport",
        choices=("stream", "poll"),
        default="stream",
        help="stream: each TV holds one stream (default); poll: each TV polls every refresh interval",
    )
    parser.add_argument(
        "--streams", type=int, help="WALLBOARD_STREAMS, streams per worker (default: the server's, 256)"
    )
    parser.add_argument(
        "--server-log", type=Path, help="append the server's warnings and errors to this file"
    )
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse(argv)
    workdir = Path(tempfile.mkdtemp(prefix="wallboard-load-"))
    redis_process, url = start_redis(str(workdir))
    try:
        config_path = write_config(workdir)
        config = load_config(config_path)
        if args.screen not in config.screens:
            sys.exit(f"no screen {args.screen!r}; the config has {', '.join(config.screens)}")
        now = datetime.now(timezone.utc)
        started = time.perf_counter()
        written = _load_events.seed(RedisStore(make_redis(url)), config, now, args.days)
        print(f"seeded {written:,} events ({args.days} days) in {time.perf_counter() - started:.0f} s")
        plan = Plan(
            "", args.screen, args.tvs, args.managers, args.rate, args.seconds, args.think,
            now.astimezone(config.zone).date(), args.transport,
        )  # fmt: skip
        if args.streams is not None:
            os.environ["WALLBOARD_STREAMS"] = str(args.streams)
        record, cpu = measure(plan, url, config_path, args, redis_process.pid)
        for line in report(plan, record, cpu):
            print(line)
    finally:
        redis_process.terminate()
        redis_process.wait(timeout=10)
        shutil.rmtree(workdir, ignore_errors=True)
    return 0


def measure(
    plan: Plan, redis_url: str, config: Path, args: argparse.Namespace, redis_pid: int
) -> tuple[Record, Cpu]:
    """Serve, run the plan against the server, and read the CPU its processes and this one spent."""
    marks: dict[str, tuple[float, float, float]] = {}
    started = time.perf_counter()
    with serve(redis_url, config, args.workers, args.server_log) as (base, group):
        print(
            f"wallboard serve ({args.workers} workers) answered after {time.perf_counter() - started:.0f} s"
        )
        plan.base_url = base

        def on_window(edge: str) -> None:
            marks[edge] = (group_cpu(group), process_cpu(redis_pid), time.process_time())

        record = run(plan, on_window)
    spent = [end - start for start, end in zip(marks["start"], marks["end"])]
    return record, Cpu(*spent)


if __name__ == "__main__":
    sys.exit(main())
