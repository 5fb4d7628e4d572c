"""Server ms per poll after one change: 1 TV vs 100 TVs of one screen, with and without the shared cache.

Usage: ``python -m bench.screen_cache [--agents 2000] [--days 120] [--tvs 100] [--rounds 5] [--screen NAME]``.
Starts its own redis-server, fills it like ``bench.kiosk``, then for each round pushes one event (a solved
ticket and a small deal) and lets `--tvs` TVs poll the screen once each through Flask's test client, all
carrying the seen-state of a TV that opened before the change. With the cache the first poll computes
(cold) and the others reuse its views and bodies (shared); without it (``context.cache = None``) every
poll computes. Figures are wall-clock and CPU ms in this process: indicative only on a busy machine.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from datetime import datetime, timezone

from bench._redis import start_redis
from bench.kiosk import fill, history, opened, poll_body
from dashboard import create_app
from kpi.config import Config, load_config
from kpi.config.settings import Settings
from kpi.ingest.pipeline import ingest_events
from kpi.model.events import Event
from kpi.store import RedisStore, make_redis


def change(store: RedisStore, config: Config, tag: str) -> None:
    """One new solved ticket and one small deal, now."""
    now = datetime.now(timezone.utc)
    ingest_events(
        store,
        config,
        [
            Event(source="bench-cache", id=f"{tag}-{kind}", type=kind, agent_id="agent-00001", team=team,
                  value=value, occurred_at=now)
            for kind, team, value in (("ticket_solved", "Support", 1), ("deal_won", "Sales", 100))
        ],
    )  # fmt: skip


def rounds_of(app, store: RedisStore, config: Config, screen: str, tvs: int, rounds: int, tag: str) -> dict:  # noqa: ANN001
    """Per round: ms (wall and CPU) of the first poll after a change, and of the other TVs' polls."""
    client = app.server.test_client()
    deps = client.get("/_dash-dependencies").get_json()
    meta, seen, views, _, _ = opened(client, screen)
    body = poll_body(deps, meta, seen, views)
    first, others, first_cpu, others_cpu = [], [], [], []
    for n in range(rounds):
        change(store, config, f"{tag}-{n}")
        for tv in range(tvs):
            wall, cpu = time.perf_counter(), time.process_time()
            response = client.post("/_dash-update-component", json=body)
            wall, cpu = (time.perf_counter() - wall) * 1000, (time.process_time() - cpu) * 1000
            assert response.status_code == 200
            (first if tv == 0 else others).append(wall)
            (first_cpu if tv == 0 else others_cpu).append(cpu)
    return {"first": first, "others": others, "first_cpu": first_cpu, "others_cpu": others_cpu}


def report(label: str, m: dict, tvs: int) -> None:
    polls = m["first"] + m["others"]
    cpu = m["first_cpu"] + m["others_cpu"]
    print(f"  {label}:")
    print(
        f"    1 TV (first poll after the change): {statistics.mean(m['first']):7.2f} ms wall,"
        f" {statistics.mean(m['first_cpu']):7.2f} ms CPU"
    )
    if m["others"]:
        print(
            f"    each of the other {tvs - 1} TVs:            {statistics.mean(m['others']):7.2f} ms wall,"
            f" {statistics.mean(m['others_cpu']):7.2f} ms CPU"
        )
    print(
        f"    {tvs} TVs, mean per poll:              {statistics.mean(polls):7.2f} ms wall,"
        f" {statistics.mean(cpu):7.2f} ms CPU; per change {sum(cpu) / len(m['first']):,.0f} ms CPU"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--agents", type=int, default=2000)
    parser.add_argument("--days", type=int, default=120)
    parser.add_argument("--daily-days", type=int, default=21)
    parser.add_argument("--tvs", type=int, default=100)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--screen", default=None, help="a configured screen (default: the first)")
    args = parser.parse_args()
    config = load_config()
    screen = args.screen or next(iter(config.screens))
    with tempfile.TemporaryDirectory() as workdir:
        process, url = start_redis(workdir)
        try:
            store = RedisStore(make_redis(url))
            now = datetime.now(timezone.utc)
            count = fill(store, config, history(config, args.agents, args.days, args.daily_days, now))
            print(f"data: {args.agents:,} agents, {args.days} days, {count:,} events; screen {screen!r}")
            settings = Settings(redis_url=url)
            cached = create_app(settings, config=config, store=store)
            plain = create_app(settings, config=config, store=store)
            plain.server.extensions["wallboard"].cache = None
            for label, app in (("without the shared cache", plain), ("with the shared cache", cached)):
                report(
                    label, rounds_of(app, store, config, screen, args.tvs, args.rounds, label[:4]), args.tvs
                )
        finally:
            process.terminate()
            process.wait(timeout=10)


if __name__ == "__main__":
    main()
